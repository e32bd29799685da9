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
its ``min_share`` with at least ``min_chars`` characters measured. The kind reads a ``PeerIndex``
companion: the batch's (``check --copies``), a rule example's peers, or a report and last year's.
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
    start: int            # the part's heading: normalised offsets in its report
    end: int
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
    return PartSketch(*_heading_span(doc, part), _title(part), text, hashes, positions, sub, parent)


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
    copied: int = 0       # folded characters of the part lying in the other report's shingles


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


@dataclass(frozen=True)
class PeerIndex:
    """The reports a report is compared with, ready to ask: their sketches, the inverted index from
    fingerprint to reports and the template fingerprints. ``exclude`` ({key: key or keys}) names
    reports never counted as another unit's (a report's own last year)."""

    keys: tuple                   # sketch keys (report paths), in order
    sketches: tuple               # ReportSketch per key
    postings: dict                # fingerprint -> [report number]
    template: frozenset           # fingerprints too many reports have
    exclude: dict

    def copies_of(self, key, min_share: float, min_chars: int) -> list:
        """[SharedPart] of the report ``key``: each part of which ``min_share`` or more (template
        text aside, at least ``min_chars`` characters measured) lies in one other report."""
        index_of = {k: r for r, k in enumerate(self.keys)}
        own = index_of.get(key)
        if own is None:
            return []
        never = self.exclude.get(key) or ()
        never = {index_of.get(p) for p in ((never,) if isinstance(never, str) else never)} | {own}
        found, copied_parts, full = [], set(), {}

        def shingle_set(r):
            if r not in full:
                from .shingles import shingles

                full[r] = set().union(*(shingles(p.text) for p in self.sketches[r].parts if not p.sub))
            return full[r]

        for index, part in enumerate(self.sketches[own].parts):
            if part.sub and part.parent in copied_parts:
                continue
            left_out = _left_out(part, self.template)
            measured = left_out.count(0)
            if measured < min_chars:
                continue
            peers = {r for h in part.hashes if h not in self.template for r in self.postings.get(h, ())} - never
            if not peers:
                continue
            copied, r = max((copied_chars(part.text, left_out, shingle_set(r)), r) for r in sorted(peers))
            if copied / measured >= min_share:
                found.append(SharedPart(part, copied / measured, self.sketches[r].name, copied))
                copied_parts.add(index)
        return found


def peer_index(sketches: dict, max_sharers=None, exclude=None) -> PeerIndex:
    """The PeerIndex of ``sketches`` ({key: ReportSketch or None}). A fingerprint more than
    ``max_sharers`` reports hold (default: 2 % of them, at least 5, at most ``MAX_SHARERS``) is template."""
    keys = tuple(k for k, s in sketches.items() if s is not None)
    if max_sharers is None:
        max_sharers = max(5, min(MAX_SHARERS, len(keys) // 50))
    postings = defaultdict(list)
    for r, key in enumerate(keys):
        for h in {h for part in sketches[key].parts if not part.sub for h in part.hashes}:
            postings[h].append(r)
    template = frozenset(h for h, holders in postings.items() if len(holders) > max_sharers)
    return PeerIndex(keys, tuple(sketches[k] for k in keys), dict(postings), template, dict(exclude or {}))


def find_copies(sketches: dict, targets, min_share: float, min_chars: int, max_sharers=None,
                exclude=None) -> dict:
    """{key of a target: [SharedPart]} for the reports ``targets`` (keys of ``sketches``)."""
    index = peer_index(sketches, max_sharers, exclude)
    if len(index.keys) < 2:
        return {}
    found = {key: index.copies_of(key, min_share, min_chars) for key in targets}
    return {key: parts for key, parts in found.items() if parts}
