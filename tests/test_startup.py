"""Start-up cost, guarded without timing (issue 13): what a plain check of one text report imports,
and the per-install caches that let a run skip parsing and compiling."""
import json
import re
import subprocess
import sys

import pytest

from checker.helpers import pattern_store, patterns
from checker.rules.loader import LoadedRules, load_rule_file

# Modules that only some formats or subcommands need: a plain text check must not import them.
NOT_FOR_A_TEXT_CHECK = ("jinja2", "xlsxwriter", "docx", "pypdfium2", "lxml", "datasketch", "jieba", "yaml",
                        "charset_normalizer", "zipfile", "difflib", "tomllib", "email",
                        "importlib.metadata", "checker.outputs.html_report", "checker.outputs.workbook",
                        "checker.compare.copies", "checker.compare.copy_index", "checker.fixing.apply",
                        "checker.readers.docx", "checker.readers.pdf", "checker.readers.html")

_RUN = ("import sys, json\nfrom checker.cli import main\n"
        "try:\n    main([sys.argv[1]] + sys.argv[2:])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)")


def _modules_after(tmp_path, *options):
    report = tmp_path / "r.txt"
    report.write_text("XX县人民政府2023年法治政府建设年度报告\n一、主要工作\n全年开展普法活动12场，法制宣传到位。\n",
                      encoding="utf-8")
    done = None
    for _ in range(2):    # the first run may fill the user cache (rule examples, parses, entry points)
        done = subprocess.run([sys.executable, "-c", _RUN, str(report), *options], capture_output=True, text=True,
                              timeout=120)
    return set(json.loads(done.stderr.strip().splitlines()[-1])), done.stdout


@pytest.mark.parametrize("options", [(), ("--format", "json")])
def test_a_plain_text_check_imports_no_format_or_subcommand_library(tmp_path, ruleset, options):
    modules, out = _modules_after(tmp_path, *options)
    assert "FZ-W03" in out                         # the check ran and found the old term
    assert sorted(m for m in NOT_FOR_A_TEXT_CHECK if m in modules) == []


def test_the_guard_sees_a_format_library_when_the_format_needs_it(tmp_path, ruleset):
    modules, _ = _modules_after(tmp_path, "--format", f"html:{tmp_path / 'out.html'}")
    assert "jinja2" in modules


@pytest.fixture()
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FAZHI_LINT_NO_CACHE", raising=False)
    monkeypatch.setattr(pattern_store, "_STATE", {})
    monkeypatch.setattr(patterns, "_LAZY", {})
    return tmp_path / "cache"


def test_a_pattern_compiled_before_is_compiled_on_first_use_and_behaves_the_same(store, monkeypatch):
    source = "法制(?:政府|宣传){N}次"
    first = patterns.compile_pattern(source)
    assert not isinstance(first, patterns.LazyPattern)          # new: compiled (and checked) at once
    pattern_store._save()
    monkeypatch.setattr(pattern_store, "_STATE", {})             # a later run reads the remembered set
    lazy = patterns.compile_pattern(source)
    assert isinstance(lazy, patterns.LazyPattern) and lazy._compiled is None
    assert lazy.pattern == first.pattern and lazy.literals == ("法制",)
    assert patterns.finditer(lazy, "没有那个词", [(0, 5)]) == [] and lazy._compiled is None   # literal absent
    text = "开展法制宣传3次，法制政府十二次"
    assert [m.group(0) for m in patterns.finditer(lazy, text, [(0, len(text))])] == \
        [m.group(0) for m in first.finditer(text)] == ["法制宣传3次", "法制政府十二次"]
    assert lazy.search(text).group("n") == "3"
    import pickle

    assert pickle.loads(pickle.dumps(lazy)).search(text).span() == first.search(text).span()


def test_a_broken_pattern_is_reported_at_load_with_its_line_whatever_the_store_holds(store, tmp_path):
    from checker.plugins import build_plugins

    rules = tmp_path / "r.yaml"
    rules.write_text("rules:\n  - id: T-X01\n    title: 坏\n    severity: warning\n    check: existence\n"
                     "    params: {patterns: ['法制(政府']}\n    message: m\n    hint: h\n    basis: b\n"
                     "    examples: {fire: ['法制政府'], pass: ['法治政府']}\n", encoding="utf-8")
    for _ in range(2):
        into = LoadedRules()
        load_rule_file(str(rules), build_plugins().kinds(), "test", into)
        assert into.rules == [] and len(into.errors) == 1 and f"{rules}:2: T-X01" in into.errors[0]
        pattern_store._save()
        pattern_store._STATE.clear()


SAMPLES = [(r"(?<![\d\-—－–~至到])(20\d\d)\s*年(?!\s*[-—－–~至到]\s*20\d\d)", 0),
           (r"^[ \t]*[（(](?P<n>[一二三四五六七八九十]{1,3})[）)]", re.M),
           (r"[^\u3400-\u9fff\uf900-\ufaffA-Za-z#]+", 0), (r"法制\s*政府|ABC", re.I | re.X)]


def test_a_standard_pattern_is_built_from_the_table_equal_to_re_compile(store, monkeypatch):
    from checker.helpers import compiled_re

    monkeypatch.setattr(compiled_re, "_STATE", {})
    first = [compiled_re.compile_re(p, f) for p, f in SAMPLES]
    compiled_re._table().save()
    monkeypatch.setattr(compiled_re, "_STATE", {})               # a later run
    re.purge()
    real_compile = re.compile
    monkeypatch.setattr(compiled_re.re, "compile", lambda *a: pytest.fail("compiled again"))
    again = [compiled_re.compile_re(p, f) for p, f in SAMPLES]
    monkeypatch.setattr(compiled_re.re, "compile", real_compile)
    for (source, flags), before, after in zip(SAMPLES, first, again):
        assert after is not before and after == real_compile(source, flags)     # same flags and opcodes
        assert after.groupindex == before.groupindex and after.pattern == source
    assert again[1].findall("（一）甲\n  (十二)乙") == ["一", "十二"]


def test_a_damaged_table_entry_falls_back_to_re_compile(store, monkeypatch):
    from checker.helpers import compiled_re

    monkeypatch.setattr(compiled_re, "_STATE", {})
    table = compiled_re._table()
    table.entries()[("a+b", 0)] = (32, [999, 1, 2], 0, {}, (None,))      # opcodes _sre refuses
    assert compiled_re.compile_re("a+b").search("xaab").group(0) == "aab"


def test_a_remembered_table_stays_bounded(store, monkeypatch):
    from checker.helpers.cache import RememberedTable

    monkeypatch.setattr(RememberedTable, "MAX_ENTRIES", 2)
    table = RememberedTable("t", "k")
    for key in "abc":
        table.add(key, 1)
    table.save()
    assert RememberedTable("t", "k").entries() == {"a": 1, "b": 1}
