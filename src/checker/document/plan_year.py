"""The year a part names, read where a reviewer reads it: the year of the next-year plan
(``elements.next_year_plan_year``, FZ-N01) and of any part a ``year_relation`` rule reads."""
from __future__ import annotations

import re

from .items import ENUM
from .lexicon import lexicon


def plan_year_at(doc, element: str = "next_year_plan"):
    """(year, start, end) of the year the first part holding ``element`` names, read where a reviewer
    reads it: the part's heading, else its opening sentence(s) ("2020年，我局将继续……") up to its
    first item; None when neither names a year. Years the opening only looks back on or ahead to
    (较2022年, 回顾2023年, 到2025年, 2023年以来) are not the plan's year; when the opening names the year
    after the report year among others, that is its year. When neither names one, a plan's items
    naming the year after the report year (not as a date) give that year. ``elements.next_year_plan_year`` and
    FZ-N01 both read this."""
    part = next((p for p in (*doc.parts, *doc.subparts) if element in p.elements), None)
    if part is None:
        return None
    found = _years_at(doc.text, part.start, part.heading_end) if part.title else []
    if not found:
        start = part.heading_end
        body = doc.text[start:part.end]
        start += len(body) - len(body.lstrip(" \t　\n:：,，。"))
        found = _years_at(doc.text, start, _opening_end(doc.text, start, part.end))
    year = doc.meta.report_year
    if not found and element == "next_year_plan" and year is not None:
        # an unheaded plan ("下一步，我们将……：一是……") whose items name the year that follows the
        # report year ("力争2024年转办率控制在1.5%以内") plans for that year; a date (the signature's
        # 2024年2月27日) is not a plan year, and no other year is read from the items
        found = [f for f in _years_at(doc.text, part.heading_end, part.end)
                 if f[0] == year + 1 and not _DATE_AFTER.match(doc.text, f[2])]
    if not found:
        return None
    following = [f for f in found if year is not None and f[0] == year + 1]
    return (following or found)[0]


_DATE_AFTER = re.compile(r"\s*\d{1,2}\s*月")


def _opening_end(text: str, start: int, end: int) -> int:
    """The end of a plan's opening: its first two sentences, stopping at its first item and within
    OPENING_CHARS."""
    stop = min(end, start + OPENING_CHARS)
    first_item = ENUM.search(text, start + 1, stop)
    if first_item:
        stop = first_item.start()
    seen = 0
    for m in _SENTENCE_END.finditer(text, start, stop):
        seen += 1
        if seen == 2:
            return m.end()
    return stop


OPENING_CHARS = 160
_SENTENCE_END = re.compile(r"[。！!？?\n]")


def _years_at(text: str, start: int, end: int) -> list:
    """[(year, start, end)] of the years written in text[start:end], leaving out ranges (2021—2025年)
    and the years the lexicon's ``plan_year_not_before``/``_after`` say are only looked back on or
    ahead to."""
    chunk = _RANGE.sub(lambda m: " " * len(m.group(0)), text[start:end])
    lex = lexicon()
    out = []
    for m in _YEAR.finditer(chunk):
        if (lex["plan_year_not_before"].search(chunk[max(0, m.start() - 6):m.start()])
                          or lex["plan_year_not_after"].match(chunk, m.end())):
            continue
        out.append((int(m.group(1)), start + m.start(), start + m.end()))
    return out


# The lookbehind sits after the literal 2 (a year's first digit), so the engine looks for "2"
# quickly instead of trying the lookbehind at every character: 15x faster on a report, same matches.
_YEAR = re.compile(r"(2(?<![\d\-—－–~至到]2)0\d\d)\s*年(?!\s*[-—－–~至到]\s*20\d\d)")
_RANGE = re.compile(r"20\d\d\s*年?\s*[-—－–~至到]+\s*20\d\d")
