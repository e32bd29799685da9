"""``--format junit``: one testsuite per report, one testcase per rule evaluated.

Passed, failed and skipped cases all appear (CI dashboards then show which requirements a report
meets); testcase names are unique within a suite (``FZ-S03 存在的不足和原因``).
"""
from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET

from junit_xml import TestCase, TestSuite

from ..toolrules import TOOL_RULES
from .text import where


def _suite_for(result, rules, context) -> TestSuite:
    classname = "fazhi-lint." + os.path.splitext(os.path.basename(result.path))[0]
    props = {"fail_on": context.get("fail_on", "error"), "pack": context.get("pack", "national"),
             "version": context["version"]}
    if result.error:
        case = TestCase("读取报告", classname=classname, file=result.path)
        case.add_error_info(message=result.error)
        return TestSuite(result.path, [case], properties=props, file=result.path)
    if result.is_report:          # not the suppressions file
        props.update({"score": result.score, "report_year": result.meta.get("report_year"),
                      "unit": result.meta.get("unit") or ""})
    by_rule = {}
    for f in result.findings:
        by_rule.setdefault(f.rule, []).append(f)
    cases = []
    for outcome in result.outcomes:
        rule = rules.get(outcome.rule_id)
        name = f"{outcome.rule_id} {rule.title if rule else ''}".strip()
        case = TestCase(name, classname=classname, file=result.path)
        findings = [f for f in by_rule.get(outcome.rule_id, []) if f.suppressed is None]
        if outcome.status == "skipped":
            case.add_skipped_info(message=outcome.reason)
        elif findings:
            first = findings[0]
            details = "\n".join(f"{result.path}:{f.line}:{f.column}: {f.severity} {where(f)}{f.message}（提示：{f.hint}；依据：{f.basis}）"
                                for f in findings)
            case.add_failure_info(message=f"[{first.severity}] {first.message}", output=details,
                                  failure_type=first.severity)
        cases.append(case)
    for f in result.findings:            # FZ-X01…X04 are reported by the tool, not rules of the set
        if f.rule not in rules:
            tool_rule = TOOL_RULES.get(f.rule)
            title = tool_rule.title if tool_rule else "内部错误"
            case = TestCase(f"{f.rule} {title}（{f.line}行）" if tool_rule and not tool_rule.is_error
                            else f"{f.rule} {title}", classname=classname, file=result.path)
            if tool_rule is None or tool_rule.is_error:
                case.add_error_info(message=f.message)
            else:
                case.add_failure_info(message=f"[{f.severity}] {f.message}", output=f"{result.path}:{f.line}: {f.hint}",
                                      failure_type=f.severity)
            cases.append(case)
    return TestSuite(result.path, cases, properties=props, file=result.path)


# Characters XML 1.0 does not allow (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/F):
# removed, as junit-xml does, so that the document always parses.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render_junit(results, context) -> str:
    """junit-xml builds each suite's elements (its escaping and attributes); the document is put
    together and indented here with ElementTree. junit-xml's own ``to_xml_report_string`` parses its
    output again with minidom to pretty-print it, which cost more than the rest of the check on a
    batch (≈3 ms a report)."""
    rules = {r.id: r for r in context["ruleset"].rules}
    root = ET.Element("testsuites")
    totals = dict.fromkeys(("disabled", "errors", "failures", "tests"), 0)
    seconds = 0.0
    for result in results:
        suite = _suite_for(result, rules, context).build_xml_doc(encoding="utf-8")
        for key in totals:
            totals[key] += int(suite.get(key, 0))
        seconds += float(suite.get("time", 0))
        root.append(suite)
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", str(seconds))
    ET.indent(root, space="\t")
    body = _NOT_XML.sub("", ET.tostring(root, encoding="unicode"))
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"
