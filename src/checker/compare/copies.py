"""Which parts of a report are made of another report's text, and how much of each.

Each top-level part (and, when the part as a whole is not copied, each of its sub-parts) is folded
(``shingles.fold``: numbers, years, enumerators, unit and place names, punctuation away), stock
formulas are cut out, and the share of its characters lying in a shingle the other report also
has is measured. A part at or above ``min_share`` is reported with that share and the other
report's name. Parts shorter than ``min_chars`` folded characters are not judged: two short
paragraphs can agree by chance.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from .shingles import coverage, fold, shingles, strip_boilerplate, unit_names


@dataclass(frozen=True)
class CopiedPart:
    start: int            # heading line of the part (normalised offsets of the checked report)
    end: int
    title: str
    share: float
    copied: int           # folded characters in shingles of the other report
    chars: int            # folded characters measured
    other_name: str


def report_name(doc) -> str:
    """How a finding names another report: file name, unit and year when known."""
    who = "，".join(str(x) for x in (doc.meta.unit, f"{doc.meta.report_year}年度" if doc.meta.report_year else None) if x)
    return f"{os.path.basename(doc.path)}（{who}）" if who else os.path.basename(doc.path)


def folded_text(doc, start: int = 0, end=None) -> str:
    """The report's text between two normalised offsets, folded, with stock formulas cut out."""
    return strip_boilerplate(fold(doc.text[start:end], unit_names(doc.meta.unit)))


def report_shingles(doc) -> set:
    """Shingles of the report's body (chrome left out)."""
    return set().union(*(shingles(folded_text(doc, a, b)) for a, b in doc.scope_spans("body"))) \
        if doc.scope_spans("body") else set()


def _title(part) -> str:
    if part.title:
        return part.title
    return "开头部分" if "preamble" in part.elements else "无标题段落"


def _heading_span(doc, part):
    end = part.heading_end if part.heading_end > part.start else doc.line_spans[part.first_line][1]
    return part.start, end


def copied_parts(doc, others, min_share: float = 0.5, min_chars: int = 80) -> list:
    """CopiedPart for each part of ``doc`` mostly covered by one of ``others`` (the best one)."""
    other_sets = [(report_name(o), report_shingles(o)) for o in others]
    if not other_sets:
        return []

    def best(part):
        folded = folded_text(doc, part.start, part.end)
        scored = [(coverage(folded, s), name) for name, s in other_sets]
        cov, name = max(scored, key=lambda x: x[0].copied)
        if cov.chars < min_chars or cov.share < min_share:
            return None
        start, end = _heading_span(doc, part)
        return CopiedPart(start, end, _title(part), cov.share, cov.copied, cov.chars, name)

    found = []
    for part in doc.parts:
        whole = best(part)
        if whole is not None:
            found.append(whole)
            continue
        for sub in doc.subparts:
            if part.start <= sub.start < part.end:
                piece = best(sub)
                if piece is not None:
                    found.append(piece)
    return found
