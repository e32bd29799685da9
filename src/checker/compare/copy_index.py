"""Which reports of a batch share text, without comparing every pair (``check --copies``).

Each report gets a *sketch* (computed in the batch workers, next to the ordinary check): per part,
its folded text (``shingles.fold``: numbers, years, names, punctuation and stock formulas away) and
its *winnowed fingerprints*: of the CRC-32 hashes of its ``SHINGLE``-character shingles, the
smallest in every window of ``WINDOW`` consecutive shingles (Schleimer, Wilkerson and Aiken's
winnowing). Winnowing's guarantee is what makes the candidates complete: two texts sharing a
stretch of at least ``GUARANTEED_RUN`` (= WINDOW + SHINGLE - 1) folded characters share a window of
shingles, hence its smallest hash, hence a fingerprint. No sample is left to chance: a part
copied from another report is a candidate whenever one copied stretch is that long.

An inverted index from fingerprint to reports gives, for each part, the reports that share one
of its fingerprints, in time proportional to the postings and never to the number of pairs. A
fingerprint that many reports have (more than ``max_sharers``: 2 % of the batch, at least 5, at most
``MAX_SHARERS``) is a template many units use, not evidence that one unit copied another: it makes
no candidate, and the text it stands for is left out of what is measured (the characters of its
shingle and the ``WINDOW`` - 1 on each side, which winnowing may have left without a fingerprint
of its own). For each candidate the share is then measured exactly, from the folded texts the
workers sent: the characters of the part (template text aside) lying in a shingle the other report
also has, over the part's characters (template text aside). FZ-Y03 reports the parts at or above
its ``min_share`` with at least ``min_chars`` characters measured. (Given the other reports
themselves, as a rule's examples do, the kind measures the same way: ``copies.copied_parts``.)
"""
from __future__ import annotations

from array import array
from collections import defaultdict
from dataclasses import dataclass
from zlib import crc32

from .copies import _heading_span, _title, report_name
from .shingles import SHINGLE, fold, strip_boilerplate, unit_names

WINDOW = 12
GUARANTEED_RUN = WINDOW + SHINGLE - 1
MAX_SHARERS = 50


@dataclass(frozen=True)
class PartSketch:
    where: dict           # line/column/excerpt of the part's heading (Finding fields)
    title: str
    text: str             # folded text; "|" cuts (stock formulas, sub-part borders) no shingle crosses
    hashes: array         # winnowed fingerprints ('I') …
    positions: array      # … and where each starts in ``text`` ('I')
    sub: bool             # a sub-part, judged only when its part as a whole is not copied
    parent: int           # index of its part in ReportSketch.parts (-1 for a part)


@dataclass(frozen=True)
class ReportSketch:
    name: str             # how a finding names this report (file, unit, year)
    parts: tuple


def winnow(text: str, k: int = SHINGLE, w: int = WINDOW):
    """(hashes, positions) of the winnowed fingerprints of ``text``: in each stretch between "|"
    cuts, the smallest CRC-32 among every ``w`` consecutive ``k``-character shingles (a stretch
    shorter than ``w`` shingles gives its smallest one)."""
    hashes, positions = array("I"), array("I")
    at = 0
    for piece in text.split("|"):
        n = len(piece) - k + 1
        if n > 0:
            h = [crc32(piece[i:i + k].encode("utf-8")) for i in range(n)]
            last = -1
            for i in range(max(1, n - w + 1)):
                window = h[i:i + w]
                j = i + window.index(min(window))
                if j != last:
                    hashes.append(h[j])
                    positions.append(at + j)
                    last = j
        at += len(piece) + 1
    return hashes, positions


def _folded(doc, start, end, names) -> str:
    return strip_boilerplate(fold(doc.text[start:end], names))


def _part_sketch(doc, part, text, sub, parent) -> PartSketch:
    hashes, positions = winnow(text)
    return PartSketch(doc.locate(*_heading_span(doc, part)), _title(part), text, hashes, positions, sub, parent)


def sketch(doc):
    """What copy detection keeps of a report: per part, where its heading is, its folded text and
    its fingerprints (run in the batch worker, where the document is already built)."""
    names = unit_names(doc.meta.unit)
    parts = []
    for part in doc.parts:
        subs = [s for s in doc.subparts if part.start <= s.start < part.end]
        # each stretch of text is folded once: the sub-parts and what lies between them, joined by
        # cuts; a sub-part keeps the very string of its piece (pickled once on the way from a worker)
        cuts = [part.start] + [x for s in subs for x in (s.start, s.end)] + [part.end]
        pieces = [_folded(doc, a, b, names) if b > a else "" for a, b in zip(cuts, cuts[1:])]
        index = len(parts)
        parts.append(_part_sketch(doc, part, "|".join(p for p in pieces if p), False, -1))
        for k, sub in enumerate(subs):
            parts.append(_part_sketch(doc, sub, pieces[2 * k + 1], True, index))
    return ReportSketch(report_name(doc), tuple(parts)) if parts else None


@dataclass(frozen=True)
class SharedPart:
    part: PartSketch
    share: float
    other: str            # the other report's name


def _left_out(part: PartSketch, template) -> bytearray:
    """1 for each character of the part's text that is not measured: the cuts, and the text that
    template fingerprints stand for (see the module's doc)."""
    mask = bytearray(len(part.text))
    for h, p in zip(part.hashes, part.positions):
        if h in template:
            a, b = max(0, p - WINDOW + 1), min(len(mask), p + SHINGLE + WINDOW - 1)
            mask[a:b] = b"\x01" * (b - a)
    at = part.text.find("|")
    while at >= 0:
        mask[at] = 1
        at = part.text.find("|", at + 1)
    return mask


def copied_chars(text: str, left_out: bytearray, other: set, k: int = SHINGLE) -> int:
    """How many characters of ``text`` outside ``left_out`` lie in a ``k``-character shingle whose
    ``hash`` is in ``other``."""
    covered = bytearray(len(text))
    for i in range(len(text) - k + 1):
        piece = text[i:i + k]
        if "|" not in piece and hash(piece) in other:
            covered[i:i + k] = b"\x01" * k
    return sum(c and not s for c, s in zip(covered, left_out))


def find_copies(sketches: dict, targets, min_share: float, min_chars: int, max_sharers=None,
                exclude=None) -> dict:
    """{path of a target: [SharedPart]} for the parts of ``targets`` (paths in ``sketches``) of which
    ``min_share`` or more (template text aside, at least ``min_chars`` characters measured) lies in
    one other report of ``sketches`` (``exclude``: {path: path or paths} never counted as the other
    report of that path)."""
    paths = [p for p, s in sketches.items() if s is not None]
    if len(paths) < 2:
        return {}
    if max_sharers is None:
        max_sharers = max(5, min(MAX_SHARERS, len(paths) // 50))
    postings = defaultdict(list)
    for r, path in enumerate(paths):
        for h in {h for part in sketches[path].parts if not part.sub for h in part.hashes}:
            postings[h].append(r)
    template = {h for h, holders in postings.items() if len(holders) > max_sharers}
    full = {}

    def shingle_set(r):
        if r not in full:
            from .shingles import shingles

            full[r] = set().union(*(shingles(p.text) for p in sketches[paths[r]].parts if not p.sub))
        return full[r]

    index_of = {p: r for r, p in enumerate(paths)}
    out = {}
    for path in targets:
        own = index_of.get(path)
        if own is None:
            continue
        never = (exclude or {}).get(path) or ()
        never = {index_of.get(p) for p in ((never,) if isinstance(never, str) else never)} | {own}
        found, copied_parts = [], set()
        for index, part in enumerate(sketches[path].parts):
            if part.sub and part.parent in copied_parts:
                continue
            left_out = _left_out(part, template)
            measured = left_out.count(0)
            if measured < min_chars:
                continue
            peers = {r for h in part.hashes if h not in template for r in postings.get(h, ())} - never
            if not peers:
                continue
            copied, r = max((copied_chars(part.text, left_out, shingle_set(r)), r) for r in sorted(peers))
            if copied / measured >= min_share:
                found.append(SharedPart(part, copied / measured, sketches[paths[r]].name))
                copied_parts.add(index)
        if found:
            out[path] = found
    return out
