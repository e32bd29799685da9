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


def test_parse_cache_keeps_dates_and_serves_them_without_parsing(tmp_path, monkeypatch):
    """A rule file with dates (valid_from: 2021-08-01) is remembered too, and comes back as dates."""
    import datetime

    from checker.helpers import yamlio

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FAZHI_LINT_NO_CACHE", raising=False)
    path = tmp_path / "r.yaml"
    path.write_text("rules:\n  - id: A-B01\n    valid_until: 2025-12-31\n    at: 2024-01-02 03:04:05+08:00\n"
                    "    list: [x, 2021-08-01]\n", encoding="utf-8")
    first = load_rules_yaml(str(path))
    assert os.listdir(tmp_path / "cache" / "fazhi-lint" / "parsed-yaml")       # remembered despite the dates

    def no_parsing(*_args):
        raise AssertionError("parsed again")

    monkeypatch.setattr(yamlio, "load_yaml_text", no_parsing)
    monkeypatch.setattr(yamlio, "rule_line_numbers", no_parsing)
    second = load_rules_yaml(str(path))
    assert second == first
    rule = second[0]["rules"][0]
    assert rule["valid_until"] == datetime.date(2025, 12, 31) and type(rule["valid_until"]) is datetime.date
    assert rule["at"] == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    assert rule["list"] == ["x", datetime.date(2021, 8, 1)]


def test_general_idf_is_remembered_per_word_and_agrees_with_jiebas_table(tmp_path, monkeypatch):
    """FZ-Y01 weighs a word by jieba's idf table (6 MB, ~0.6 s to read): a word looked up once is
    served from the remembered table afterwards, without reading the big one, and with its value."""
    from checker.compare import plan_terms

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FAZHI_LINT_NO_CACHE", raising=False)
    plan_terms._remembered_idf.cache_clear()
    words = ("复议", "行政", "法律顾问", "质效")
    first = {w: plan_terms.general_idf(w) for w in words}
    assert first["复议"] > first["行政"] + 3            # 10.3 against 6.1 in jieba's table
    assert first["质效"] == plan_terms.PRIOR_UNKNOWN_IDF  # not in it: middling
    plan_terms._remembered_idf().save()

    def no_big_table():
        raise AssertionError("the whole idf table was read again")

    plan_terms._remembered_idf.cache_clear()
    monkeypatch.setattr(plan_terms, "_background_idf", no_big_table)
    assert {w: plan_terms.general_idf(w) for w in words} == first
    plan_terms._remembered_idf.cache_clear()
