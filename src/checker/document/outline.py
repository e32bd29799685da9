"""The outline of a report: headings (一、 / （一） / 1. / （1）), parts, and their canonical elements.

Parts are split at top-level headings and classified by heading vocabulary (lexicon.yaml). Reports
do not always head their parts, so two more passes follow: unheaded closing paragraphs that name
the shortcomings or open next year's plan become parts of their own (seed 003), and cause
analysis is looked for inside the shortcomings text (seed 000's "主要原因:一是…").
"""
from __future__ import annotations

import bisect
import dataclasses
import re

from .frp import drop_other_duty_parts, find_frp, is_rule_of_law_duty
from .lexicon import lexicon, year_pattern
from .plan_year import plan_year_at
from .model import Outline, Part

_CN = "一二三四五六七八九十"
_LEVEL_RES = (
    (1, re.compile(rf"^[ \t]*(?:第[{_CN}]+部分|[{_CN}]{{1,3}}\s*(?:、|[.．](?!\d+[.．、])))")),
    (2, re.compile(rf"^[ \t]*[（(][{_CN}]{{1,3}}[）)]")),
    (3, re.compile(r"^[ \t]*\d{1,2}\s*[、.．](?!\d)")),
    (4, re.compile(r"^[ \t]*[（(]\d{1,2}[）)]")),
)
_ENUM_START = re.compile(rf"^[ \t]*(?:[{_CN}]是|其[{_CN}]|第[{_CN}]|[（(]?[{_CN}\d]{{1,2}}[）)、.．])")
_COMBINED_CAUSES = re.compile(r"(不足|问题|短板|差距)\s*(和|及|与|以及)\s*原因")
# "三、存在问题的原因", "问题产生的原因": a part of causes only (the problems were a part before it)
_CAUSES_ONLY = re.compile(r"(不足|问题|短板|差距|困难)\s*(产生|存在|形成)?\s*的\s*(主要|深层次)?\s*原因")
_CAUSES_HEADING = re.compile(r"原因分析|的原因|原因$|原因[:：]|成因")
_CAUSE_LEAD = " \t　:：,，是在于有如下为"
_ENUM_HEAD = re.compile(rf"[{_CN}]是|其[{_CN}]|第[{_CN}]|[（(][{_CN}\d]{{1,2}}[）)]|\d{{1,2}}[.．、](?!\d)|一方面|首先")
# The start of a shortcoming item: 一是, 二、, （三）, 4. (after the start of a clause or sentence).
_ENUM_ITEM = re.compile(rf"(?:(?<=^)|(?<=[。；;!！?？\n]))[ \t　]*(?:[{_CN}]是|其[{_CN}][，,、]|第[{_CN}][，,、]|[（(][{_CN}\d]{{1,2}}[）)]|\d{{1,2}}[.．、](?!\d))")

MEASURES, SHORTCOMINGS, CAUSES = "measures_and_results", "shortcomings", "causes"
FRP, PLAN, PREAMBLE, OTHER = "first_responsible_person", "next_year_plan", "preamble", "other"


def heading_level(text: str) -> int:
    """1..4 for an enumerated heading line, 0 otherwise."""
    for level, pattern in _LEVEL_RES:
        if pattern.match(text):
            return level
    return 0


def heading_title(text: str) -> str:
    """The heading words of a line: up to the first 。 (headings often run on into prose)."""
    head = text.strip().split("。", 1)[0]
    return head[:80]


def classify_heading(title: str, year, sub: bool = False) -> frozenset:
    """Canonical elements a heading names. Sub-headings need an explicit future marker to be a plan
    ("（二）严格执行2024年督查检查考核计划" inside the measures is a measure, not a plan)."""
    lex = lexicon()
    found = set()
    future_words = bool(lex["future"].search(title))
    measures = bool(lex["measures"].search(title))
    # "2024年…安排" in a 2023 report is a plan; but "2023年…主要举措和成效" read with a wrong
    # --year stays measures: a year alone does not outweigh the heading's own words.
    future = future_words or bool(year and f"{year + 1}年" in title and not measures)
    if future or (not sub and lex["plan"].search(title) and not lex["plan_not"].search(title)):
        found.add(PLAN)
    if lex["shortcomings"].search(title) and "问题导向" not in title and not _CAUSES_ONLY.search(title):
        found.add(SHORTCOMINGS)
    if _CAUSES_HEADING.search(title) and not _COMBINED_CAUSES.search(title):
        found.add(CAUSES)
    frp = lex["first_responsible_person"].search(title)
    if frp and is_rule_of_law_duty(title, frp.start(), frp.end(), heading=True):
        found.add(FRP)
    if measures and not future:
        found.add(MEASURES)
    return frozenset(found)


class _Heading:
    __slots__ = ("line", "level", "title")

    def __init__(self, line, level, title):
        self.line, self.level, self.title = line, level, title


# A real report has tens of headings, a long one a few hundred. A file of nothing but "一、" lines
# would otherwise make one Part per line (time and memory growing with every line, ~100 µs and
# ~600 bytes a heading); past this many headings the rest of the file is body text of the last part.
MAX_HEADINGS = 5000


def build_outline(doc) -> Outline:
    """The outline of ``doc`` (its parts and sub-parts, where causes are analysed, how the first
    responsible person is reported, the plan's year), read with ``doc.meta.report_year``."""
    lines = [doc.line_text(i) for i in range(len(doc.line_spans))]
    body = [i for i in range(doc.header_end_line, len(lines))
            if i not in doc.chrome_lines and i != doc.meta.title_line]
    if not body:
        return Outline()
    year = doc.meta.report_year
    headings = []
    for i in body:
        level = heading_level(lines[i])
        if level:
            headings.append(_Heading(i, level, heading_title(lines[i])))
            if len(headings) == MAX_HEADINGS:        # see MAX_HEADINGS: the rest is body text
                break
    top = _top_level(headings)
    tops = [h for h in headings if h.level == top]
    subs = [h for h in headings if h.level == top + 1]
    last_body = body[-1]

    # Level-1 boundaries: (line, elements, title, level, unheaded)
    bounds = [(h.line, classify_heading(h.title, year), h.title, 1, False) for h in tops]
    first_line = bounds[0][0] if bounds else _first_paragraph_end(body, lines)
    if not bounds or first_line > body[0]:
        bounds.insert(0, (body[0], frozenset({PREAMBLE}), "", 0, True))
    bounds = _add_unheaded(bounds, body, lines, year, first_line)
    bounds = _mark_topical_measures(bounds)
    if not tops:
        bounds = _unheaded_measures(bounds, body, lines)

    parts = []
    for k, (line, elements, title, level, unheaded) in enumerate(bounds):
        end_line = bounds[k + 1][0] - 1 if k + 1 < len(bounds) else last_body
        end_line = _last_body_line(end_line, line, body, doc)
        start = doc.line_spans[line][0]
        heading_end = start if unheaded else start + lines[line].find(title) + len(title)
        parts.append(Part(elements, level, title, start, heading_end, doc.line_spans[end_line][1], line, unheaded))

    subparts = []
    part_starts = [p.start for p in parts]
    boundaries = sorted(h.line for h in subs + tops)
    for h in subs:
        elements = classify_heading(h.title, year, sub=True)
        index = bisect.bisect_right(part_starts, doc.line_spans[h.line][0]) - 1
        if not elements or index < 0:
            continue
        parent = parts[index]
        if parent.elements & {PLAN, SHORTCOMINGS}:
            # "（一）压实第一责任人职责" under next year's plan is a plan item, not this year's report;
            # so is "（一）补齐执法能力短板" (a plan answering a shortcoming) under a plan-only part
            elements = elements - {FRP, MEASURES} - ({SHORTCOMINGS} if SHORTCOMINGS not in parent.elements else set())
            if not elements:
                continue
        k = bisect.bisect_right(boundaries, h.line)
        end_line = boundaries[k] - 1 if k < len(boundaries) else last_body
        end_line = _last_body_line(end_line, h.line, body, doc)
        end = min(doc.line_spans[end_line][1], parent.end)
        start = doc.line_spans[h.line][0]
        heading_end = start + lines[h.line].find(h.title) + len(h.title)
        subparts.append(Part(elements, 2, h.title, start, heading_end, end, h.line))
    parts = _split_combined(parts, subparts)
    parts, subparts, other_duty_headings = drop_other_duty_parts(doc.text, parts, subparts)
    staged = doc.with_outline(Outline(parts=tuple(parts), subparts=tuple(subparts)))
    staged = staged.with_outline(dataclasses.replace(staged.outline, causes_spans=_find_causes(staged)))
    form, mentions = find_frp(staged, other_duty_headings)
    return dataclasses.replace(staged.outline, frp_form=form, frp_mention=mentions[0] if mentions else None,
                               frp_mentions=tuple(m[0] for m in mentions), plan_year=_find_plan_year(staged))


def _split_combined(parts, subparts) -> list:
    """A part headed for two elements whose sub-parts take them one each ("六、存在的不足及下一步工作打算"
    with "（一）存在的不足" and "（二）下一步工作打算"): the sub-parts hold them, not the whole part."""
    out = []
    for part in parts:
        inside = [p for p in subparts if part.start <= p.start < part.end]
        taken = {el for el in (SHORTCOMINGS, PLAN) if any(el in p.elements for p in inside)}
        if len(part.elements & {SHORTCOMINGS, PLAN}) == 2 and len(taken) == 2:
            part = dataclasses.replace(part, elements=(part.elements - taken) or frozenset({OTHER}))
        out.append(part)
    return out


def _top_level(headings) -> int:
    """一、 headings are the top level when there are any; a report written with （一） alone
    uses those as its parts."""
    if any(h.level == 1 for h in headings):
        return 1
    if sum(1 for h in headings if h.level == 2) >= 2:
        return 2
    return 1


def _first_paragraph_end(body, lines) -> int:
    for i in body:
        if lines[i].strip():
            return i + 1
    return body[0]


def _last_body_line(end_line, start_line, body, doc) -> int:
    while end_line > start_line and (end_line in doc.chrome_lines or not doc.line_text(end_line).strip()):
        end_line -= 1
    return end_line


def _add_unheaded(bounds, body, lines, year, first_line):
    """Insert unheaded shortcomings / plan parts found in closing paragraphs."""
    has = {el for b in bounds for el in b[1]}
    lex = lexicon()
    opener = year_pattern("unheaded_opener", year)
    plan_re = year_pattern("unheaded_plan", year)
    short_re = lex["unheaded_shortcomings"]
    found = []
    k = -1
    for i in body:
        while k + 1 < len(bounds) and bounds[k + 1][0] <= i:
            k += 1
        if i < first_line:
            continue
        text = lines[i].strip()
        if not text or heading_level(text) or _ENUM_START.match(text):
            continue
        current = bounds[k][1] if k >= 0 else frozenset()
        if PLAN not in has and PLAN not in current and plan_re.search(text):
            found.append((i, frozenset({PLAN}), "", 0, True))
            has.add(PLAN)
        elif SHORTCOMINGS not in has and not current & {SHORTCOMINGS, PLAN} \
                and opener.search(text) and short_re.search(text):
            found.append((i, frozenset({SHORTCOMINGS}), "", 0, True))
            has.add(SHORTCOMINGS)
    return sorted(bounds + found, key=lambda b: b[0])


def _mark_topical_measures(bounds):
    """Unclassified top-level parts before the shortcomings/plan parts report the year's measures."""
    out, seen_later = [], False
    for line, elements, title, level, unheaded in bounds:
        if elements & {SHORTCOMINGS, PLAN, CAUSES}:
            seen_later = True
        if not elements and not seen_later:
            elements = frozenset({MEASURES})
        elif not elements:
            elements = frozenset({OTHER})
        out.append((line, elements, title, level, unheaded))
    return out


def _unheaded_measures(bounds, body, lines):
    """A report without headings: the prose between the opening and the closing parts."""
    out = []
    for k, bound in enumerate(bounds):
        out.append(bound)
        if PREAMBLE in bound[1]:
            end = bounds[k + 1][0] if k + 1 < len(bounds) else body[-1] + 1
            after = [i for i in body if bound[0] < i < end and lines[i].strip()]
            if len(after) >= 1 and sum(len(lines[i]) for i in after[1:] or after) >= 200:
                start = after[1] if len(after) > 1 else after[0]
                out.append((start, frozenset({MEASURES}), "", 0, True))
    return out


def _find_causes(doc):
    lex = lexicon()
    spans = []
    for part in (*doc.parts, *doc.subparts):
        if CAUSES in part.elements and not (SHORTCOMINGS in part.elements and part.level == 1):
            if part.end - part.heading_end > 10:
                spans.append((part.start, part.end))
    headings = sorted((p.start, p.heading_end) for p in (*doc.parts, *doc.subparts) if not p.unheaded)
    heading_starts = [s for s, _ in headings]
    for start, end in doc.element_spans(SHORTCOMINGS):
        for m in lex["causes"].finditer(doc.text, start, end):
            k = bisect.bisect_right(heading_starts, m.start()) - 1
            if k >= 0 and headings[k][0] <= m.start() < headings[k][1]:
                continue
            spans.append((m.start(), _cause_end(doc.text, m.end(), end)))
    merged = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return tuple(merged)


def _cause_end(text: str, at: int, end: int) -> int:
    """Where cause analysis that starts with a marker ending at ``at`` stops, inside a shortcomings
    part ending at ``end``. A marker alone on its line ("原因分析：") heads the rest of the part; one
    followed by its own enumeration ("主要原因：一是…二是…") runs to the end of its line; a cause written
    inside a shortcoming item ("…原因在于编制所限。二是执法办案质量仍需提升…") stops where the next
    item starts."""
    line_end = text.find("\n", at, end)
    line_end = end if line_end < 0 else line_end
    rest = text[at:line_end]
    lead = len(rest) - len(rest.lstrip(_CAUSE_LEAD))
    if len(rest.strip(_CAUSE_LEAD)) <= 4:
        return end
    if _ENUM_HEAD.match(rest, lead):
        return line_end
    nxt = _ENUM_ITEM.search(rest, lead + 1)
    return at + nxt.start() if nxt else line_end


def _find_plan_year(doc):
    found = plan_year_at(doc, PLAN)
    return found[0] if found else None
