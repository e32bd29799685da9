"""What every checker kind shares: the Hit record, scopes and views, the ``when`` conditions.

The pattern helpers (``compile_pattern``, ``compile_list``, ``finditer``), ``SpanSet`` and the
exceptions live in the low rooms ``checker.helpers`` and ``checker.errors``; they are imported
here as well because this module is the documented surface for plugin authors.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..errors import NotApplicable, PatternTimeout, RuleError
from ..helpers.patterns import REGEX_TIMEOUT, compile_list, compile_pattern, finditer, search
from ..helpers.spans import SpanSet, first_line

__all__ = ["Hit", "NotApplicable", "PatternTimeout", "REGEX_TIMEOUT", "RuleError", "SCOPES", "SpanSet", "VIEWS",
           "OUTCOME_CHOICES", "check_conditions", "compile_list", "compile_pattern", "exception_spans", "finditer",
           "first_line", "scope_spans", "search", "view_text"]

SCOPES = ("report", "body", "all", "title", "chrome", "headings", "preamble",
          "measures_and_results", "shortcomings", "causes", "first_responsible_person", "next_year_plan",
          "review", "frp_text")
VIEWS = ("normalised", "original")


@dataclass(frozen=True)
class Hit:
    """One place a rule fires. ``start``/``end`` index the ``view`` text; ``None`` means the
    report as a whole (the finding is anchored at the title or the first body line).
    ``severity``, when set, replaces the rule's severity for this one finding: a kind may report
    a weaker case (e.g. "not mentioned at all") at a lower level, as its parameters say."""

    start: Optional[int] = None
    end: Optional[int] = None
    view: str = "normalised"
    values: dict = field(default_factory=dict)
    severity: Optional[str] = None


def scope_spans(doc, rule, view: str = "normalised"):
    """Spans of the rule's scope in the requested view."""
    spans = doc.scope_spans(rule.scope)
    if view == "original":
        to_orig = doc.norm.offsets.span_to_original
        return [to_orig(s, e) for s, e in spans if e > s]
    return spans


def view_text(doc, view: str) -> str:
    return doc.original if view == "original" else doc.text


def exception_spans(patterns, text, spans, margin: int = 12) -> SpanSet:
    """Spans matched by exception patterns, searched a little beyond the scope edges."""
    out = SpanSet()
    for pattern in patterns:
        widened = [(max(0, s - margin), min(len(text), e + margin)) for s, e in spans]
        for m in finditer(pattern, text, widened):
            out.add(*m.span())
    return out


def check_conditions(doc, rule) -> None:
    """Raise NotApplicable when the rule's ``when`` conditions do not hold for this report."""
    when = rule.when
    if not when:
        return
    year = doc.meta.report_year
    if "year_min" in when or "year_max" in when:
        if year is None:
            raise NotApplicable("无法确定报告年度")
        if year < when.get("year_min", year) or year > when.get("year_max", year):
            raise NotApplicable(f"仅适用于 {when.get('year_min', '')}–{when.get('year_max', '')} 年度的报告")
    for element in when.get("elements") or []:
        if element == "first_responsible_person":
            present = doc.frp_form != "none"
        else:
            present = bool(doc.element_spans(element))
        if not present:
            raise NotApplicable(f"报告没有要素 {element}")
    spans = doc.scope_spans(rule.scope)
    for source in _as_list(when.get("present")):
        if not any(True for _ in finditer(compile_pattern(source, "when"), doc.text, spans)):
            raise NotApplicable("范围内没有出现前提内容")
    for source in _as_list(when.get("absent")):
        if any(True for _ in finditer(compile_pattern(source, "when"), doc.text, spans)):
            raise NotApplicable("范围内已有排除条件的内容")


def _as_list(value):
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


OUTCOME_CHOICES = ("fire", "pass", "skip", "info", "warning", "error")   # what a case leads to (fact_threshold)
