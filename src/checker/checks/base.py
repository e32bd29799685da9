"""What every checker kind shares: the Hit record, the two exceptions, pattern helpers."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import regex

from ..numbers import NUMBER

REGEX_TIMEOUT = 2.0          # seconds per pattern per scope span; guards catastrophic patterns
SCOPES = ("report", "body", "all", "title", "chrome", "headings", "preamble",
          "measures_and_results", "shortcomings", "causes", "first_responsible_person", "next_year_plan")
VIEWS = ("normalised", "original")


class RuleError(Exception):
    """A rule's parameters are invalid (bad regex, missing parameter...)."""


class NotApplicable(Exception):
    """The rule does not apply to this report (e.g. no shortcomings part to look for causes in)."""


class PatternTimeout(Exception):
    """A rule pattern ran longer than REGEX_TIMEOUT on one span."""


@dataclass(frozen=True)
class Hit:
    """One place a rule fires. ``start``/``end`` index the ``view`` text; ``None`` means the
    report as a whole (the finding is anchored at the title or the first body line)."""

    start: Optional[int] = None
    end: Optional[int] = None
    view: str = "normalised"
    values: dict = field(default_factory=dict)


def compile_pattern(source, what: str = "pattern"):
    """Compile a rule pattern. ``{N}`` stands for one number (Arabic or Chinese)."""
    if not isinstance(source, str) or not source:
        raise RuleError(f"{what} 必须是非空字符串")
    try:
        return regex.compile(source.replace("{N}", f"(?P<n>{NUMBER})"))
    except regex.error as exc:
        raise RuleError(f"{what} 不是有效的正则表达式：{exc}（{source!r}）") from None


def compile_list(value, what: str):
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise RuleError(f"{what} 必须是字符串或字符串列表")
    return [compile_pattern(v, what) for v in value]


def finditer(pattern, text: str, spans):
    """All matches of ``pattern`` inside the given spans, with a timeout per span."""
    for start, end in spans:
        try:
            yield from pattern.finditer(text, start, end, timeout=REGEX_TIMEOUT)
        except TimeoutError:
            raise PatternTimeout(pattern.pattern) from None


def scope_spans(doc, rule, view: str = "normalised"):
    """Spans of the rule's scope in the requested view."""
    spans = doc.scope_spans(rule.scope)
    if view == "original":
        to_orig = doc.norm.offsets.span_to_original
        return [to_orig(s, e) for s, e in spans if e > s]
    return spans


def view_text(doc, view: str) -> str:
    return doc.original if view == "original" else doc.text


def overlaps_any(start: int, end: int, spans) -> bool:
    return any(s < end and start < e for s, e in spans)


def exception_spans(patterns, text, spans, margin: int = 12):
    """Spans matched by exception patterns, searched a little beyond the scope edges."""
    out = []
    for pattern in patterns:
        widened = [(max(0, s - margin), min(len(text), e + margin)) for s, e in spans]
        out.extend(m.span() for m in finditer(pattern, text, widened))
    return out


def require_params(params: dict, required, optional, kind: str):
    unknown = set(params) - set(required) - set(optional)
    if unknown:
        raise RuleError(f"{kind} 类规则不认识参数：{', '.join(sorted(unknown))}")
    missing = [p for p in required if p not in params]
    if missing:
        raise RuleError(f"{kind} 类规则缺少参数：{', '.join(missing)}")


_CONDITION_CACHE: dict = {}


def _cached(source: str):
    pattern = _CONDITION_CACHE.get(source)
    if pattern is None:
        pattern = _CONDITION_CACHE[source] = compile_pattern(source, "when")
    return pattern


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
        if not any(True for _ in finditer(_cached(source), doc.text, spans)):
            raise NotApplicable("范围内没有出现前提内容")
    for source in _as_list(when.get("absent")):
        if any(True for _ in finditer(_cached(source), doc.text, spans)):
            raise NotApplicable("范围内已有排除条件的内容")


def _as_list(value):
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
