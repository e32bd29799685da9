"""Split a part of a report into its items: 一是…二是…, （一）…（二）…, 1.…2.…, or sentences.

Used by rules that reason about items (a plan item per shortcoming, concrete plan items, a
shortcomings part with at least two items).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_CN = "一二三四五六七八九十"
_ENUM = re.compile(
    rf"(?:(?<=^)|(?<=[\n。；;:：!！?？]))[ \t]*(?:[{_CN}]是|其[{_CN}][，,、]|第[{_CN}][，,、]|[（(][{_CN}\d]{{1,2}}[）)]|\d{{1,2}}[.．、](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩])"
)
ENUM = _ENUM            # where an item starts (also where a part's opening sentences end)
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
_HEAD_END = re.compile(r"[。；;，,:：]")
_LIST_SENTENCE = re.compile(r"存在(?P<list>[^。]{4,}?)(?:的|等)(?:问题|不足|短板|情况)")


@dataclass(frozen=True)
class Item:
    start: int          # offsets into the text the item was cut from (plus ``base``)
    end: int
    text: str

    @property
    def head(self) -> str:
        """The item's leading clause: its summary ("二是法治宣传有待加强")."""
        return _HEAD_END.split(self.text.strip(), maxsplit=1)[0]


def enumerated_items(text: str, base: int = 0) -> list:
    """Items introduced by enumerators; [] when the text has fewer than two."""
    starts = [m.start() for m in _ENUM.finditer(text)]
    if len(starts) < 2:
        return []
    bounds = starts + [len(text)]
    items = []
    for a, b in zip(bounds, bounds[1:]):
        chunk = text[a:b].strip()
        if len(chunk) >= 4:
            lead = a + (len(text[a:b]) - len(text[a:b].lstrip()))
            items.append(Item(base + lead, base + lead + len(chunk), chunk))
    return items


def split_items(text: str, base: int = 0) -> list:
    """Enumerated items; else the "还存在A、B、C的问题" list; else sentences."""
    items = enumerated_items(text, base)
    if items:
        return items
    m = _LIST_SENTENCE.search(text)
    if m and m.group("list").count("、") >= 1:
        out, pos = [], m.start("list")
        for piece in m.group("list").split("、"):
            clean = piece.strip(" ，,")
            if len(clean) >= 3:
                at = text.index(clean, pos)
                out.append(Item(base + at, base + at + len(clean), clean))
            pos += len(piece) + 1
        if len(out) >= 2:
            return out
    return [Item(base + s.start(), base + s.end(), s.group(0).strip())
            for s in _SENTENCE.finditer(text) if len(s.group(0).strip()) >= 4]
