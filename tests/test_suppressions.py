"""Supervisor suppressions: anchored to quoted text, expiring, reported when unused, switchable off."""
import datetime
import json
import os
import xml.etree.ElementTree as ET

from checker.errors import SuppressionError
from checker.waivers.suppressions import load_suppressions
from tests.cli_helpers import GOOD_REPORT_RULES, bad_text, good_text, run, write

QUOTE = "扎实推进法制政府建设"


def _suppress(folder, expires="2999-12-31", text=QUOTE, rule="FZ-W01", extra=""):
    return write(os.path.join(folder, "fazhi-lint-suppressions.yaml"),
                 "suppressions:\n"
                 f"  - rule: {rule}\n    text: {text}\n    reason: 引用旧文件原文\n"
                 f"    approved_by: 区司法局督察科\n    expires: {expires}\n{extra}")


def _json(out):
    return json.loads(out.stdout)


def test_suppression_silences_the_quoted_finding(tmp_path):
    _suppress(tmp_path)
    report = write(tmp_path / "reports" / "r.txt", bad_text())
    unsuppressed = run("check", report, "--format", "json", "--select", GOOD_REPORT_RULES, "--no-suppressions")
    assert [f["rule"] for f in _json(unsuppressed)["files"][0]["findings"]] == ["FZ-W01"]
    out = run("check", report, "--format", "json", "--select", GOOD_REPORT_RULES)
    assert out.exit_code == 0
    assert _json(out)["files"][0]["findings"] == []
    # the score judges the report, not what is shown: a suppression does not change it
    assert _json(out)["files"][0]["score"] == _json(unsuppressed)["files"][0]["score"] < 100
    assert "FZ-W01" not in run("check", report).stdout


def test_suppression_survives_a_paragraph_inserted_above(tmp_path):
    _suppress(tmp_path)
    text = bad_text()
    before = write(tmp_path / "r.txt", text)
    first = json.loads(run("check", before, "--no-suppressions", "--format", "json",
                           "--select", GOOD_REPORT_RULES).stdout)["files"][0]["findings"]
    edited = text.replace("一、2023年推进", "2023年还新增了一段说明文字，用于测试插入段落。\n\n一、2023年推进", 1)
    edited = edited.replace("2023年，县司法局", "（新增的第一段，位于原文之前）\n\n2023年，县司法局", 1)
    write(tmp_path / "r.txt", edited)
    moved = json.loads(run("check", before, "--no-suppressions", "--format", "json",
                           "--select", GOOD_REPORT_RULES).stdout)["files"][0]["findings"]
    assert [f["rule"] for f in first] == [f["rule"] for f in moved] == ["FZ-W01"]
    assert moved[0]["line"] == first[0]["line"] + 2        # the finding really moved down
    out = run("check", before, "--format", "json", "--select", GOOD_REPORT_RULES)
    assert out.exit_code == 0 and _json(out)["files"][0]["findings"] == []


def test_suppression_stops_when_the_quoted_text_is_edited(tmp_path):
    _suppress(tmp_path)
    report = write(tmp_path / "r.txt", bad_text().replace("扎实推进法制政府", "全力推进法制政府"))
    out = run("check", report, "--format", "json", "--fail-on", "warning")
    findings = {(f["rule"], os.path.basename(fi["path"])) for fi in _json(out)["files"] for f in fi["findings"]}
    assert ("FZ-W01", "r.txt") in findings
    assert ("FZ-X04", "fazhi-lint-suppressions.yaml") in findings      # the entry is now unused
    assert out.exit_code == 1
    entry = next(fi for fi in _json(out)["files"] if fi["path"].endswith("fazhi-lint-suppressions.yaml"))
    assert entry["meta"] == {"kind": "suppressions"} and entry["score"] is None    # not a report: no score
    assert _json(out)["summary"]["files"] == 1


def test_suppression_problems_are_a_result_of_kind_suppressions_not_a_report(tmp_path):
    import datetime as dt

    from checker.waivers.suppressions import Use, problems

    path = _suppress(tmp_path, expires=(dt.date.today() - dt.timedelta(days=1)).isoformat())
    result = problems(load_suppressions(path), dt.date.today(), Use())
    assert result.kind == "suppressions" and not result.is_report and result.meta == {}
    assert [f.rule for f in result.findings] == ["FZ-X03"]


def test_expired_suppression_fires_again_and_is_reported(tmp_path):
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    _suppress(tmp_path, expires=yesterday)
    report = write(tmp_path / "r.txt", bad_text())
    out = run("check", report)
    assert out.exit_code == 1
    assert "FZ-W01" in out.stdout
    x03 = [line for line in out.stdout.splitlines() if "FZ-X03" in line]
    assert len(x03) == 1 and x03[0].startswith(os.path.join(str(tmp_path), "fazhi-lint-suppressions.yaml") + ":2:")
    assert yesterday in x03[0]


def test_suppression_valid_through_its_expiry_day(tmp_path):
    _suppress(tmp_path, expires=datetime.date.today().isoformat())
    assert run("check", write(tmp_path / "r.txt", bad_text())).exit_code == 0


def test_unused_suppression_is_fz_x04(tmp_path):
    _suppress(tmp_path)
    report = write(tmp_path / "r.txt", good_text())
    out = run("check", report)
    assert out.exit_code == 0                               # a warning: fails only with --fail-on warning
    assert "FZ-X04" in out.stdout and "共检查 1 个报告" in out.stdout
    assert run("check", report, "--fail-on", "warning").exit_code == 1


def test_file_glob_limits_an_entry(tmp_path):
    _suppress(tmp_path, extra="    file: 'other/*.txt'\n")
    report = write(tmp_path / "mine" / "r.txt", bad_text())
    out = run("check", report)
    assert out.exit_code == 1 and "FZ-W01" in out.stdout
    assert "FZ-X04" not in out.stdout                       # no checked report is in its scope


def test_no_suppressions_flag_shows_everything(tmp_path):
    _suppress(tmp_path)
    report = write(tmp_path / "r.txt", bad_text())
    out = run("check", report, "--no-suppressions")
    assert out.exit_code == 1 and "FZ-W01" in out.stdout


def test_suppressions_flag_names_a_file(tmp_path):
    path = _suppress(tmp_path / "policy")
    report = write(tmp_path / "r.txt", bad_text())
    assert run("check", report).exit_code == 1
    assert run("check", report, "--suppressions", path).exit_code == 0


def test_suppressed_finding_is_skipped_with_reason_in_junit_and_sarif(tmp_path):
    _suppress(tmp_path)
    report = write(tmp_path / "r.txt", bad_text())
    out = run("check", report, "--format", "junit:" + str(tmp_path / "j.xml"), "--format", "sarif:" + str(tmp_path / "s.sarif"))
    assert out.exit_code == 0
    case = next(c for c in ET.parse(tmp_path / "j.xml").iter("testcase") if c.get("name").startswith("FZ-W01"))
    skipped = case.find("skipped")
    assert skipped is not None and "引用旧文件原文" in skipped.get("message") and "区司法局督察科" in skipped.get("message")
    results = json.loads((tmp_path / "s.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    (w01,) = [r for r in results if r["ruleId"] == "FZ-W01"]
    assert w01["suppressions"][0]["kind"] == "external"
    assert "引用旧文件原文" in w01["suppressions"][0]["justification"]


def test_suppressions_file_found_upward(tmp_path):
    _suppress(tmp_path)
    report = write(tmp_path / "a" / "b" / "c" / "r.txt", bad_text())
    assert run("check", report).exit_code == 0


def test_malformed_entries_are_exit_2_with_file_and_line(tmp_path):
    path = write(tmp_path / "fazhi-lint-suppressions.yaml",
                 "suppressions:\n  - rule: FZ-W01\n    text: 某句话\n    reason: 无\n    expires: 2030-01-01\n")
    out = run("check", write(tmp_path / "r.txt", bad_text()))
    assert out.exit_code == 2 and "fazhi-lint-suppressions.yaml:2" in out.stderr and "approved_by" in out.stderr
    write(path, "suppressions:\n  - rule: FZ-W01\n    text: 某句话\n    reason: 无\n    approved_by: 甲\n"
                "    expires: 明年\n    line: 3\n")
    try:
        load_suppressions(path)
    except SuppressionError as exc:
        assert "line" in str(exc)
    else:
        raise AssertionError("an unknown field must be an error")
    write(path, "suppressions:\n  - rule: FZ-W01\n    text: 某句话\n    reason: 无\n    approved_by: 甲\n"
                "    expires: 明年\n")
    out = run("check", tmp_path / "r.txt")
    assert out.exit_code == 2 and "expires" in out.stderr
