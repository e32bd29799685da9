"""Run a rule set over reports: every rule x its checker kind -> findings, outcomes, score.

A checker that raises is isolated: the report gets an FZ-X01 finding naming the plugin and the
rule, and every other rule still runs. A plugin that raised earlier (while loading, in a hook, or
on a rule's examples; ``ruleset.plugin_failures``) also gives every report an FZ-X01 finding.
A pattern that times out gets FZ-X02.
"""
from __future__ import annotations

import re
import traceback

from ..checks.base import check_conditions
from ..document import build_document, load_document
from ..errors import NotApplicable, PatternTimeout, UnreadableInput
from ..fixing.edits import edit_for
from ..records import SEVERITY_RANK, Finding, Result, RuleOutcome
from ..rules.applicability import applicability
from .scoring import explain, score, subscores

INTERNAL_ERROR_RULE = "FZ-X01"
TIMEOUT_RULE = "FZ-X02"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def render(template: str, values: dict) -> str:
    """Fill ``{name}`` placeholders; unknown names stay as written (no format-string evaluation)."""
    def sub(m):
        value = values.get(m.group(1))
        return m.group(0) if value is None else str(value)
    return _PLACEHOLDER.sub(sub, template)


def _context(doc) -> dict:
    year = doc.meta.report_year
    return {"year": year, "next_year": year + 1 if year else None, "published": doc.meta.published,
            "unit": doc.meta.unit, "title": doc.meta.title}


def _anchor(doc) -> tuple:
    """Where a finding about the report as a whole is shown: the title, else the first body line."""
    if doc.meta.title_line is not None:
        return doc.line_spans[doc.meta.title_line]
    for i in range(doc.header_end_line, len(doc.line_spans)):
        if i not in doc.chrome_lines and doc.line_text(i).strip():
            return doc.line_spans[i]
    return (0, 0)


def _finding(doc, rule, hit, context, lang, applied=None) -> Finding:
    values = {**context, **hit.values}
    if hit.start is None:
        start, end = _anchor(doc)
        view = "normalised"
    else:
        start, end, view = hit.start, hit.end, hit.view
        text = doc.text if view == "normalised" else doc.original
        while start < end and text[start].isspace():      # show the words, not the blank line before them
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
    where = doc.locate(start, end, view)
    message = rule.message_en if lang == "en" and rule.message_en else rule.message
    hint = rule.hint_en if lang == "en" and rule.hint_en else rule.hint
    severity = hit.severity if hit.severity in SEVERITY_RANK else rule.severity
    fix = None
    if hit.start is not None and hit.values.get("fix"):
        fix = edit_for(doc, hit.start, hit.end, view, hit.values["fix"])
    if applied and applied != rule.severity:
        # the subject's severity replaces the rule's; a weaker case a kind reported stays weaker
        severity = applied if severity == rule.severity else min(severity, applied, key=SEVERITY_RANK.get)
    return Finding(rule=rule.id, severity=severity, message=render(message, values),
                   hint=render(hint, values), basis=rule.basis, fix=fix, **where)


def _internal(rule_id: str, message: str) -> Finding:
    return Finding(rule=rule_id, severity="error", message=message, hint="请把本消息报告给插件作者；其他规则的结果不受影响。",
                   basis="fazhi-lint 内部检查", line=1, column=1, end_line=1, end_column=1, excerpt="")


def evaluate(doc, ruleset, lang: str = "zh") -> Result:
    """Run every rule of ``ruleset`` on a Document."""
    result = Result(path=doc.path, meta=doc.meta.to_json(), elements=doc.elements_summary())
    context = _context(doc)
    for failure in getattr(ruleset, "plugin_failures", ()):
        result.findings.append(_internal(INTERNAL_ERROR_RULE, f"{failure}；该插件的这部分功能未生效"))
        result.internal_errors.append(str(failure))
    for rule in ruleset.rules:
        kind = ruleset.kinds[rule.check]
        applied, why = applicability(rule, doc.meta.subject, doc.meta.report_year)
        if applied is None:
            result.outcomes.append(RuleOutcome(rule.id, "skipped", why))
            continue
        try:
            check_conditions(doc, rule)
            hits = kind.check(doc, rule, ruleset.states[rule.id])
        except NotApplicable as exc:
            result.outcomes.append(RuleOutcome(rule.id, "skipped", str(exc)))
            continue
        except PatternTimeout as exc:
            result.findings.append(_internal(TIMEOUT_RULE, f"规则 {rule.id} 的正则表达式运行超时，已跳过：{exc}"))
            result.outcomes.append(RuleOutcome(rule.id, "skipped", "正则表达式超时"))
            result.internal_errors.append(f"{rule.id}: timeout")
            continue
        except Exception as exc:  # a checker kind must never take the other rules down
            plugin = getattr(kind, "plugin_name", "?")
            where = traceback.extract_tb(exc.__traceback__)[-1]
            result.findings.append(_internal(
                INTERNAL_ERROR_RULE,
                f"插件 {plugin} 的检查类型 {rule.check} 在规则 {rule.id} 上出错：{type(exc).__name__}: {exc}"
                f"（{where.filename.rsplit('/', 1)[-1]}:{where.lineno}）"))
            result.outcomes.append(RuleOutcome(rule.id, "skipped", "检查出错（FZ-X01）"))
            result.internal_errors.append(f"{rule.id}: {type(exc).__name__}: {exc}")
            continue
        if hits:
            found = [_finding(doc, rule, hit, context, lang, applied) for hit in hits]
            result.findings.extend(found)
            worst = max((f.severity for f in found), key=SEVERITY_RANK.__getitem__)
            result.outcomes.append(RuleOutcome(rule.id, "failed", severity=worst))
        else:
            result.outcomes.append(RuleOutcome(rule.id, "passed"))
    result.findings.sort(key=lambda f: (f.line, f.column, f.rule))
    try:
        result.facts = [found.record for found in doc.facts]
    except Exception as exc:  # the facts table must never take the report down
        result.findings.append(_internal(INTERNAL_ERROR_RULE, f"读取量化事实出错：{type(exc).__name__}: {exc}"))
        result.internal_errors.append(f"facts: {type(exc).__name__}: {exc}")
    result.score = score(result.outcomes, ruleset, result.elements)
    result.subscores = subscores(result.outcomes, ruleset, result.elements)
    result.breakdown = explain(result.outcomes, ruleset, result.elements)
    return result


def check_path(path, ruleset, year=None, published=None, lang="zh", max_bytes=None, subject=None,
               sketch=None) -> Result:
    """Check one report (a path, or a ``checker.inputs.Input``: a zip member, standard input);
    an unreadable file gives a Result with ``error`` set. ``subject`` overrides who reports.
    ``sketch``, a function of the Document, is kept in ``Result.sketch`` (copy detection, computed
    where the document is already built: in the batch worker)."""
    from ..inputs import Input, load_bytes

    item = path if isinstance(path, Input) else Input(display=path, path=path)
    try:
        data = load_bytes(item, max_bytes or 64 * 1024 * 1024)
        doc = load_document(item.display, year=year, published=published, data=data,
                            delete_patterns=getattr(ruleset, "delete_patterns", ()),
                            readers=getattr(ruleset, "readers", None), subject=subject)
    except UnreadableInput as exc:
        return Result(path=item.display, error=str(exc))
    result = evaluate(doc, ruleset, lang)
    if sketch is not None:
        result.sketch = sketch(doc)
    return result


def check_text(text: str, ruleset, path="<text>", year=None, published=None, lang="zh", subject=None) -> Result:
    doc = build_document(text, path=path, year=year, published=published,
                         delete_patterns=getattr(ruleset, "delete_patterns", ()), subject=subject)
    return evaluate(doc, ruleset, lang)
