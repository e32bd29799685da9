"""Entry points remembered in the user cache, found again when the installed distributions change."""
import pytest

from checker import plugin_index


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


def test_found_once_then_read_from_the_cache(site, monkeypatch):
    _dist(site, "demo-one", "os.path:join")
    found = plugin_index.entry_points("fazhi_lint_test")
    assert [(ep.name, ep.value, ep.dist_name, ep.dist_version) for ep in found] == \
        [("demo-one", "os.path:join", "demo-one", "1.0")]
    import os.path

    assert found[0].load() is os.path.join

    def no_scan(group):
        raise AssertionError("scanned again although nothing was installed")

    monkeypatch.setattr(plugin_index, "_scan", no_scan)
    assert plugin_index.entry_points("fazhi_lint_test") == found


def test_installing_a_distribution_is_seen(site):
    _dist(site, "demo-one", "os.path:join")
    assert len(plugin_index.entry_points("fazhi_lint_test")) == 1
    _dist(site, "demo-two", "os:getcwd")
    assert sorted(ep.name for ep in plugin_index.entry_points("fazhi_lint_test")) == ["demo-one", "demo-two"]


def test_no_cache_scans_every_time(site, monkeypatch):
    monkeypatch.setenv("FAZHI_LINT_NO_CACHE", "1")
    _dist(site, "demo-one", "os.path:join")
    assert len(plugin_index.entry_points("fazhi_lint_test")) == 1
    assert not (site.parent / "cache").exists()
