"""How a report states the principal's duty as first responsible person for advancing the rule of law.

A part headed for it (三、党政主要负责人履行第一责任人职责情况) is the duty's dedicated part, unless its text
is about another 第一责任人 duty only (安全生产, 信访…) and names nothing of the rule-of-law one; then
the heading alone does not report the duty, and the report is read as if that part were not headed
for it. Without a dedicated part, the duty may be mentioned in the body (``find_frp``).
"""
from __future__ import annotations

import dataclasses
import re

from .lexicon import lexicon

FRP, PLAN, OTHER = "first_responsible_person", "next_year_plan", "other"


def is_rule_of_law_duty(line: str, start: int, end: int, heading: bool = False) -> bool:
    """Whether the duty named at line[start:end] (a 第一责任人, a 主要负责人…职责) is the duty of
    advancing the rule of law. Not when another duty (安全生产、河长制、意识形态、信访…) is named right
    before it, nor when one is named earlier in its sentence and no rule-of-law words stand around it;
    otherwise it is (in a report on law-based government, a bare 第一责任人 is that duty)."""
    lex = lexicon()
    other = lex["first_responsible_person_other"]
    attached = re.search(r"[^，。；、,;“”\s]{0,8}$", line[max(0, start - 12):start])
    if attached and other.search(attached.group(0)):
        return False
    if heading:
        return True
    sentence_start = max(line.rfind(ch, 0, start) for ch in "。；;！!？?") + 1
    if other.search(line[sentence_start:start]):
        return bool(lex["first_responsible_person_context"].search(line[max(0, start - 80):end + 30]))
    return True


def other_duty_only(text: str, part) -> bool:
    """Whether a part headed for the first responsible person writes about another duty only: its text
    names a 第一责任人 that is another duty's (安全生产第一责任人、信访工作第一责任人), none that is the
    rule-of-law one, and no rule-of-law work at all (法治, 依法行政, 学法, 述法, 出庭应诉…)."""
    body = text[part.heading_end:part.end]
    lex = lexicon()
    if lex["first_responsible_person_law_work"].search(body):
        return False
    named_other = False
    for m in lex["first_responsible_person_mention"].finditer(body):
        line_start = body.rfind("\n", 0, m.start()) + 1
        line_end = body.find("\n", m.end())
        line = body[line_start:line_end if line_end >= 0 else len(body)]
        if is_rule_of_law_duty(line, m.start() - line_start, m.end() - line_start):
            return False
        named_other = True
    return named_other


def drop_other_duty_parts(text: str, parts: list, subparts: list):
    """``parts`` and ``subparts`` without the first-responsible-person element where the part's text is
    about another duty only (other_duty_only), and the heading spans of those parts."""
    dropped = []

    def judged(part):
        if FRP not in part.elements or part.unheaded or not other_duty_only(text, part):
            return part
        dropped.append((part.start, part.heading_end))
        return dataclasses.replace(part, elements=(part.elements - {FRP}) or frozenset({OTHER}))

    return [judged(p) for p in parts], [judged(p) for p in subparts], tuple(dropped)


def find_frp(doc, skip_headings=()):
    """("section", []) | ("mention", spans of the mentions in the first mention's part) | ("none", []).
    Mentions inside ``skip_headings`` (headings of parts about another duty only) do not count."""
    if any(FRP in p.elements and not p.unheaded for p in doc.parts + doc.subparts):
        return "section", []
    pattern = lexicon()["first_responsible_person_mention"]
    plan_spans = doc.element_spans(PLAN)
    found, part = [], None
    for start, end in doc.scope_spans("body"):
        for m in pattern.finditer(doc.text, start, end):
            if any(s <= m.start() < e for s, e in plan_spans):
                continue
            if any(s <= m.start() < e for s, e in skip_headings):
                continue
            if part is not None and not part[0] <= m.start() < part[1]:
                return "mention", found
            line_start, line_end = doc.line_spans[doc.line_of_offset(m.start())]
            line = doc.text[line_start:line_end]
            if not is_rule_of_law_duty(line, m.start() - line_start, m.end() - line_start):
                continue
            if part is not None and _in_book_title(line, m.start() - line_start):
                continue        # 学习《党政主要负责人履行推进法治建设第一责任人职责规定》: a study item, not a duty
            if part is None:
                holder = [(p.start, p.end) for p in doc.parts if p.start <= m.start() < p.end]
                part = holder[0] if holder else (m.start(), m.end())
            found.append((m.start(), m.end()))
    return ("mention", found) if found else ("none", [])


def _in_book_title(line: str, at: int) -> bool:
    return line.rfind("《", 0, at) > line.rfind("》", 0, at)
