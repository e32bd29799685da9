"""``--format junit``: one testsuite per report, one testcase per rule evaluated.

Passed, failed and skipped cases all appear (CI dashboards then show which requirements a report
meets); testcase names are unique within a suite (``FZ-S03 存在的不足和原因``).

The XML is written here directly, with the elements and attributes junit-xml wrote (the
``testsuites``/``testsuite``/``properties``/``testcase`` layout every CI reads). junit-xml built an
ElementTree, serialised it, parsed the result again with minidom and pretty-printed that: on a batch
that cost more than checking the reports (≈3 ms a report, one case per rule). Escaping: ``& < >``
and, in attributes, quotes and line breaks as character references; characters XML 1.0 does not
allow (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/FFFF) are dropped, so the document
always parses.
"""
from __future__ import annotations

import os
import re

from ..rules.toolrules import TOOL_RULES
from .text import where

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_IN_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_IN_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                               "\n": "&#10;", "\r": "&#13;", "\t": "&#09;"})


def _text(value) -> str:
    return _NOT_XML.sub("", str(value)).translate(_IN_TEXT)


def _attributes(pairs) -> str:
    return "".join(f' {name}="{_NOT_XML.sub("", str(value)).translate(_IN_ATTRIBUTE)}"' for name, value in pairs)


class _Case:
    """One testcase: its name and at most one outcome element (failure, error or skipped)."""

    __slots__ = ("name", "outcome")

    def __init__(self, name: str):
        self.name = name
        self.outcome = None              # (tag, message, text, type)

    def write(self, out: list, classname: str, path: str) -> None:
        head = f"\t\t<testcase{_attributes((('name', self.name), ('classname', classname), ('file', path)))}"
        if self.outcome is None:
            out.append(head + " />")
            return
        tag, message, text, kind = self.outcome
        attrs = _attributes((("type", kind), ("message", message)) if message else (("type", kind),))
        inner = f"<{tag}{attrs}>{_text(text)}</{tag}>" if text else f"<{tag}{attrs} />"
        out.extend((head + ">", f"\t\t\t{inner}", "\t\t</testcase>"))


def _cases_for(result, rules) -> list:
    if result.error:
        case = _Case("读取报告")
        case.outcome = ("error", result.error, "", "error")
        return [case]
    by_rule = {}
    for f in result.findings:
        by_rule.setdefault(f.rule, []).append(f)
    cases = []
    for outcome in result.outcomes:
        rule = rules.get(outcome.rule_id)
        case = _Case(f"{outcome.rule_id} {rule.title if rule else ''}".strip())
        findings = [f for f in by_rule.get(outcome.rule_id, []) if f.suppressed is None]
        if outcome.status == "skipped":
            case.outcome = ("skipped", outcome.reason, "", "skipped")
        elif findings:
            first = findings[0]
            details = "\n".join(f"{result.path}:{f.line}:{f.column}: {f.severity} {where(f)}{f.message}"
                                f"（提示：{f.hint}；依据：{f.basis}）" for f in findings)
            case.outcome = ("failure", f"[{first.severity}] {first.message}", details, first.severity)
        cases.append(case)
    for f in result.findings:            # FZ-X01…X04 are reported by the tool, not rules of the set
        if f.rule not in rules:
            tool_rule = TOOL_RULES.get(f.rule)
            title = tool_rule.title if tool_rule else "内部错误"
            per_line = tool_rule and not tool_rule.is_error
            case = _Case(f"{f.rule} {title}（{f.line}行）" if per_line else f"{f.rule} {title}")
            if tool_rule is None or tool_rule.is_error:
                case.outcome = ("error", f.message, "", "error")
            else:
                case.outcome = ("failure", f"[{f.severity}] {f.message}", f"{result.path}:{f.line}: {f.hint}",
                                f.severity)
            cases.append(case)
    return cases


def _suite(result, rules, context, totals: dict) -> list:
    classname = "fazhi-lint." + os.path.splitext(os.path.basename(result.path))[0]
    props = {"fail_on": context.get("fail_on", "error"), "pack": context.get("pack", "national"),
             "version": context["version"]}
    if result.is_report and not result.error:          # not the suppressions file
        props.update({"score": result.score, "report_year": result.meta.get("report_year"),
                      "unit": result.meta.get("unit") or ""})
    cases = _cases_for(result, rules)
    kinds = [case.outcome[0] if case.outcome else "" for case in cases]
    counts = {"errors": kinds.count("error"), "failures": kinds.count("failure"), "tests": len(cases)}
    for key, value in counts.items():
        totals[key] += value
    attributes = (("disabled", 0), ("errors", counts["errors"]), ("failures", counts["failures"]),
                  ("name", result.path), ("skipped", kinds.count("skipped")), ("tests", len(cases)), ("time", 0),
                  ("file", result.path))
    out = [f"\t<testsuite{_attributes(attributes)}>", "\t\t<properties>"]
    out.extend(f"\t\t\t<property{_attributes((('name', k), ('value', v)))} />" for k, v in props.items())
    out.append("\t\t</properties>")
    for case in cases:
        case.write(out, classname, result.path)
    out.append("\t</testsuite>")
    return out


def render_junit(results, context) -> str:
    rules = {r.id: r for r in context["ruleset"].rules}
    totals = {"errors": 0, "failures": 0, "tests": 0}
    body = []
    for result in results:
        body.extend(_suite(result, rules, context, totals))
    head = "<testsuites" + _attributes((("disabled", 0), ("errors", totals["errors"]), ("failures", totals["failures"]),
                                        ("tests", totals["tests"]), ("time", 0.0))) + ">"
    return "\n".join(['<?xml version="1.0" encoding="utf-8"?>', head, *body, "</testsuites>"]) + "\n"
