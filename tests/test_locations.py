"""A finding's ``location`` (paragraph of a .docx, page and line of a .pdf) in every output format."""
import dataclasses
import json

from checker.outputs import junit, sarif, text
from checker.outputs.json_format import render_json
from checker.records import Finding, Result, RuleOutcome, location_label


def _finding(location):
    return Finding(rule="FZ-S03", severity="error", message="只列问题，没有分析原因", hint="写明原因", basis="依据",
                   line=21, column=1, end_line=21, end_column=9, excerpt="二、存在的不足", location=location)


def test_labels_in_both_languages():
    assert location_label({"page": 3, "line": 14}) == "第3页第14行"
    assert location_label({"paragraph": 12}) == "第12段"
    assert location_label({"page": 3, "line": 14}, "en") == "page 3 line 14"
    assert location_label(None) == ""


def test_location_is_shown_in_text_json_sarif_and_junit(ruleset):
    result = Result(path="report.pdf", score=80.0, findings=[_finding({"page": 3, "line": 14})])
    context = {"version": "0", "ruleset": ruleset, "lang": "zh"}
    line = text.render_text([result], context).splitlines()[0]
    assert line.startswith("report.pdf:21:1: FZ-S03 错误 [第3页第14行 “二、存在的不足”] 只列问题")
    data = json.loads(render_json([result], context))
    assert data["files"][0]["findings"][0]["location"] == {"page": 3, "line": 14}
    log = json.loads(sarif.render_sarif([result], context))
    res = log["runs"][0]["results"][0]
    assert res["properties"]["location"] == {"page": 3, "line": 14}
    assert "第3页第14行" in res["message"]["text"]
    result = dataclasses.replace(result, outcomes=(RuleOutcome("FZ-S03", "failed"),))
    assert "第3页第14行" in junit.render_junit([result], context)


def test_text_report_keeps_its_line_format():
    result = Result(path="report.txt", score=80.0, findings=[_finding(None)])
    line = text.render_text([result], {"lang": "zh"}).splitlines()[0]
    assert line.startswith("report.txt:21:1: FZ-S03 错误 只列问题")
