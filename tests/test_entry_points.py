"""Installed plugins are found through importlib.metadata at every start: nothing is remembered, so
installing or removing a distribution is seen by the next run."""
import pytest

from checker import plugins


def _dist(site, name, target):
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[fazhi_lint_test]\n{name} = {target}\n", encoding="utf-8")


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FAZHI_LINT_NO_CACHE", raising=False)
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    return folder


def test_entry_points_name_their_distribution_and_load(site):
    _dist(site, "demo-one", "os.path:join")
    found = plugins._entry_points("fazhi_lint_test")
    assert [(ep.name, ep.value, name, version) for ep, name, version in found] == \
        [("demo-one", "os.path:join", "demo-one", "1.0")]
    import os.path

    assert found[0][0].load() is os.path.join


def test_installing_a_distribution_is_seen_and_nothing_is_written(site):
    _dist(site, "demo-one", "os.path:join")
    assert len(plugins._entry_points("fazhi_lint_test")) == 1
    _dist(site, "demo-two", "os:getcwd")
    assert sorted(ep.name for ep, _, _ in plugins._entry_points("fazhi_lint_test")) == ["demo-one", "demo-two"]
    assert not (site.parent / "cache").exists()
