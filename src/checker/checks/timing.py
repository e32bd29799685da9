"""Kinds about years and dates: ``year_relation`` (the plan names year Y+1) and ``date_deadline``
(the publication date against a deadline computed from the report year)."""
from __future__ import annotations

import datetime
import re

from ..document.meta import years_in
from .base import Hit, NotApplicable, RuleError, check_params

_TEMPLATE = re.compile(r"^\{(Y|Y1|Y2)\}-(\d{2})-(\d{2})$")
RELATIONS = {"previous": -1, "same": 0, "next": 1}
_COMPARISON = re.compile(r"(?:较|比|与|同|相比|对比)\s*20\d\d\s*年度?")


def _date_from_template(template: str, year: int) -> datetime.date:
    m = _TEMPLATE.match(template)
    offset = {"Y": 0, "Y1": 1, "Y2": 2}[m.group(1)]
    return datetime.date(year + offset, int(m.group(2)), int(m.group(3)))


def _check_template(value, what):
    if not isinstance(value, str) or not _TEMPLATE.match(value):
        raise RuleError(f"{what} 必须形如 \"{{Y1}}-03-31\"（Y 为报告年度，Y1 为下一年）")
    try:
        _date_from_template(value, 2000)
    except ValueError:
        raise RuleError(f"{what} 不是有效日期：{value}") from None


def _settled_year(doc) -> int:
    """The report year, or NotApplicable when it is unknown or its evidence disagrees (then the
    year_evidence kind reports the disagreement once instead of every year rule guessing)."""
    if doc.meta.report_year is None:
        raise NotApplicable("无法确定报告年度")
    if doc.meta.year_conflict:
        raise NotApplicable("报告年度的证据不一致，另行报告")
    return doc.meta.report_year


class YearEvidenceKind:
    """One finding when the evidence for the report year (title, work part, plan, signature,
    publish date) disagrees, naming every piece; the year rules then stand aside."""

    name = "year_evidence"
    required = ()
    params = {}

    def prepare(self, rule):
        check_params(self, rule.params)
        return None

    def check(self, doc, rule, state):
        if not doc.meta.year_conflict:
            return []
        detail = "；".join(f"{text}（对应{year}年度）" if source in ("下一年度安排", "落款日期", "发布日期")
                          else text for source, year, text in doc.meta.year_evidence)
        return [Hit(values={"detail": detail, "year": doc.meta.report_year})]


class YearRelationKind:
    """The years an element names (its heading, or the opening of an unheaded part) must stand in
    a relation to the report year: next (Y+1), same (Y) or previous (Y-1)."""

    name = "year_relation"
    required = ()
    params = {
        "element": "要素名（默认 next_year_plan）",
        "relation": "next（Y+1，默认）、same（Y）或 previous（Y-1）",
        "missing": "该部分未写年份时：pass（默认）或 fire",
        "mode": "heading（默认：标题或无标题部分的开头）或 dominant（整个部分中出现最多的年份）",
    }

    def prepare(self, rule):
        check_params(self, rule.params)
        if rule.params.get("mode", "heading") not in ("heading", "dominant"):
            raise RuleError("mode 必须是 heading 或 dominant")
        if rule.params.get("relation", "next") not in RELATIONS:
            raise RuleError("relation 必须是 next、same 或 previous")
        if rule.params.get("missing", "pass") not in ("pass", "fire"):
            raise RuleError("missing 必须是 pass 或 fire")
        return None

    def check(self, doc, rule, state):
        element = rule.params.get("element", "next_year_plan")
        year = _settled_year(doc)
        parts = [p for p in doc.parts + doc.subparts if element in p.elements]
        if not parts:
            raise NotApplicable("报告没有该部分")
        expected = year + RELATIONS[rule.params.get("relation", "next")]
        if rule.params.get("mode", "heading") == "dominant":
            return self._dominant(doc, element, expected, year)
        part = parts[0]
        if part.title:
            start, end = part.start, part.heading_end
        else:
            start = part.start + (len(doc.text[part.start:part.end]) - len(doc.text[part.start:part.end].lstrip()))
            end = min(part.end, start + 30)
        years = years_in(doc.text[start:end])
        if not years:
            if rule.params.get("missing", "pass") == "fire":
                return [Hit(start, doc.text.find("\n", start) if doc.text.find("\n", start) > start else end,
                            values={"found": "未写年份", "expected": expected, "year": year})]
            return []
        wrong = [y for y in years if y != expected]
        if not wrong:
            return []
        m = re.search(f"{wrong[0]}\\s*年", doc.text[start:end])
        s = start + (m.start() if m else 0)
        e = start + (m.end() if m else end - start)
        return [Hit(s, e, values={"found": wrong[0], "expected": expected, "year": year})]


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


class DateDeadlineKind:
    """The publication date (page fields, closing signature, or --published) against limits
    computed from the report year Y: ``deadline`` (latest) and ``not_before`` (earliest)."""

    name = "date_deadline"
    required = ()
    params = {
        "deadline": "最迟日期模板，如 \"{Y1}-03-31\"",
        "not_before": "最早日期模板，如 \"{Y1}-01-01\"",
        "missing": "没有日期时：skip（默认）或 fire",
    }

    def prepare(self, rule):
        p = rule.params
        check_params(self, p)
        for key in ("deadline", "not_before"):
            if key in p:
                _check_template(p[key], key)
        if p.get("missing", "skip") not in ("skip", "fire"):
            raise RuleError("missing 必须是 skip 或 fire")
        if not any(k in p for k in ("deadline", "not_before")) and p.get("missing") != "fire":
            raise RuleError("至少给出 deadline、not_before 或 missing: fire 之一")
        return None

    def check(self, doc, rule, state):
        p = rule.params
        published = doc.meta.published
        if not published:
            if p.get("missing", "skip") == "fire":
                return [Hit(values={"detail": "未找到发布日期或落款日期", "published": "无"})]
            raise NotApplicable("未找到发布日期")
        year = _settled_year(doc)
        date = datetime.date.fromisoformat(published)
        values = {"published": published, "source": doc.meta.published_source or ""}
        if "deadline" in p:
            limit = _date_from_template(p["deadline"], year)
            if date > limit:
                return [self._hit(doc, values, f"发布日期 {published} 晚于 {limit.isoformat()}", limit)]
        if "not_before" in p:
            limit = _date_from_template(p["not_before"], year)
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
