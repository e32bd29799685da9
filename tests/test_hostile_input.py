"""Hostile text and configuration, checked in-process: invisible characters in key terms, report text
that would break line-oriented output, formula cells, malformed configuration and waiver files."""
import csv
import io
import json

import pytest

from checker.cli.config import ConfigError, find_config, read_config
from checker.errors import BaselineError, RuleError, SuppressionError, YamlError
from checker.helpers.yamlio import load_yaml_text
from checker.outputs.csv_format import render_csv
from checker.outputs.github import render_github
from checker.outputs.text import render_text
from checker.readers.text import decode, lenient_note
from checker.rules.loader import validate_when
from checker.waivers.baseline import load_baseline
from checker.waivers.suppressions import load_suppressions

from .cli_helpers import bad_text, good_text, run, write


@pytest.mark.parametrize("invisible", ["\u00ad", "\u180e", "\u034f", "\u200e", "\u200f", "\u202a", "\u202e",
                                       "\ufe0f", "\u2061", "\U000e0041", "\u2066"])
def test_an_invisible_character_inside_a_key_term_does_not_hide_it(tmp_path, invisible):
    text = bad_text().replace("法制政府", "法" + invisible + "制政府", 1)
    path = write(tmp_path / "r.txt", text)
    data = json.loads(run("--format", "json", "--select", "FZ-W01", path).stdout)
    found = [f for f in data["files"][0]["findings"] if f["rule"] == "FZ-W01"]
    assert found, invisible
    line = text.split("\n")[found[0]["line"] - 1]
    assert line[found[0]["column"] - 1:].startswith("法" + invisible + "制政府")   # the original text


def _context(ruleset):
    return {"version": "0", "ruleset": ruleset, "fail_on": "error", "lang": "zh", "colour": False,
            "pack": "national", "settings": None}


def test_report_text_cannot_break_line_oriented_output(ruleset):
    from checker.engine import check_text

    hostile = "\r\x1b[2J\x1b]8;;http://x\x07\u2028\u0085\u202e"
    result = check_text(bad_text().replace("法制政府", "法制政府" + hostile, 1), ruleset, path="a\rb\x1b.txt")
    for render in (render_text, render_github):
        out = render([result], _context(ruleset))
        assert not any(ch in out for ch in "\r\x1b\u2028\u0085\u202e"), render.__name__
    text = render_text([result], {**_context(ruleset), "output_format": "full"})
    finding_lines = [line for line in text.split("\n") if " FZ-" in line]
    assert finding_lines and all(line.startswith("a\\x0db\\x1b.txt:") for line in finding_lines)


def test_csv_cells_are_never_formulas(ruleset):
    from checker.engine import check_text

    title = "=HYPERLINK(\"http://x\",\"点我\")区人民政府2023年法治政府建设年度报告"
    result = check_text(title + "\n" + good_text(), ruleset, path="@evil.txt")
    rows = list(csv.reader(io.StringIO(render_csv([result], _context(ruleset)).lstrip("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells and not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert "'@evil.txt" in cells


def test_lenient_decoding_says_what_was_replaced():
    text = good_text()
    data = text.encode("utf-8")
    middle = data.index("。".encode()) + 3
    damaged, encoding = decode(data[:middle] + b"\xff" + data[middle:])
    assert damaged.count("\ufffd") == 1 and "1 个无效字节" in lenient_note(encoding)
    mixed_lines = [line.encode("gb18030") if i % 4 == 1 else line.encode("utf-8")
                   for i, line in enumerate(text.split("\n"))]
    mixed, encoding = decode(b"\n".join(mixed_lines))
    assert mixed == text and "GB18030" in lenient_note(encoding)
    utf16, encoding = decode(text.encode("utf-16-le") + b"\x00")
    assert utf16[:-1] == text and "末尾多出 1 个字节" in lenient_note(encoding)
    assert lenient_note(decode(data)[1]) is None
    assert decode(text.encode("gb18030"))[1] == "gb18030"        # whole-file GB18030 is not "lenient"


def test_a_leniently_read_report_gets_fz_x06(tmp_path):
    data = bad_text().encode("utf-8")
    path = tmp_path / "r.txt"
    path.write_bytes(data[:200] + b"\xfe" + data[200:])
    out = json.loads(run("--format", "json", str(path)).stdout)
    x06 = [f for f in out["files"][0]["findings"] if f["rule"] == "FZ-X06"]
    assert len(x06) == 1 and "U+FFFD" in x06[0]["message"]


def test_config_robustness(tmp_path):
    bad_toml = tmp_path / "pyproject.toml"
    bad_toml.write_bytes(b"[project]\nname = \"\xff\xfe\"\n")
    assert find_config(str(tmp_path)) is None                 # not ours: ignored, no crash
    yaml_config = write(tmp_path / "c" / ".fazhi-lint.yaml", "1: x\n")
    with pytest.raises(ConfigError):
        read_config(yaml_config)
    with pytest.raises(ConfigError):
        read_config(write(tmp_path / "d" / ".fazhi-lint.yaml", "per-file-ignores: {1: [FZ-S]}\n"))


def test_waiver_files_with_odd_keys_depth_and_dates(tmp_path):
    suppressions = write(tmp_path / "s.yaml", "suppressions: []\n1: 2\n")
    with pytest.raises(SuppressionError):
        load_suppressions(suppressions)
    deep = tmp_path / "baseline.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(BaselineError):
        load_baseline(str(deep))
    with pytest.raises(YamlError) as caught:
        load_yaml_text("suppressions:\n  - rule: FZ-W02\n    expires: 2024-02-30\n", "s.yaml")
    assert str(caught.value).startswith("s.yaml:3:")


@pytest.mark.parametrize("when", [{"elements": 5}, {"elements": [5]}, {"year_min": True}])
def test_a_malformed_when_is_a_rule_error(when):
    with pytest.raises(RuleError):
        validate_when(when)


def test_a_rule_lists_at_most_its_cap_and_counts_the_rest(tmp_path, monkeypatch):
    """Past MAX_FINDINGS_PER_RULE hits a rule's findings are counted in one FZ-X07 note (memory stays
    bounded for a text that is nothing but one wrong term)."""
    import importlib

    evaluate_module = importlib.import_module("checker.engine.evaluate")

    monkeypatch.setattr(evaluate_module, "MAX_FINDINGS_PER_RULE", 50)
    report = tmp_path / "r.txt"
    report.write_text("法制政府。" * 80, encoding="utf-8")
    out = json.loads(run("--format", "json", "--select", "FZ-W01", str(report)).stdout)
    rules = [f["rule"] for f in out["files"][0]["findings"]]
    assert rules.count("FZ-W01") == 50
    note = [f for f in out["files"][0]["findings"] if f["rule"] == "FZ-X07"]
    assert len(note) == 1 and "另有 30 处" in note[0]["message"] and note[0]["severity"] == "info"
