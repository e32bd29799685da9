"""How a copied part is named and where it is shown (shared by the sketches and the comparing kinds).

What is copied is measured in one place only, ``copy_index`` (winnowed fingerprints, then the
exact share of a part's folded characters lying in the other report's shingles).
"""
from __future__ import annotations

import os

from .shingles import fold, strip_boilerplate, unit_names


def report_name(doc) -> str:
    """How a finding names another report: file name, unit and year when known."""
    who = "，".join(str(x) for x in (doc.meta.unit, f"{doc.meta.report_year}年度" if doc.meta.report_year else None) if x)
    return f"{os.path.basename(doc.path)}（{who}）" if who else os.path.basename(doc.path)


def folded_text(doc, start: int = 0, end=None) -> str:
    """The report's text between two normalised offsets, folded, with stock formulas cut out."""
    return strip_boilerplate(fold(doc.text[start:end], unit_names(doc.meta.unit)))


def _title(part) -> str:
    if part.title:
        return part.title
    return "开头部分" if "preamble" in part.elements else "无标题段落"


def _heading_span(doc, part):
    end = part.heading_end if part.heading_end > part.start else doc.line_spans[part.first_line][1]
    return part.start, end
