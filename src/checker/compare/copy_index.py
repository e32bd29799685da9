"""Which reports of a batch share text, without comparing every pair (``check --copies``).

Each report gets a *sketch* (computed in the batch workers, next to the ordinary check): the
hashes of a sample of its folded character shingles (``shingles.fold``: numbers, years, names,
punctuation and stock formulas away), about one in ``SAMPLE``. The choice depends on the shingle alone, so two
reports sharing a stretch of text share the sampled shingles inside it (about one in ``SAMPLE``
characters), whatever else they contain; this content-defined sampling estimates how much of one
report lies in another, which is the question here (a Jaccard estimate such as MinHash answers a
different one, and measured per chunk with datasketch's MinHash + LSH it cost 8 + 11 ms a report,
more than the whole check: see docs/year-over-year.md).

An inverted index from sampled hash to reports gives, for each pair of reports sharing at least
``MIN_SHARED`` samples, a candidate, in time proportional to the postings and never to the number
of pairs. A sample that many reports have (more than ``max_sharers``: 2 % of the batch, at least 5,
at most ``MAX_SHARERS``) is a template many units use, not evidence that one unit copied another,
and is ignored; the cap also bounds the work per sample. A copied stretch of c folded characters
holds about (c - 9) / ``SAMPLE`` samples: a part of 80 characters, the least FZ-Y03 judges, about
9, and ``MIN_SHARED`` of them make the pair a candidate.
For each candidate pair, each part of a report (and, when the part as a whole is not copied, each
of its sub-parts) gets the share of its non-template samples that the other report also has: an
estimate of the share of its characters found in the other report, made from what the workers
sent, without reading any report again. FZ-Y03 reports the parts at or above its ``min_share``
with at least ``min_chars`` / ``SAMPLE`` samples. (Given the other reports themselves, as a rule's
examples do, the kind measures the share exactly instead: ``copies.copied_parts``.)

Which shingles are sampled depends on their first character (one CJK character in ``SAMPLE``, by
a fixed mix of its code point), so a regex finds them in C and only those are hashed (CRC-32): the
same in every process and every run, so the estimated shares do not change from one run to the
next. The share of characters that are anchors varies with the text; on the seeds it is
measured in docs/year-over-year.md.
"""
from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from zlib import crc32

from .copies import _heading_span, _title, report_name
from .shingles import SHINGLE, fold, strip_boilerplate, unit_names

SAMPLE = 8
MIN_SHARED = 3
MAX_SHARERS = 50


@dataclass(frozen=True)
class PartSketch:
    where: dict           # line/column/excerpt of the part's heading (Finding fields)
    title: str
    samples: frozenset
    sub: bool             # a sub-part, judged only when its part as a whole is not copied
    parent: int           # index of its part in ReportSketch.parts (-1 for a part)


@dataclass(frozen=True)
class ReportSketch:
    name: str             # how a finding names this report (file, unit, year)
    parts: tuple


@functools.lru_cache(maxsize=1)
def _anchor():
    """The characters a sampled shingle starts with: one CJK character in ``SAMPLE``, chosen by a
    fixed mix of its code point (so a regex finds the samples and Python hashes only those)."""
    chars = "".join(chr(c) for c in range(0x4E00, 0xA000) if (c * 2654435761 >> 13) % SAMPLE == 0)
    return re.compile(f"(?=([{chars}][^|]{{{SHINGLE - 1}}}))")


def _samples(text: str) -> frozenset:
    """CRC-32 of each shingle of the folded ``text`` that starts with an anchor character."""
    return frozenset(crc32(shingle.encode("utf-8")) for shingle in _anchor().findall(text))


def _folded(doc, start, end, names) -> str:
    return strip_boilerplate(fold(doc.text[start:end], names))


def sketch(doc):
    """What copy detection keeps of a report: per part, where its heading is and its sampled
    shingle hashes (run in the batch worker, where the document is already built)."""
    names = unit_names(doc.meta.unit)
    parts = []
    for part in doc.parts:
        subs = [s for s in doc.subparts if part.start <= s.start < part.end]
        # each stretch of text is folded and sampled once: the sub-parts, then what lies between them
        sub_samples = [_samples(_folded(doc, s.start, s.end, names)) for s in subs]
        cuts = [part.start] + [x for s in subs for x in (s.start, s.end)] + [part.end]
        rest = _samples("|".join(_folded(doc, a, b, names) for a, b in zip(cuts[::2], cuts[1::2]) if b > a))
        index = len(parts)
        parts.append(PartSketch(doc.locate(*_heading_span(doc, part)), _title(part),
                                rest.union(*sub_samples), False, -1))
        for sub, samples in zip(subs, sub_samples):
            parts.append(PartSketch(doc.locate(*_heading_span(doc, sub)), _title(sub), samples, True, index))
    return ReportSketch(report_name(doc), tuple(parts)) if parts else None


def _report_samples(s: ReportSketch) -> frozenset:
    return frozenset().union(*(p.samples for p in s.parts if not p.sub))


@dataclass(frozen=True)
class SharedPart:
    part: PartSketch
    share: float
    other: str            # the other report's name


def find_copies(sketches: dict, targets, min_share: float, min_samples: int, max_sharers=None,
                exclude=None) -> dict:
    """{path of a target: [SharedPart]} for the parts of ``targets`` (paths in ``sketches``) whose
    non-template samples lie, for ``min_share`` or more, in one other report of ``sketches``
    (``exclude``: {path: path or paths} never counted as the other report of that path)."""
    paths = [p for p, s in sketches.items() if s is not None]
    if len(paths) < 2:
        return {}
    if max_sharers is None:
        max_sharers = max(5, min(MAX_SHARERS, len(paths) // 50))
    samples = {p: _report_samples(sketches[p]) for p in paths}
    postings = defaultdict(list)
    for r, path in enumerate(paths):
        for h in samples[path]:
            postings[h].append(r)
    template = {h for h, holders in postings.items() if len(holders) > max_sharers}
    shared = Counter()
    for holders in postings.values():
        if 2 <= len(holders) <= max_sharers:
            shared.update(combinations(holders, 2))
    peers = defaultdict(set)
    for (a, b), n in shared.items():
        if n >= MIN_SHARED:
            peers[paths[a]].add(paths[b])
            peers[paths[b]].add(paths[a])
    out = {}
    for path, other in (exclude or {}).items():
        peers[path] -= {other} if isinstance(other, str) else set(other)
    for path in targets:
        if not peers.get(path):
            continue
        found, copied_parts = [], set()
        for index, part in enumerate(sketches[path].parts):
            if part.sub and part.parent in copied_parts:
                continue
            own = part.samples - template
            if len(own) < min_samples:
                continue
            share, other = max((len(own & samples[o]) / len(own), o) for o in peers[path])
            if share >= min_share:
                found.append(SharedPart(part, share, sketches[other].name))
                copied_parts.add(index)
        if found:
            out[path] = found
    return out
