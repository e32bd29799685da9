"""Text in the form two reports are compared in, and how much of one is covered by another.

A report copied from last year's, or from a neighbour's, changes exactly what ``fold`` folds
away: the numbers (全年开展学法12次 → 15次), the years, the enumerators (一是/二是) and the unit's
own name. Punctuation and spacing are dropped too. What is left is cut into character shingles
(``SHINGLE`` characters long); a stretch of text counts as copied from another report when every
character of it lies in a shingle that the other report also has.

Boilerplate every report uses (stock headings, the 习近平法治思想 formulas, see boilerplate.yaml)
is folded out before shingling, so it is neither evidence of copying nor part of what is measured.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass

SHINGLE = 10
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:自治州|自治县|新区|园区|省|市|州|县|区|镇|乡|街道)")


@functools.lru_cache(maxsize=1)
def boilerplate_phrases() -> tuple:
    """The stock phrases of boilerplate.yaml as written, longest first."""
    import yaml

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "boilerplate.yaml")
    with open(path, encoding="utf-8") as handle:
        phrases = yaml.safe_load(handle)["phrases"]
    return tuple(sorted(phrases, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def boilerplate() -> tuple:
    """Stock phrases (longest first), folded like report text: excluded from every comparison."""
    folded = {fold(p) for p in boilerplate_phrases()}
    return tuple(sorted((p for p in folded if len(p) >= 4), key=len, reverse=True))


def unit_names(unit) -> tuple:
    """The unit's name and the place names in it (黔江区马喇镇人民政府 → 黔江区, 马喇镇…)."""
    if not unit:
        return ()
    names = {unit}
    for m in _PLACE.finditer(unit):
        names.add(m.group(0))
    return tuple(sorted((n for n in names if len(n) >= 2), key=len, reverse=True))


_NUMERALS = re.compile(r"[0-9零〇一二三四五六七八九十百千万亿两]+")
_DROP = re.compile(r"[^\u3400-\u9fff\uf900-\ufaffA-Za-z#]+")


def fold(text: str, names=()) -> str:
    """The text as two reports are compared: unit and place names become "U", each run of digits
    or Chinese numerals one "#", and only letters and CJK characters are kept."""
    for name in names:
        if name in text:
            text = text.replace(name, "U")
    return _DROP.sub("", _NUMERALS.sub("#", text))


def strip_boilerplate(folded: str) -> str:
    """The folded text with stock phrases cut out (replaced by a separator no shingle crosses)."""
    for phrase in boilerplate():
        if phrase in folded:
            folded = folded.replace(phrase, "|")
    return folded


def shingles(folded: str, k: int = SHINGLE) -> set:
    """Hashes of the k-character shingles that do not cross a cut-out phrase."""
    return {hash(folded[i:i + k]) for i in range(len(folded) - k + 1) if "|" not in folded[i:i + k]}


@dataclass(frozen=True)
class Coverage:
    chars: int        # folded characters measured (boilerplate excluded)
    copied: int       # of which lie in a shingle the other text also has

    @property
    def share(self) -> float:
        return self.copied / self.chars if self.chars else 0.0


def coverage(folded: str, other: set, k: int = SHINGLE) -> Coverage:
    """How many characters of ``folded`` (boilerplate cut out) lie in a shingle of ``other``."""
    covered = bytearray(len(folded))
    for i in range(len(folded) - k + 1):
        piece = folded[i:i + k]
        if "|" not in piece and hash(piece) in other:
            covered[i:i + k] = b"\x01" * k
    measured = len(folded) - folded.count("|")
    return Coverage(measured, sum(covered))
