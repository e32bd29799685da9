"""The user cache: two folders, keyed on content and versions, read back only when it is ours."""
import datetime
import marshal
import os
import subprocess
import sys

import pytest

import checker
from checker.helpers import cache, yamlio
from checker.helpers.yamlio import load_rules_yaml

from .conftest import ROOT, seed_path


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FAZHI_LINT_NO_CACHE", raising=False)
    return tmp_path / "cache" / "fazhi-lint"


def _rule_file(tmp_path, rule_id="A-B01"):
    path = tmp_path / "r.yaml"
    path.write_text(f"rules:\n  - id: {rule_id}\n", encoding="utf-8")
    return path


def _no_parsing(monkeypatch):
    def fail(*_args):
        raise AssertionError("parsed again")

    monkeypatch.setattr(yamlio, "load_yaml_text", fail)
    monkeypatch.setattr(yamlio, "rule_line_numbers", fail)


def test_rule_file_parse_cache_follows_content_not_mtime(tmp_path, home):
    path = _rule_file(tmp_path)
    stamp = os.stat(path)
    assert load_rules_yaml(str(path))[0] == {"rules": [{"id": "A-B01"}]}
    assert os.listdir(home) == ["rules"] and len(os.listdir(home / "rules")) == 1      # remembered
    path.write_text("rules:\n  - id: A-B02\n", encoding="utf-8")                         # same size
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))                            # same modification time
    assert load_rules_yaml(str(path))[0] == {"rules": [{"id": "A-B02"}]}


def test_parse_cache_keeps_dates_and_serves_them_without_parsing(tmp_path, home, monkeypatch):
    """A rule file with dates (valid_from: 2021-08-01) is remembered too, and comes back as dates."""
    path = tmp_path / "r.yaml"
    path.write_text("rules:\n  - id: A-B01\n    valid_until: 2025-12-31\n    at: 2024-01-02 03:04:05+08:00\n"
                    "    list: [x, 2021-08-01]\n", encoding="utf-8")
    first = load_rules_yaml(str(path))
    assert os.listdir(home / "rules")                                    # remembered despite the dates
    _no_parsing(monkeypatch)
    second = load_rules_yaml(str(path))
    assert second == first
    rule = second[0]["rules"][0]
    assert rule["valid_until"] == datetime.date(2025, 12, 31) and type(rule["valid_until"]) is datetime.date
    assert rule["at"] == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    assert rule["list"] == ["x", datetime.date(2021, 8, 1)]


def test_parse_cache_is_keyed_on_pyyaml_and_fazhi_lint_versions(tmp_path, home, monkeypatch):
    import yaml

    assert yamlio.parser_identity() == (yaml.__version__, "CSafeLoader" if hasattr(yaml, "CSafeLoader")
                                        else "SafeLoader")
    path = _rule_file(tmp_path)
    load_rules_yaml(str(path))
    parses = []
    real = yamlio.load_yaml_text
    monkeypatch.setattr(yamlio, "load_yaml_text", lambda *a: parses.append(1) or real(*a))
    load_rules_yaml(str(path))
    assert parses == []                                                   # the same versions: remembered
    monkeypatch.setattr(yamlio, "parser_identity", lambda: ("99.0", "CSafeLoader"))       # another PyYAML
    load_rules_yaml(str(path))
    monkeypatch.setattr(yamlio, "parser_identity", lambda: (yaml.__version__, "SafeLoader"))  # another loader
    load_rules_yaml(str(path))
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(home.parent))
    monkeypatch.setattr(yamlio, "load_yaml_text", lambda *a: parses.append(1) or real(*a))
    monkeypatch.setattr(checker, "__version__", "9.9.9")                                 # another fazhi-lint
    load_rules_yaml(str(path))
    assert parses == [1, 1, 1] and len(os.listdir(home / "rules")) == 4


def test_an_entry_not_ours_is_ignored(tmp_path, home, monkeypatch):
    """Group-writable, a symbolic link, another owner, or a folder others can write to: not read
    (the file is parsed again), and nothing is written into such a folder."""
    path = _rule_file(tmp_path)
    load_rules_yaml(str(path))
    folder = home / "rules"
    [name] = os.listdir(folder)
    entry = folder / name
    assert oct(os.stat(home).st_mode & 0o777) == oct(os.stat(folder).st_mode & 0o777) == "0o700"
    assert oct(os.stat(entry).st_mode & 0o777) == "0o600"
    # a planted entry: what a run would trust if the checks below did not hold
    planted = marshal.dumps((False, ({"rules": [{"id": "EVIL-01"}]}, [2])))

    def plant(mode=0o600):
        entry.write_bytes(planted)
        os.chmod(entry, mode)

    def parsed():
        return load_rules_yaml(str(path))[0] == {"rules": [{"id": "A-B01"}]}

    plant()
    assert not parsed()                                                              # ours: trusted
    plant(0o620)                                                                     # group-writable
    assert parsed() and oct(os.stat(entry).st_mode & 0o777) == "0o600"              # rebuilt, ours again
    plant()
    os.chmod(folder, 0o770)                                                          # the folder
    assert parsed() and entry.read_bytes() == planted                               # nothing written there
    os.chmod(folder, 0o700)
    os.rename(entry, tmp_path / "elsewhere")
    os.symlink(tmp_path / "elsewhere", entry)                                        # a symbolic link
    assert parsed()
    os.unlink(entry)
    os.rename(tmp_path / "elsewhere", entry)
    os.rename(folder, tmp_path / "rules-elsewhere")
    os.symlink(tmp_path / "rules-elsewhere", folder)                                 # a linked folder
    assert parsed() and os.listdir(tmp_path / "rules-elsewhere") == [name]
    os.unlink(folder)
    os.rename(tmp_path / "rules-elsewhere", folder)
    assert not parsed()                                                              # back to ours
    uid = os.getuid()
    monkeypatch.setattr(cache.os, "getuid", lambda: uid + 1)                         # another owner
    assert parsed()
    monkeypatch.undo()
    if uid == 0:                                                                     # really another owner
        os.chown(entry, 4242, -1)
        assert parsed()


def test_only_plain_values_are_read_back(tmp_path, home):
    assert cache.write("rules", {"a": [1, 2.5, None, True, b"x", ("t",)]}, "k")
    assert cache.read("rules", "k") == {"a": [1, 2.5, None, True, b"x", ("t",)]}
    assert not cache.write("rules", {"a": {1, 2}}, "k2")                             # a set: not plain
    with open(home / "rules" / cache.digest("k3"), "wb") as out:
        out.write(marshal.dumps({"code": compile("1", "<x>", "eval")}))
    os.chmod(home / "rules" / cache.digest("k3"), 0o600)
    assert cache.read("rules", "k3") is None
    with pytest.raises(ValueError):
        cache.write("compiled-re", 1, "k")                                          # only the two folders


def test_no_cache_writes_nothing(tmp_path, home, monkeypatch):
    monkeypatch.setenv("FAZHI_LINT_NO_CACHE", "1")
    assert load_rules_yaml(str(_rule_file(tmp_path)))[0] == {"rules": [{"id": "A-B01"}]}
    assert not home.exists()


def test_at_most_two_cache_folders_after_runs(tmp_path):
    """A check that segments (seed 004: FZ-N02), a comparison of two years (FZ-Y01: jieba's idf
    table) and test-rules leave the folders rules/ and jieba/ and nothing else."""
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("FAZHI_LINT_NO_CACHE", None)
    fazhi = [sys.executable, "-m", "checker"]
    for args in ([seed_path("004_b0c9e18cd6c6e394.txt"), "--format", "json"],
                 ["compare", seed_path("000_aa44ca5054db8c02.txt"), seed_path("001_463db61ea62b21f3.txt")],
                 ["test-rules", os.path.join(ROOT, "rules", "national", "fz-w-wording.yaml")]):
        done = subprocess.run(fazhi + args, capture_output=True, text=True, timeout=300, env=env)
        assert done.returncode in (0, 1), done.stderr
    assert sorted(os.listdir(tmp_path / "cache" / "fazhi-lint")) == ["jieba", "rules"]
    assert sorted(os.listdir(tmp_path / "cache")) == ["fazhi-lint"]


def test_general_idf_agrees_with_jiebas_table(tmp_path, home):
    """FZ-Y01 weighs a word by jieba's idf table, read in this process (nothing kept on disk)."""
    from checker.compare import plan_terms

    plan_terms._background_idf.cache_clear()
    words = ("复议", "行政", "法律顾问", "质效")
    found = {w: plan_terms.general_idf(w) for w in words}
    assert found["复议"] > found["行政"] + 3            # 10.3 against 6.1 in jieba's table
    assert found["质效"] == plan_terms.PRIOR_UNKNOWN_IDF  # not in it: middling
    assert plan_terms.general_idf("法") == plan_terms.PRIOR_UNKNOWN_IDF     # one character: not looked up
    import jieba.analyse

    path = os.path.join(os.path.dirname(jieba.analyse.__file__), "idf.txt")
    with open(path, encoding="utf-8") as handle:
        table = {w: float(v) for w, _, v in (line.partition(" ") for line in handle)}
    assert all(plan_terms.general_idf(w) == v for w, v in table.items() if 2 <= len(w) <= 6)
    assert not home.exists()
