"""The ``density`` kind: matches per N characters of a scope (the coverage of a list of items is
``checks/coverage.py``)."""
from __future__ import annotations

import re

from .base import Hit, NotApplicable, RuleError, compile_list, finditer, first_line, scope_spans
from .params import REQUIRED, DeclaredKind, Param, Parameters

_SPACE = re.compile(r"\s")


def nonspace_chars(doc, spans) -> int:
    """Characters other than white space in ``spans`` of the report, counted once per report and
    spans (a density rule counts its scope twice with ``unless``; part_size counts the body)."""
    text = doc.text
    return doc._cached(("nonspace", tuple(spans)),
                       lambda: sum(len(_SPACE.sub("", text[s:e])) for s, e in spans))


def _rate(patterns, doc, spans, per):
    text = doc.text
    chars = nonspace_chars(doc, spans)
    if chars == 0:
        return 0, 0, 0.0
    count = sum(1 for p in patterns for _ in finditer(p, text, spans))
    return count, chars, count * per / chars


class DensityKind(DeclaredKind):
    """Matches per ``per_chars`` characters of the scope, against ``min``/``max``; an ``unless``
    block (another pattern list with its own ``min`` rate) excuses the finding."""

    name = "density"
    declared = Parameters(
        "density",
        Param("patterns", "patterns", "计数的正则列表", REQUIRED),
        Param("per_chars", "number", "按多少字计算", 1000),
        Param("min", "number", "下限（低于即报）"),
        Param("max", "number", "上限（高于即报）"),
        Param("min_chars", "count", "范围字数少于此值时跳过", 100),
        Param("unless", "mapping", "豁免条件 {patterns: [...], min: 每 per_chars 字的次数}"),
    )

    def prepare(self, rule):
        c = rule.config
        if c.min is None and c.max is None:
            raise RuleError("min 与 max 至少给出一个")
        unless = c.unless
        if unless is not None and (set(unless) - {"patterns", "min"} or "patterns" not in unless
                                   or not isinstance(unless.get("min"), (int, float))):
            raise RuleError("unless 必须是 {patterns: [...], min: 数字}")
        return (compile_list(c.patterns, "patterns"),
                compile_list(unless["patterns"], "unless.patterns") if unless else None)

    def check(self, doc, rule, state):
        patterns, unless = state
        c = rule.config
        per = c.per_chars
        spans = scope_spans(doc, rule)
        count, chars, rate = _rate(patterns, doc, spans, per)
        if chars < c.min_chars:
            raise NotApplicable("范围内文字太少")
        low = c.min is not None and rate < c.min
        high = c.max is not None and rate > c.max
        if not (low or high):
            return []
        if unless:
            _, _, other = _rate(unless, doc, spans, per)
            if other >= c.unless["min"]:
                return []
        start, end = first_line(doc.text, *spans[0])
        return [Hit(start, end, values={"rate": f"{rate:.1f}", "count": count, "chars": chars, "per": per,
                                        "min": c.min, "max": c.max})]
