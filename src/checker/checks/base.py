"""What every checker kind shares: the Hit record, the two exceptions, pattern helpers."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Optional

import regex

from ..numbers import NUMBER

REGEX_TIMEOUT = 2.0          # seconds per pattern per scope span; guards catastrophic patterns
SCOPES = ("report", "body", "all", "title", "chrome", "headings", "preamble",
          "measures_and_results", "shortcomings", "causes", "first_responsible_person", "next_year_plan",
          "review", "frp_text")
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
    report as a whole (the finding is anchored at the title or the first body line).
    ``severity``, when set, replaces the rule's severity for this one finding: a kind may report
    a weaker case (e.g. "not mentioned at all") at a lower level, as its parameters say."""

    start: Optional[int] = None
    end: Optional[int] = None
    view: str = "normalised"
    values: dict = field(default_factory=dict)
    severity: Optional[str] = None


# For patterns whose every match must start with one of a few literal strings (法制政府, 行政复议|复议, …),
# the literals; a document that contains none of them is not scanned at all (a ``str`` search is far
# cheaper than a regex scan with a timeout). Keyed by the compiled pattern.
REQUIRED_LITERALS: dict = {}
_SPECIAL = set("\\.^$*+?{}[]()|")


def _top_level_branches(source: str):
    branches, depth, start, i = [], 0, 0, 0
    in_class = False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            branches.append(source[start:i])
            start = i + 1
        i += 1
    branches.append(source[start:])
    return branches


def required_literals(source: str):
    """Literal prefixes, one per top-level alternative, that any match must start with; None when
    the pattern does not have them (a class, a group or a number first, case-insensitive flags…)."""
    literals = []
    for branch in _top_level_branches(source):
        run = ""
        for i, ch in enumerate(branch):
            if ch in _SPECIAL:
                if ch in "?*{" and run:
                    run = run[:-1]          # the last character is optional
                break
            run += ch
        if len(run) < 2:
            return None
        literals.append(run)
    return tuple(literals)


def compile_pattern(source, what: str = "pattern"):
    """Compile a rule pattern. ``{N}`` stands for one number (Arabic or Chinese)."""
    if not isinstance(source, str) or not source:
        raise RuleError(f"{what} 必须是非空字符串")
    try:
        pattern = regex.compile(source.replace("{N}", f"(?P<n>{NUMBER})"))
    except regex.error as exc:
        raise RuleError(f"{what} 不是有效的正则表达式：{exc}（{source!r}）") from None
    literals = required_literals(source)
    if literals:
        REQUIRED_LITERALS[pattern] = literals
    return pattern


def compile_list(value, what: str):
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise RuleError(f"{what} 必须是字符串或字符串列表")
    return [compile_pattern(v, what) for v in value]


def finditer(pattern, text: str, spans) -> list:
    """All matches of ``pattern`` inside the given spans (a list), with a timeout per span."""
    literals = REQUIRED_LITERALS.get(pattern)
    if literals and not any(lit in text for lit in literals):
        return []
    out = []
    try:
        for start, end in spans:
            out.extend(pattern.finditer(text, start, end, timeout=REGEX_TIMEOUT))
    except TimeoutError:
        raise PatternTimeout(pattern.pattern) from None
    return out


def scope_spans(doc, rule, view: str = "normalised"):
    """Spans of the rule's scope in the requested view."""
    spans = doc.scope_spans(rule.scope)
    if view == "original":
        to_orig = doc.norm.offsets.span_to_original
        return [to_orig(s, e) for s, e in spans if e > s]
    return spans


def view_text(doc, view: str) -> str:
    return doc.original if view == "original" else doc.text


class SpanSet:
    """A growing set of [start, end) spans with an overlap test in O(log n)."""

    def __init__(self, spans=()):
        self._starts, self._ends = [], []
        for s, e in sorted(spans):
            self.add(s, e)

    def add(self, start: int, end: int) -> None:
        """Add a span, merging it with the spans it touches (keeps the lists sorted and disjoint)."""
        i = bisect.bisect_left(self._ends, start)
        j = i
        while j < len(self._starts) and self._starts[j] <= end:
            start, end = min(start, self._starts[j]), max(end, self._ends[j])
            j += 1
        self._starts[i:j] = [start]
        self._ends[i:j] = [end]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._ends, start)
        return i < len(self._starts) and self._starts[i] < end


def exception_spans(patterns, text, spans, margin: int = 12) -> SpanSet:
    """Spans matched by exception patterns, searched a little beyond the scope edges."""
    out = SpanSet()
    for pattern in patterns:
        widened = [(max(0, s - margin), min(len(text), e + margin)) for s, e in spans]
        for m in finditer(pattern, text, widened):
            out.add(*m.span())
    return out


def check_params(kind, params: dict) -> None:
    """Unknown or missing parameters of a rule, judged from the kind's own declaration: ``params``
    (every accepted name, with its description) and ``required`` (the names a rule must give)."""
    required = tuple(getattr(kind, "required", ()))
    require_params(params, required, [n for n in kind.params if n not in required], kind.name)


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


OUTCOME_CHOICES = ("fire", "pass", "skip", "info", "warning", "error")


def outcome_param(params: dict, name: str, default: str = "fire") -> str:
    """Validate a parameter that says what a case leads to: fire (at the rule's severity), pass,
    skip, or fire at the named severity (info / warning / error)."""
    value = params.get(name, default)
    if value not in OUTCOME_CHOICES:
        raise RuleError(f"{name} 必须是 {' / '.join(OUTCOME_CHOICES)} 之一")
    return value
