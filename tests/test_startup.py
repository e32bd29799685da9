"""Start-up cost, guarded without timing (issue 13): what a plain check of one text report imports,
and how rule patterns are compiled."""
import json
import re
import subprocess
import sys

import pytest

from checker.helpers import patterns
from checker.rules.loader import LoadedRules, load_rule_file

# Modules that only some formats or subcommands need: a plain text check must not import them.
# (importlib.metadata is imported: the installed plugins are looked up at every start, ≈20 ms.)
NOT_FOR_A_TEXT_CHECK = ("jinja2", "xlsxwriter", "docx", "pypdfium2", "lxml", "datasketch", "jieba", "yaml",
                        "charset_normalizer", "difflib", "tomllib", "checker.outputs.html_report", "checker.outputs.workbook",
                        "checker.compare.copies", "checker.compare.copy_index", "checker.fixing.apply",
                        "checker.readers.docx", "checker.readers.pdf", "checker.readers.html",
                        "starlette", "uvicorn", "sqlalchemy", "multipart", "checker.serve")

_RUN = ("import sys, json\nfrom checker.cli import main\n"
        "try:\n    main([sys.argv[1]] + sys.argv[2:])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)")


def _modules_after(tmp_path, *options):
    report = tmp_path / "r.txt"
    report.write_text("XX县人民政府2023年法治政府建设年度报告\n一、主要工作\n全年开展普法活动12场，法制宣传到位。\n",
                      encoding="utf-8")
    done = None
    for _ in range(2):    # the first run fills the user cache (the rule files' parse)
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


def test_a_broken_pattern_is_reported_at_load_with_its_line(tmp_path, monkeypatch):
    """Rule patterns compile when their file loads (≈15 ms for the national pack): a broken one is
    a rule error with its file:line, on every run, cache or not."""
    from checker.plugins import build_plugins

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rules = tmp_path / "r.yaml"
    rules.write_text("rules:\n  - id: T-X01\n    title: 坏\n    severity: warning\n    check: existence\n"
                     "    params: {patterns: ['法制(政府']}\n    message: m\n    hint: h\n    basis: b\n"
                     "    examples: {fire: ['法制政府'], pass: ['法治政府']}\n", encoding="utf-8")
    for _ in range(2):                 # the second load reads the file's parse from the cache
        into = LoadedRules()
        load_rule_file(str(rules), build_plugins().kinds(), "test", into)
        assert into.rules == [] and len(into.errors) == 1 and f"{rules}:2: T-X01" in into.errors[0]


def test_a_rule_pattern_keeps_its_literals_and_skips_texts_without_them():
    source = "法制(?:政府|宣传|教育){N}次"
    pattern = patterns.compile_pattern(source)
    assert patterns.compile_pattern(source) is pattern                    # compiled once per process
    entry = patterns._COMPILED[pattern.pattern]
    assert patterns.finditer(pattern, "没有那个词", [(0, 5)]) == [] and entry[2] is patterns._UNKNOWN
    assert patterns.search(pattern, "没有那个词") is None and entry[2] == ("法制",)   # worked out at the 2nd scan
    assert patterns.literals_of(pattern) == ("法制",)
    text = "开展法制宣传3次，法制政府十二次"
    assert [m.group(0) for m in patterns.finditer(pattern, text, [(0, len(text))])] == ["法制宣传3次", "法制政府十二次"]
    assert patterns.search(pattern, text).group("n") == "3"
    import regex

    assert patterns.literals_of(regex.compile(pattern.pattern, regex.IGNORECASE)) is None   # not one of ours


def test_no_private_regex_internals_in_the_sources():
    """Patterns compile with re.compile / regex.compile: nothing rebuilds them from CPython's
    private ``_sre``; ``re._parser`` is read in helpers/literals.py only."""
    import os

    from .conftest import ROOT

    found = {}
    for folder, _, files in os.walk(os.path.join(ROOT, "src")):
        for name in files:
            if name.endswith(".py"):
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    text = handle.read()
                for needle in ("_sre", "_parser", "sre_parse", "sre_compile"):
                    if re.search(rf"\b{needle}\b", text):
                        found.setdefault(needle, []).append(name)
    assert "_sre" not in found and "sre_compile" not in found, found
    assert set(found.get("_parser", [])) | set(found.get("sre_parse", [])) <= {"literals.py"}, found
