"""One finding's fix as an edit of the text as given: ``Edit(start, end, old, new)``.

A rule's ``fix`` is written in the normalised (simplified) view, like its patterns. The edit
touches only the characters that actually change: the part the match and the fix text share at
either end keeps the file's own characters (traditional 宣傳 stays 宣傳 when 法制宣传 becomes
法治宣传), and the changed middle is converted to traditional characters (OpenCC ``s2t``) when the
report is written in them. A match whose original text does not map character for character onto
the view (pinyin debris or a deleted character inside it) gets no edit: that is not mechanical.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

_s2t = None


class Edit(NamedTuple):
    """Replace ``old`` at ``[start, end)`` of the original text by ``new``."""

    start: int
    end: int
    old: str
    new: str


def _to_traditional(text: str) -> str:
    global _s2t
    if _s2t is None:
        import opencc  # only for traditional-script reports

        _s2t = opencc.OpenCC("s2t")
    return _s2t.convert(text)


def edit_for(doc, start: int, end: int, view: str, fix: str) -> Optional[Edit]:
    """The edit that writes ``fix`` in place of the match ``[start, end)`` of ``view``, or None."""
    if view == "normalised":
        o_start, o_end = doc.norm.offsets.span_to_original(start, end)
        match = doc.text[start:end]
    else:
        o_start, o_end = start, end
        match = doc.original[start:end]
    old = doc.original[o_start:o_end]
    if not match or len(old) != len(match) or "\n" in old or "\r" in old:
        return None
    head = 0
    while head < min(len(match), len(fix)) and match[head] == fix[head]:
        head += 1
    tail = 0
    while tail < min(len(match), len(fix)) - head and match[-1 - tail] == fix[-1 - tail]:
        tail += 1
    middle = fix[head:len(fix) - tail]
    if doc.norm.script == "traditional" or old != match:
        middle = _to_traditional(middle)
    e_start, e_end = o_start + head, o_end - tail
    if middle == doc.original[e_start:e_end]:
        return None
    return Edit(e_start, e_end, doc.original[e_start:e_end], middle)
