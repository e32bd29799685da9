"""Kinds that read the facts table (``Document.facts``) instead of matching text themselves.

``fact_threshold``: the facts whose label matches, aggregated (sum, max, min, count) against a
threshold, with three cases told apart: stated with a number, mentioned without a number, not
mentioned at all. Each case can fire at its own level, which is how "学法考试 not reported" can
be advisory while "法治讲座 1 次, fewer than 2" is a warning.

``checklist``: named items looked for in a scope (e.g. the first-responsible-person text), plus a
minimum number of facts there; the finding says what was found (with counts) and what is missing.
"""
from __future__ import annotations

from .base import (SpanSet, Hit, NotApplicable, RuleError, compile_list, finditer, outcome_param,
                   check_params, scope_spans)

AGGREGATES = ("sum", "max", "min", "count")


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def facts_in(doc, spans, labels=None, kinds=None, units=None) -> list:
    """Facts inside ``spans`` whose label matches one of ``labels`` (compiled), kind is in
    ``kinds`` and unit is in ``units`` (each filter optional)."""
    if spans is not None and not isinstance(spans, SpanSet):
        spans = SpanSet(spans)                  # O(log n) per fact: scopes of a huge file have many spans
    # The label/kind/unit filter depends only on the rule, so it is worked out once per report and rule.
    cache = doc.__dict__.setdefault("_facts_by_filter", {})
    key = (id(labels), tuple(kinds or ()), tuple(units or ()))
    chosen = cache.get(key)
    if chosen is None:
        chosen = cache[key] = [
            fact for fact in doc.facts
            if (not labels or any(p.search(fact.label) for p in labels))
            and (not kinds or fact.kind in kinds) and (not units or fact.unit in units)]
    if spans is None:
        return list(chosen)
    return [fact for fact in chosen if spans.overlaps(fact.start, fact.end)]


def describe(facts, limit: int = 4) -> str:
    """"集体学习12次、法治专题学习3次" for a message."""
    parts = [f"{f.label}{_number(f.count)}{f.unit}{'余' if f.record.approx else ''}" for f in facts[:limit]]
    if len(facts) > limit:
        parts.append(f"等{len(facts)}项")
    return "、".join(parts)


def _outcome_hit(outcome, start, end, values):
    if outcome == "pass":
        return []
    if outcome == "skip":
        raise NotApplicable(values.get("detail", ""))
    severity = None if outcome == "fire" else outcome
    if start is None:
        return [Hit(values=values, severity=severity)]
    return [Hit(start, end, "normalised", values, severity)]


class FactThresholdKind:
    """Aggregate the facts with matching labels; fire when below ``min`` / above ``max``, or as
    ``unquantified`` / ``absent`` say when the report gives no number."""

    name = "fact_threshold"
    required = ("labels",)
    params = {
        "labels": "事实标签的正则列表（见 src/checker/document/facts/lexicon.yaml 的 labels）",
        "kinds": "可选：事实类别列表（study、responsibility、litigation…）",
        "units": "可选：只取这些计量单位的事实（如 [次, 场, 期]）",
        "aggregate": "sum（默认）、max、min 或 count（事实条数）",
        "min": "下限（小于即报）",
        "max": "上限（大于即报）",
        "mention": "正则列表：报告提到该事项（用于区分“提到但没有数字”和“完全没有提到”）",
        "zero": "正则列表：报告明确说没有（如“未发生行政诉讼案件”），视为数量 0",
        "unquantified": "提到但没有数字时：fire（按规则级别报）、pass、skip 或 info/warning/error（按该级别报；默认 fire）",
        "absent": "完全没有提到时：同上（默认 fire）",
    }

    def prepare(self, rule):
        p = rule.params
        check_params(self, p)
        if p.get("aggregate", "sum") not in AGGREGATES:
            raise RuleError(f"aggregate 必须是 {' / '.join(AGGREGATES)}")
        for bound in ("min", "max"):
            if bound in p and not isinstance(p[bound], (int, float)):
                raise RuleError(f"{bound} 必须是数字")
        for key in ("kinds", "units"):
            if key in p and not (isinstance(p[key], list) and all(isinstance(x, str) for x in p[key])):
                raise RuleError(f"{key} 必须是字符串列表")
        outcome_param(p, "unquantified")
        outcome_param(p, "absent")
        return (compile_list(p["labels"], "labels"), compile_list(p.get("mention"), "mention"),
                compile_list(p.get("zero"), "zero"))

    def check(self, doc, rule, state):
        labels, mentions, zeros = state
        p = rule.params
        spans = scope_spans(doc, rule)
        facts = facts_in(doc, spans, labels, p.get("kinds"), p.get("units"))
        lo, hi = p.get("min"), p.get("max")
        base = {"min": lo, "max": hi, "found": describe(facts), "count": len(facts)}
        if not facts:
            zero = next((m for pat in zeros for m in finditer(pat, doc.text, spans)), None)
            if zero is not None:
                value = 0
                if (lo is not None and value < lo) or (hi is not None and value > hi):
                    return [Hit(zero.start(), zero.end(), "normalised",
                                {**base, "value": 0, "detail": f"报告称没有（“{zero.group(0)}”）"})]
                return []
            mention = next((m for pat in mentions for m in finditer(pat, doc.text, spans)), None)
            if mention is not None:
                return _outcome_hit(outcome_param(p, "unquantified"), mention.start(), mention.end(),
                                    {**base, "value": "未写数字", "match": mention.group(0),
                                     "detail": f"提到了（“{mention.group(0)}”）但没有写次数或比例"})
            return _outcome_hit(outcome_param(p, "absent"), None, None,
                                {**base, "value": "未提及", "detail": "报告没有提到"})
        numbers = [f.count for f in facts]
        aggregate = p.get("aggregate", "sum")
        value = {"sum": sum, "max": max, "min": min, "count": len}[aggregate](numbers)
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            bound = f"少于 {_number(lo)}" if lo is not None and value < lo else f"多于 {_number(hi)}"
            detail = f"报告写的是 {describe(facts)}，合计 {_number(value)}，{bound}" if aggregate == "sum" and len(facts) > 1 \
                else f"报告写的是 {describe(facts)}，{bound}"
            first = facts[0]
            return [Hit(first.start, first.end, "normalised", {**base, "value": _number(value), "detail": detail})]
        return []


class ChecklistKind:
    """Items (name -> patterns) looked for in the scope, and at least ``min_facts`` facts there;
    fire when fewer than ``min_items`` items or fewer than ``min_facts`` facts are found."""

    name = "checklist"
    required = ("items",)
    params = {
        "items": "映射：事项名 → 正则（或正则列表）；在范围内查找",
        "min_items": "至少写到的事项数（默认 1）",
        "min_facts": "范围内至少应有的量化事实（数字）条数（默认 0）",
        "fact_labels": "可选：只数标签匹配这些正则的事实",
        "absent": "范围为空（如没有第一责任人部分）时：skip（默认）、pass 或 fire",
    }

    def prepare(self, rule):
        p = rule.params
        check_params(self, p)
        if not isinstance(p["items"], dict) or not p["items"]:
            raise RuleError("items 必须是非空映射 {事项名: 正则}")
        for key in ("min_items", "min_facts"):
            if key in p and not (isinstance(p[key], int) and p[key] >= 0):
                raise RuleError(f"{key} 必须是非负整数")
        if p.get("absent", "skip") not in ("skip", "pass", "fire"):
            raise RuleError("absent 必须是 skip、pass 或 fire")
        items = [(str(name), compile_list(pats, f"items.{name}")) for name, pats in p["items"].items()]
        return items, compile_list(p.get("fact_labels"), "fact_labels")

    def check(self, doc, rule, state):
        items, fact_labels = state
        p = rule.params
        spans = scope_spans(doc, rule)
        if not spans:
            absent = p.get("absent", "skip")
            if absent == "skip":
                raise NotApplicable("范围为空")
            return [] if absent == "pass" else [Hit(values={"detail": "没有可检查的内容"})]
        found, missing = [], []
        for name, patterns in items:
            (found if any(True for pat in patterns for _ in finditer(pat, doc.text, spans)) else missing).append(name)
        facts = facts_in(doc, spans, fact_labels)
        need_items, need_facts = p.get("min_items", 1), p.get("min_facts", 0)
        if len(found) >= need_items and len(facts) >= need_facts:
            return []
        numbers = f"有 {len(facts)} 处数字（{describe(facts)}）" if facts else "没有任何数字"
        detail = (f"{numbers}，至少应有 {need_facts} 处；" if len(facts) < need_facts else f"{numbers}；") + \
                 (f"写到：{'、'.join(found)}；" if found else "没有写到任何具体履职行为；") + \
                 (f"未写：{'、'.join(missing)}" if missing else "")
        values = {"detail": detail.rstrip("；"), "found": "、".join(found), "missing": "、".join(missing),
                  "facts": len(facts)}
        if rule.scope in ("report", "body", "all"):
            return [Hit(values=values)]           # about the report as a whole: shown at its title
        start, end = spans[0]
        line_end = doc.text.find("\n", start, end)
        return [Hit(start, line_end if line_end > start else end, "normalised", values)]
