"""Kinds about years and dates: ``year_relation`` (the plan names year Y+1) and ``date_deadline``
(the publication date against a deadline computed from the report year)."""
from __future__ import annotations

import dataclasses
import datetime
import re

from ..document.meta import years_in
from ..document.plan_year import plan_year_at
from .base import Hit, NotApplicable, RuleError
from .params import DeclaredKind, Param, Parameters

_TEMPLATE = re.compile(r"^\{(Y|Y1|Y2)\}-(\d{2})-(\d{2})$")
RELATIONS = {"previous": -1, "same": 0, "next": 1}
_COMPARISON = re.compile(r"(?:较|比|与|同|相比|对比)\s*20\d\d\s*年度?")


def _date_from_template(template: str, year: int) -> datetime.date:
    m = _TEMPLATE.match(template)
    offset = {"Y": 0, "Y1": 1, "Y2": 2}[m.group(1)]
    return datetime.date(year + offset, int(m.group(2)), int(m.group(3)))


def _settled_year(doc) -> int:
    """The report year, or NotApplicable when it is unknown or its evidence disagrees (then the
    year_evidence kind reports the disagreement once instead of every year rule guessing)."""
    if doc.meta.report_year is None:
        raise NotApplicable("无法确定报告年度")
    if doc.meta.year_conflict:
        raise NotApplicable("报告年度的证据不一致，另行报告")
    return doc.meta.report_year


class YearEvidenceKind(DeclaredKind):
    """One finding when the evidence for the report year (title, work part, plan, signature,
    publish date) disagrees, naming every piece; the year rules then stand aside."""

    name = "year_evidence"
    declared = Parameters("year_evidence")

    def check(self, doc, rule, state):
        if not doc.meta.year_conflict:
            return []
        detail = "；".join(f"{text}（对应{year}年度）" if source in ("下一年度安排", "落款日期", "发布日期")
                          else text for source, year, text in doc.meta.year_evidence)
        return [Hit(values={"detail": detail, "year": doc.meta.report_year})]


class YearRelationKind(DeclaredKind):
    """The year an element names must stand in a relation to the report year: next (Y+1), same (Y)
    or previous (Y-1). mode heading reads the year where a reviewer does (the part's heading, else its
    opening sentences; the same reading as ``elements.next_year_plan_year``); mode dominant, the year
    the whole part mostly names."""

    name = "year_relation"
    declared = Parameters(
        "year_relation",
        Param("element", "element", "要素名", "next_year_plan"),
        Param("relation", "text", "next（Y+1）、same（Y）或 previous（Y-1）", "next", tuple(RELATIONS)),
        Param("missing", "text", "该部分未写年份时：pass 或 fire", "pass", ("pass", "fire")),
        Param("mode", "text", "heading（标题或无标题部分的开头）或 dominant（整个部分中出现最多的年份）", "heading",
              ("heading", "dominant")),
    )

    def check(self, doc, rule, state):
        c = rule.config
        element = c.element
        year = _settled_year(doc)
        parts = [p for p in doc.parts + doc.subparts if element in p.elements]
        if not parts:
            raise NotApplicable("报告没有该部分")
        expected = year + RELATIONS[c.relation]
        if c.mode == "dominant":
            return self._dominant(doc, element, expected, year)
        found = plan_year_at(doc, element)
        if found is None:
            if c.missing == "fire":
                part = parts[0]
                end = doc.text.find("\n", part.start)
                return [Hit(part.start, end if end > part.start else part.end,
                            values={"found": "未写年份", "expected": expected, "year": year})]
            return []
        found_year, s, e = found
        if found_year == expected:
            return []
        return [Hit(s, e, values={"found": found_year, "expected": expected, "year": year})]

    @staticmethod
    def _dominant(doc, element, expected, year):
        """The year the part mostly reports: at least three mentions and more than the expected year.
        Years in comparisons (较2024年, 比上年, 与2024年相比) and ranges do not count."""
        from collections import Counter

        spans = doc.element_spans(element)
        text = "\n".join(doc.text[s:e] for s, e in spans)
        text = _COMPARISON.sub(" ", text)
        counts = Counter(years_in(text))
        if not counts:
            return []
        top, n = counts.most_common(1)[0]
        if top == expected or n < 3 or counts.get(expected, 0) >= n:
            return []
        m = re.search(f"{top}\\s*年", doc.text[spans[0][0]:spans[-1][1]])
        s = spans[0][0] + (m.start() if m else 0)
        return [Hit(s, s + (m.end() - m.start() if m else 1),
                    values={"found": top, "expected": expected, "year": year, "count": n})]


class DateDeadlineKind(DeclaredKind):
    """The publication date (page fields, closing signature, or --published) against limits
    computed from the report year Y: ``deadline`` (latest) and ``not_before`` (earliest)."""

    name = "date_deadline"
    declared = Parameters(
        "date_deadline",
        Param("deadline", "date_template", "最迟日期模板，如 \"{Y1}-03-31\""),
        Param("not_before", "date_template", "最早日期模板，如 \"{Y1}-01-01\""),
        Param("missing", "text", "没有日期时：skip 或 fire", "skip", ("skip", "fire")),
        Param("grace_days", "count", "晚于 deadline 不超过这些天时按 grace_severity 报告（边界情形，如4月1日当天）", 0),
        Param("grace_severity", "text", "宽限期内的级别", "warning", ("error", "warning", "info")),
    )

    def prepare(self, rule):
        c = rule.config
        for key in ("deadline", "not_before"):
            value = getattr(c, key)
            if value is not None:
                try:
                    _date_from_template(value, 2000)
                except ValueError:
                    raise RuleError(f"{key} 不是有效日期：{value}") from None
        if c.deadline is None and c.not_before is None and c.missing != "fire":
            raise RuleError("至少给出 deadline、not_before 或 missing: fire 之一")
        return None

    def check(self, doc, rule, state):
        c = rule.config
        published = doc.meta.published
        if not published:
            if c.missing == "fire":
                return [Hit(values={"detail": "未找到发布日期或落款日期", "published": "无"})]
            raise NotApplicable("未找到发布日期")
        year = _settled_year(doc)
        date = datetime.date.fromisoformat(published)
        values = {"published": published, "source": doc.meta.published_source or ""}
        if c.deadline is not None:
            limit = _date_from_template(c.deadline, year)
            if date > limit:
                hit = self._hit(doc, values, f"发布日期 {published} 晚于 {limit.isoformat()}", limit)
                if (date - limit).days <= c.grace_days:
                    hit = dataclasses.replace(hit, severity=c.grace_severity)
                return [hit]
        if c.not_before is not None:
            limit = _date_from_template(c.not_before, year)
            if date < limit:
                return [self._hit(doc, values, f"发布日期 {published} 早于 {limit.isoformat()}", limit)]
        return []

    @staticmethod
    def _hit(doc, values, detail, limit):
        values = {**values, "detail": detail, "limit": limit.isoformat()}
        span = _date_span(doc, values["published"])
        return Hit(span[0], span[1], values=values) if span else Hit(values=values)


def _date_span(doc, iso: str):
    """Where the publication date is written (page field or signature), for the finding's position."""
    y, m, d = iso.split("-")
    pattern = re.compile(rf"{y}\s*[-年/.]\s*0?{int(m)}\s*[-月/.]\s*0?{int(d)}(?:\s*日)?")
    hit = pattern.search(doc.text)
    return hit.span() if hit else None
