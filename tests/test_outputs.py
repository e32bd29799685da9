"""Output formats: the JSON contract, JUnit XML a CI can read, text lines."""
import json
import xml.etree.ElementTree as ET

import junitparser

from .cli_helpers import run
from .conftest import SEEDS, SEED_FILES




def test_json_follows_the_contract():
    result = run("--format", "json", SEEDS)
    data = json.loads(result.stdout)
    assert set(data) == {"tool", "files", "skipped", "summary"}
    assert data["skipped"] == [] and data["summary"]["skipped"] == 0
    assert data["tool"]["name"] == "fazhi-lint"
    assert len(data["files"]) == len(SEED_FILES)
    for f in data["files"]:
        assert {"path", "error", "score", "meta", "elements", "findings"} <= set(f)
        assert set(f["meta"]) == {"title", "unit", "report_year", "published", "subject", "signed", "encoding",
                                  "script", "sources", "year_evidence", "year_conflict"}
        assert f["meta"]["subject"] in {"government", "department", "town", "zone", "other"}
        assert f["meta"]["sources"]["report_year"]
        assert set(f["elements"]) == {"measures_and_results", "shortcomings", "causes",
                                      "first_responsible_person", "next_year_plan", "next_year_plan_year"}
        assert 0 <= f["score"] <= 100
        for finding in f["findings"]:
            assert set(finding) == {"rule", "severity", "message", "hint", "basis", "line", "column",
                                    "end_line", "end_column", "excerpt", "location"}
            assert finding["location"] is None          # a .txt report: line/column are the place
            assert finding["severity"] in ("error", "warning", "info")
            assert finding["line"] >= 1 and finding["column"] >= 1
            assert (finding["end_line"], finding["end_column"]) >= (finding["line"], finding["column"])
    s = data["summary"]
    assert s["files"] == len(SEED_FILES)
    assert s["errors"] == sum(1 for f in data["files"] for x in f["findings"] if x["severity"] == "error")


def test_junit_has_a_suite_per_report_and_a_case_per_rule(tmp_path, ruleset):
    out = tmp_path / "report.xml"
    result = run("--format", "junit", "--output", str(out), SEEDS)
    assert result.exit_code == 1
    xml = junitparser.JUnitXml.fromfile(str(out))
    suites = list(xml)
    assert len(suites) == len(SEED_FILES)
    n_rules = len(ruleset.rules)
    for suite in suites:
        cases = list(suite)
        names = [c.name for c in cases]
        assert len(names) == len(set(names)) == n_rules            # unique names, every rule evaluated
        failed = [c for c in cases if c.result and isinstance(c.result[0], junitparser.Failure)]
        skipped = [c for c in cases if c.result and isinstance(c.result[0], junitparser.Skipped)]
        passed = [c for c in cases if not c.result]
        assert passed, "passing testcases must be present"
        assert suite.tests == len(cases) and suite.failures == len(failed) and suite.skipped == len(skipped)
    root = ET.parse(out).getroot()
    assert root.tag == "testsuites"


def test_junit_for_unreadable_file_is_an_error_case(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("--format", "junit", str(empty))
    assert result.exit_code == 2
    root = ET.fromstring(result.stdout.encode("utf-8"))
    case = root.find("testsuite/testcase")
    assert case.find("error") is not None


def test_text_output_line_format_and_summary():
    result = run("--no-color", SEEDS)
    lines = result.stdout.strip().split("\n")
    finding_lines = [row for row in lines if ": FZ-" in row]
    assert finding_lines
    for line in finding_lines:
        path, line_no, col, rest = line.split(":", 3)
        assert path.startswith(SEEDS) and line_no.isdigit() and col.isdigit()
        rule, severity = rest.split()[:2]
        assert rule.startswith("FZ-") and severity in ("错误", "警告", "提示")
        assert "提示:" not in rest and "依据:" not in rest          # concise: no hint, no basis
    assert lines[-1].startswith("共检查 5 个报告")
    full = [row for row in run("--no-color", "--output-format", "full", SEEDS).stdout.splitlines() if ": FZ-" in row]
    assert len(full) == len(finding_lines)
    assert all("(提示: " in row and "[依据: " in row for row in full)
    assert [row.split(" (提示: ")[0] for row in full] == finding_lines


def test_concise_text_is_a_third_of_full_with_the_same_findings():
    concise, full = run("--no-color", SEEDS).stdout, run("--no-color", "--output-format", "full", SEEDS).stdout
    assert len(concise.encode()) * 3 <= len(full.encode())
    as_json = json.loads(run("--format", "json", SEEDS).stdout)
    expected = sorted((r["path"], f["line"], f["column"], f["rule"]) for r in as_json["files"] for f in r["findings"])
    got = []
    for line in concise.splitlines():
        if ": FZ-" in line:
            path, line_no, col, rest = line.split(":", 3)
            got.append((path, int(line_no), int(col), rest.split()[0]))
    assert sorted(got) == expected


def test_grouped_text_has_a_block_per_report_with_parts_and_score():
    out = run("--no-color", "--output-format", "grouped", SEEDS).stdout
    as_json = json.loads(run("--format", "json", SEEDS).stdout)
    blocks = out.split("\n\n")
    for report, block in zip(as_json["files"], blocks):
        head, parts = block.splitlines()[:2]
        assert head.startswith(report["path"]) and report["meta"]["unit"] in head and f"得分 {report['score']:g}" in head
        assert ("缺少" in parts) == (not report["elements"]["causes"])
        rows = [row for row in block.splitlines() if " FZ-" in row]
        fixes = [f for f in report["findings"] if f["severity"] != "info"]
        hints = len(report["findings"]) - len(fixes)
        assert len(rows) == len(fixes)                    # an office's view: errors and warnings listed
        ranks = [("错误", "警告").index(row.split()[2]) for row in rows]
        assert ranks == sorted(ranks)                     # errors first, then warnings
        for rank in (0, 1):                               # each in the order of the text
            places = [tuple(map(int, row.split()[0].split(":"))) for row, r in zip(rows, ranks) if r == rank]
            assert places == sorted(places)
        assert (f"另有 {hints} 条提示" in block) == bool(hints)        # the hints folded into one line
    listed = run("--no-color", "--output-format", "grouped", "--min-severity", "info", SEEDS).stdout
    assert "另有" not in listed and sum(1 for row in listed.splitlines() if " FZ-" in row) == sum(
        len(report["findings"]) for report in as_json["files"])


def test_min_severity_shows_less_but_fail_on_still_gates():
    everything = run("--no-color", SEEDS)
    errors_only = run("--no-color", "--min-severity", "error", SEEDS)
    shown = [row for row in errors_only.stdout.splitlines() if ": FZ-" in row]
    assert shown and all(row.split(":", 3)[3].split()[1] == "错误" for row in shown)
    assert len(shown) == sum(1 for row in everything.stdout.splitlines() if " 错误 " in row)
    seed0 = run("--no-color", "--min-severity", "error", "--fail-on", "warning", SEEDS + "/000_aa44ca5054db8c02.txt")
    assert seed0.exit_code == 1 and ": FZ-" not in seed0.stdout     # warnings hidden, still failing the gate


def test_output_file_option(tmp_path):
    out = tmp_path / "o.json"
    result = run("--format", "json", "-o", str(out), SEEDS)
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["files"] == 5
