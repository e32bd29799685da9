"""The caches in the user cache folder are keyed on content, so an edit can never leave a stale verdict."""
import os

from checker.helpers.yamlio import load_rules_yaml
from checker.rules import selftest


def test_rule_file_parse_cache_follows_content_not_mtime(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FAZHI_LINT_NO_CACHE", raising=False)
    path = tmp_path / "r.yaml"
    path.write_text("rules:\n  - id: A-B01\n", encoding="utf-8")
    stamp = os.stat(path)
    assert load_rules_yaml(str(path))[0] == {"rules": [{"id": "A-B01"}]}
    assert os.listdir(tmp_path / "cache" / "fazhi-lint" / "parsed-yaml")       # remembered
    path.write_text("rules:\n  - id: A-B02\n", encoding="utf-8")                # same size
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))                   # same modification time
    assert load_rules_yaml(str(path))[0] == {"rules": [{"id": "A-B02"}]}


def test_examples_cache_key_covers_the_whole_package_of_the_kind(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (package / "sub" / "kind.py").write_text("X = 1\n", encoding="utf-8")
    (package / "lexicon.yaml").write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setattr(selftest, "_CODE_DIGESTS", {})
    before = selftest.code_digest(str(package / "sub" / "kind.py"))
    (package / "lexicon.yaml").write_text("a: 2\n", encoding="utf-8")          # a data file the kind reads
    monkeypatch.setattr(selftest, "_CODE_DIGESTS", {})
    assert selftest.code_digest(str(package / "sub" / "kind.py")) != before
