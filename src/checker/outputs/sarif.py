"""``--format sarif``: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run; the rules evaluated are the driver's ``rules`` (title, message, hint and legal basis as
help text); each finding is a result pointing at the original text (columns are Unicode code
points, ``columnKind: unicodeCodePoints``). Suppressed findings stay in the log with a SARIF
``suppressions`` entry carrying the reason, which viewers show as dismissed. A report that could
not be read is a tool execution notification.
"""
from __future__ import annotations

import json
import os
from urllib.parse import quote

from ..rules.explain import rule_help, rule_markdown
from ..toolrules import TOOL_RULES
from ..waivers.fingerprint import ContextReader
from .text import where

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    rel = os.path.relpath(os.path.abspath(path)) if not os.path.isabs(path) else path
    rel = rel.replace(os.sep, "/")
    if os.path.isabs(rel):
        return "file://" + quote(rel if rel.startswith("/") else "/" + rel)
    return quote(rel)


_DESCRIPTORS: dict = {}     # repr(rule) (every field: a value) -> descriptor, help rendered once per rule
MAX_DESCRIPTORS = 512


def _descriptor(rule) -> dict:
    """The driver's entry for a rule (its help is the rule's Markdown page: rendering it for every
    run of a batch cost more than the results themselves)."""
    key = repr(rule)
    descriptor = _DESCRIPTORS.get(key)
    if descriptor is None:
        if len(_DESCRIPTORS) >= MAX_DESCRIPTORS:
            _DESCRIPTORS.clear()
        descriptor = _DESCRIPTORS[key] = _make_descriptor(rule)
    return descriptor


def _make_descriptor(rule) -> dict:
    return {
        "id": rule.id,
        "name": rule.id.replace("-", ""),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.message},
        "help": {"text": rule_help(rule), "markdown": rule_markdown(rule, examples=False)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"basis": rule.basis, "severity": rule.severity, "weight": rule.weight,
                       "pack": rule.pack, "check": rule.check, "tags": list(rule.tags) or ["fazhi-lint"]},
    }


def _tool_descriptor(rule_id: str) -> dict:
    tool_rule = TOOL_RULES.get(rule_id)
    title = tool_rule.title if tool_rule else rule_id
    text = tool_rule.description if tool_rule else rule_id
    severity = tool_rule.severity if tool_rule else "error"
    return {"id": rule_id, "name": rule_id.replace("-", ""), "shortDescription": {"text": title},
            "fullDescription": {"text": text}, "help": {"text": text},
            "defaultConfiguration": {"level": LEVELS[severity]},
            "properties": {"basis": "fazhi-lint 内部检查", "severity": severity, "tags": ["fazhi-lint-tool"]}}


def _result(result, finding, index, reader, uri) -> dict:
    end_line = max(finding.end_line, finding.line)
    end_column = max(finding.end_column, finding.column) if end_line == finding.line else max(finding.end_column, 1)
    region = {"startLine": finding.line, "startColumn": finding.column, "endLine": end_line, "endColumn": end_column}
    if finding.excerpt:
        region["snippet"] = {"text": finding.excerpt}
    out = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": f"{finding.message}（提示：{finding.hint}）"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
        "partialFingerprints": {"fazhiLintText/v1": reader.fingerprint(result.path, finding)},
        "properties": {"basis": finding.basis, "severity": finding.severity},
    }
    if finding.location:      # the place in the .docx/.pdf/.html the text was extracted from
        out["properties"]["location"] = dict(finding.location)
        out["message"]["text"] = f"{where(finding)}{out['message']['text']}"
    if finding.suppressed is not None:
        out["suppressions"] = [{"kind": "external", "status": "accepted", "justification": finding.suppressed}]
    return out


def render_sarif(results, context) -> str:
    ruleset = context["ruleset"]
    descriptors = [_descriptor(rule) for rule in ruleset.rules]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    reader = ContextReader(context.get("texts"))      # the run's texts: no report is read again
    sarif_results, notifications = [], []
    for result in results:
        if result.error:
            notifications.append({"level": "error", "message": {"text": f"{result.path}: {result.error}"},
                                  "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(result.path)}}}]})
            continue
        uri = _uri(result.path)
        for finding in result.findings:
            if finding.rule not in index:
                index[finding.rule] = len(descriptors)
                descriptors.append(_tool_descriptor(finding.rule))
            sarif_results.append(_result(result, finding, index[finding.rule], reader, uri))
    invocation = {"executionSuccessful": not any(r.internal_errors for r in results),
                  "properties": {"fail_on": context.get("fail_on", "error"), "pack": context.get("pack", "national")}}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "fazhi-lint", "version": context["version"],
                                "semanticVersion": context["version"],
                                "informationUri": "https://pypi.org/project/fazhi-lint/",
                                "rules": descriptors}},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
        }],
    }
    # One line, as --format json: json's C encoder runs only without indent (≈10x faster on a batch);
    # SARIF viewers and code scanning read it the same, and the file is smaller.
    return json.dumps(log, ensure_ascii=False) + "\n"
