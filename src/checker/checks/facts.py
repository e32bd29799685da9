"""Kinds that read the facts table (``Document.facts``) instead of matching text themselves.

``fact_threshold``: the facts whose label matches, aggregated (sum, max, min, count) against a
threshold, with three cases told apart: stated with a number, mentioned without a number, not
mentioned at all. Each case can fire at its own level, which is how "学法考试 not reported" can
be advisory while "法治讲座 1 次, fewer than 2" is a warning.

The helpers ``facts_in`` and ``describe`` also serve ``coverage`` (figures in a scope).
"""
from __future__ import annotations

import re

from .base import OUTCOME_CHOICES, Hit, NotApplicable, SpanSet, compile_list, finditer, scope_spans, search
from .params import REQUIRED, DeclaredKind, Param, Parameters

AGGREGATES = ("sum", "max", "min", "count")


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


_LABEL_MATCHES: dict = {}      # (label pattern sources, label) -> bool: labels repeat across reports


def _sources(labels) -> tuple:
    """The labels' pattern sources and flags: a value to key on (compiled patterns hash by identity)."""
    return tuple((p.pattern, p.flags) for p in labels)


def _label_matches(labels, sources: tuple, label: str) -> bool:
    """Whether one of the compiled ``labels`` (whose :func:`_sources` are ``sources``) finds ``label``,
    remembered per process (a batch sees the same few hundred labels in every report; each answer is
    a regex search with a timeout)."""
    key = (sources, label)
    known = _LABEL_MATCHES.get(key)
    if known is None:
        if len(_LABEL_MATCHES) > 200_000:
            _LABEL_MATCHES.clear()
        known = _LABEL_MATCHES[key] = any(search(p, label) for p in labels)
    return known


def facts_in(doc, spans, labels=None, kinds=None, units=None) -> list:
    """Facts inside ``spans`` whose label matches one of ``labels`` (compiled), kind is in
    ``kinds`` and unit is in ``units`` (each filter optional)."""
    if spans is not None and not isinstance(spans, SpanSet):
        spans = SpanSet(spans)                  # O(log n) per fact: scopes of a huge file have many spans
    # The label/kind/unit filter depends only on the rule, so it is worked out once per report and rule.
    cache = doc.__dict__.setdefault("_facts_by_filter", {})
    sources = _sources(labels or ())
    key = (sources, tuple(kinds or ()), tuple(units or ()))
    chosen = cache.get(key)
    if chosen is None:
        chosen = cache[key] = [
            fact for fact in doc.facts
            if (not labels or _label_matches(labels, sources, fact.label))
            and (not kinds or fact.kind in kinds) and (not units or fact.unit in units)]
    if spans is None:
        return list(chosen)
    return [fact for fact in chosen if spans.overlaps(fact.start, fact.end)]


def _matches(doc, pattern, spans) -> list:
    """Matches of a mention or zero pattern in ``spans`` of the report, scanned once per report: a
    rule asks for its mentions up to three times, and rules share mention patterns (培训班, 讲座)."""
    return doc._cached(("matches", pattern.pattern, tuple(spans)), lambda: finditer(pattern, doc.text, spans))


_SENTENCE_END = "。；;！!？?\n"
_REACH = 200            # a sentence is looked for this far around a mention


def _facts_near_mentions(doc, spans, mentions, units) -> list:
    """Facts (measured in ``units`` when given) in the sentences where a mention of the matter starts (the report
    counts the matter in words the fact table labels otherwise: "县长主持召开县政府常务会议4次，专题听取
    全县法治政府建设工作汇报", "组织执法人员法律知识培训，人均63学时")."""
    text = doc.text
    sentences, found = SpanSet(), False
    for pattern in mentions:
        for m in _matches(doc, pattern, spans):
            sentences.add(*sentence_of(text, m.start(), m.start()))
            found = True
    if not found:
        return []
    return [f for f in facts_in(doc, spans, units=units) if sentences.overlaps(f.start, f.end)]


_BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?(?!\d|\.\d|\s*[年月日号])")


def _number_near_mentions(doc, spans, mentions) -> bool:
    """Whether a sentence where the matter is mentioned states a number (not a year or a date)."""
    text = doc.text
    for pattern in mentions:
        for m in _matches(doc, pattern, spans):
            start, end = sentence_of(text, m.start(), m.start())
            if _BARE_NUMBER.search(text, start, end):
                return True
    return False


# A month (or a day) the sentence dates the matter to: "2025年7月，党工委书记主持召开…专题会议" is one
# meeting. Not a range's end (1—6月) nor a recurrence (每月).
_DATED = re.compile(r"(?<![\d—\-~～至到每])(?:\d{4}年)?\d{1,2}月(?:份|\d{1,2}日)?")


def _dated_mention(doc, spans, mentions):
    """The first mention whose sentence dates it (a month or a day before the mention), else None."""
    text = doc.text
    for pattern in mentions:
        for m in finditer(pattern, text, spans):
            start, _ = sentence_of(text, m.start(), m.start())
            if _DATED.search(text, start, m.start()):
                return m
    return None


def sentence_of(text: str, start: int, end: int) -> tuple:
    """(start, end) of the sentence (between 。；！？ or line breaks) holding text[start:end]."""
    low, high = max(0, start - _REACH), min(len(text), end + _REACH)
    first = max(max(text.rfind(ch, low, start) for ch in _SENTENCE_END) + 1, low)
    ends = [i for i in (text.find(ch, end, high) for ch in _SENTENCE_END) if i >= 0]
    return first, (min(ends) if ends else high)


def facts_in_sentences(doc, facts, patterns) -> list:
    """The facts whose sentence matches one of ``patterns`` (e.g. the sentences about the principal's
    own duties: "县长主持召开常务会议4次" counts, "全年办理行政处罚案件47件" does not)."""
    kept = []
    for fact in facts:
        start, end = sentence_of(doc.text, fact.start, fact.end)
        if any(True for p in patterns for _ in finditer(p, doc.text, [(start, end)])):
            kept.append(fact)
    return kept


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


class FactThresholdKind(DeclaredKind):
    """Aggregate the facts with matching labels; fire when below ``min`` / above ``max``, or as
    ``unquantified`` / ``absent`` say when the report gives no number."""

    name = "fact_threshold"
    declared = Parameters(
        "fact_threshold",
        Param("labels", "patterns", "事实标签的正则列表（见 src/checker/document/facts/lexicon.yaml 的 labels）", REQUIRED),
        Param("kinds", "texts", "可选：事实类别列表（study、responsibility、litigation…）"),
        Param("units", "texts", "可选：只取这些计量单位的事实（如 [次, 场, 期]）"),
        Param("aggregate", "text", "sum、max、min 或 count（事实条数）", "sum", AGGREGATES),
        Param("min", "number", "下限（小于即报）"),
        Param("max", "number", "上限（大于即报）"),
        Param("mention", "patterns", "正则列表：报告提到该事项（用于区分“提到但没有数字”和“完全没有提到”）"),
        Param("zero", "patterns", "正则列表：报告明确说没有（如“未发生行政诉讼案件”），视为数量 0"),
        Param("unquantified", "text", "提到但没有数字时：fire（按规则级别报）、pass、skip 或 info/warning/error（按该级别报）",
              "fire", OUTCOME_CHOICES),
        Param("absent", "text", "完全没有提到时：同 unquantified", "fire", OUTCOME_CHOICES),
        Param("nearby", "text", "没有标签相符的事实时：sentence（提到该事项的句子里、units 计量单位的数字也算，"
              "如“主持召开常务会议4次，专题听取法治政府建设汇报”）或 none", "none", ("none", "sentence")),
        Param("dated", "text", "没有数字时：once（提到该事项的句子写明了月份或日期，如“2025年7月，主持召开法治建设专题会议”，"
              "算作 1 次）或 none", "none", ("none", "once")),
    )

    def prepare(self, rule):
        c = rule.config
        return (compile_list(c.labels, "labels"), compile_list(c.mention, "mention"), compile_list(c.zero, "zero"))

    def check(self, doc, rule, state):
        labels, mentions, zeros = state
        c = rule.config
        spans = scope_spans(doc, rule)
        facts = facts_in(doc, spans, labels, c.kinds, c.units)
        lo, hi = c.min, c.max
        base = {"min": lo, "max": hi, "found": describe(facts), "count": len(facts)}
        if not facts and c.nearby == "sentence":
            facts = _facts_near_mentions(doc, spans, mentions, c.units)
            if not facts and lo is None and hi is None and _number_near_mentions(doc, spans, mentions):
                return []       # stated with a number the facts table has no unit for (平均成绩92.6分)
        if not facts and c.dated == "once":
            dated = _dated_mention(doc, spans, mentions)
            if dated is not None:
                if (lo is not None and 1 < lo) or (hi is not None and 1 > hi):
                    return [Hit(dated.start(), dated.end(), "normalised",
                                {**base, "value": 1, "detail": f"报告写的是一次（“{dated.group(0)}”）"})]
                return []
        if not facts:
            zero = next((m for pat in zeros for m in _matches(doc, pat, spans)), None)
            if zero is not None:
                value = 0
                if (lo is not None and value < lo) or (hi is not None and value > hi):
                    return [Hit(zero.start(), zero.end(), "normalised",
                                {**base, "value": 0, "detail": f"报告称没有（“{zero.group(0)}”）"})]
                return []
            mention = next((m for pat in mentions for m in _matches(doc, pat, spans)), None)
            if mention is not None:
                return _outcome_hit(c.unquantified, mention.start(), mention.end(),
                                    {**base, "value": "未写数字", "match": mention.group(0),
                                     "detail": f"提到了（“{mention.group(0)}”）但没有写次数或比例"})
            return _outcome_hit(c.absent, None, None,
                                {**base, "value": "未提及", "detail": "报告没有提到"})
        numbers = [f.count for f in facts]
        aggregate = c.aggregate
        value = {"sum": sum, "max": max, "min": min, "count": len}[aggregate](numbers)
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            bound = f"少于 {_number(lo)}" if lo is not None and value < lo else f"多于 {_number(hi)}"
            detail = f"报告写的是 {describe(facts)}，合计 {_number(value)}，{bound}" if aggregate == "sum" and len(facts) > 1 \
                else f"报告写的是 {describe(facts)}，{bound}"
            first = facts[0]
            return [Hit(first.start, first.end, "normalised", {**base, "value": _number(value), "detail": detail})]
        return []
