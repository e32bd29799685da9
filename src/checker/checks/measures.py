"""Kinds that measure text: ``density`` (matches per N characters) and ``coverage`` (which items
of a checklist a report mentions)."""
from __future__ import annotations

import re

from .base import Hit, NotApplicable, RuleError, compile_list, finditer, check_params, scope_spans

_SPACE = re.compile(r"\s")


def _rate(patterns, text, spans, per):
    chars = sum(len(_SPACE.sub("", text[s:e])) for s, e in spans)
    if chars == 0:
        return 0, 0, 0.0
    count = sum(1 for p in patterns for _ in finditer(p, text, spans))
    return count, chars, count * per / chars


class DensityKind:
    """Matches per ``per_chars`` characters of the scope, against ``min``/``max``; an ``unless``
    block (another pattern list with its own ``min`` rate) excuses the finding."""

    name = "density"
    required = ("patterns",)
    params = {
        "patterns": "计数的正则列表",
        "per_chars": "按多少字计算（默认 1000）",
        "min": "下限（低于即报）",
        "max": "上限（高于即报）",
        "min_chars": "范围字数少于此值时跳过（默认 100）",
        "unless": "豁免条件 {patterns: [...], min: 每 per_chars 字的次数}",
    }

    def prepare(self, rule):
        p = rule.params
        check_params(self, p)
        if "min" not in p and "max" not in p:
            raise RuleError("min 与 max 至少给出一个")
        unless = p.get("unless")
        if unless is not None and (not isinstance(unless, dict) or set(unless) - {"patterns", "min"}
                                   or "patterns" not in unless or "min" not in unless):
            raise RuleError("unless 必须是 {patterns: [...], min: 数字}")
        return (compile_list(p["patterns"], "patterns"),
                compile_list(unless["patterns"], "unless.patterns") if unless else None)

    def check(self, doc, rule, state):
        patterns, unless = state
        p = rule.params
        per = p.get("per_chars", 1000)
        spans = scope_spans(doc, rule)
        count, chars, rate = _rate(patterns, doc.text, spans, per)
        if chars < p.get("min_chars", 100):
            raise NotApplicable("范围内文字太少")
        low = "min" in p and rate < p["min"]
        high = "max" in p and rate > p["max"]
        if not (low or high):
            return []
        if unless:
            _, _, other = _rate(unless, doc.text, spans, per)
            if other >= p["unless"]["min"]:
                return []
        start = spans[0][0]
        end = doc.text.find("\n", start, spans[0][1])
        return [Hit(start, end if end > start else spans[0][1],
                    values={"rate": f"{rate:.1f}", "count": count, "chars": chars, "per": per,
                            "min": p.get("min"), "max": p.get("max")})]


class CoverageKind:
    """A checklist of topics (each a label and patterns); fires listing the topics not mentioned
    when fewer than ``min_covered`` (default: all) are present."""

    name = "coverage"
    required = ("items",)
    params = {
        "items": "清单：[{label: 名称, patterns: [正则…]}]",
        "min_covered": "至少覆盖的条目数（默认全部）",
    }

    def prepare(self, rule):
        p = rule.params
        check_params(self, p)
        items = p["items"]
        if not isinstance(items, list) or not items:
            raise RuleError("items 必须是非空列表")
        compiled = []
        for item in items:
            if not isinstance(item, dict) or set(item) - {"label", "patterns"} or "label" not in item:
                raise RuleError("items 的每一项必须是 {label, patterns}")
            compiled.append((str(item["label"]), compile_list(item.get("patterns"), f"items[{item['label']}].patterns")))
        return compiled

    def check(self, doc, rule, compiled):
        spans = scope_spans(doc, rule)
        missing = [label for label, patterns in compiled
                   if not any(True for p in patterns for _ in finditer(p, doc.text, spans))]
        need = rule.params.get("min_covered", len(compiled))
        if len(compiled) - len(missing) >= need:
            return []
        return [Hit(values={"missing": "、".join(missing), "count": len(missing), "total": len(compiled),
                            "covered": len(compiled) - len(missing)})]
