"""FZ-Y03's promise (issue 14): a part with 80 % or more of its characters copied from another
report of the batch is always reported, and independently written reports never are.

The copy cases are generated (seeded): a part of one seed pasted into another seed's report under
another unit's name, its numbers changed, some sentences swapped, and phrases rewritten, inserted
or deleted at random places until the part's exact share (``copies.coverage``, the FZ-Y02 measure)
lies between 80 and 85 %. Each case is checked through the batch path (worker sketches, fingerprint
index, exact share on the candidates)."""
import functools
import glob
import os
import random
import re
import subprocess
import sys

import pytest

from checker.compare.copies import folded_text, report_name
from checker.compare.copy_index import find_copies, sketch
from checker.compare.shingles import coverage, shingles
from checker.document import build_document
from tests.cli_helpers import SEEDS

NAMES = sorted(os.listdir(SEEDS))
CASES = 200
FILLERS = ("切实", "进一步", "认真", "扎实", "有序", "全面", "着力", "不断", "依法", "规范地", "按照要求", "结合实际",
           "在上级指导下", "围绕中心工作", "本单位", "坚持问题导向")
COPIER_HEAD = "{unit}2024年度法治政府建设工作报告\n\n"
COPIER_UNITS = ("某某县交通运输局", "江北区城市管理局", "青山镇人民政府", "高新区管理委员会")
MANY_TEXTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared", "bench",
                          "make_corpus.py")


@functools.lru_cache(maxsize=None)
def seed_doc(name):
    with open(os.path.join(SEEDS, name), encoding="utf-8") as handle:
        return build_document(handle.read(), path=name)


def report_shingles(doc) -> set:
    """Shingles of a report's whole body: the reference the generated cases' share is measured against."""
    return set().union(*(shingles(folded_text(doc, a, b)) for a, b in doc.scope_spans("body")))


@functools.lru_cache(maxsize=None)
def seed_shingles(name):
    return report_shingles(seed_doc(name))


@functools.lru_cache(maxsize=None)
def seed_sketch(name):
    return sketch(seed_doc(name))


def _copier_text(unit, part_text, host):
    """A report of ``unit``: the copied part first, then the host seed's own later parts."""
    rest = "\n".join(host.text[p.start:p.end] for p in host.parts[1:])
    return COPIER_HEAD.format(unit=unit) + part_text.strip() + "\n" + rest


def _share(unit, part_text, host, source):
    doc = build_document(_copier_text(unit, part_text, host), path="copier.txt")
    first = doc.parts[0] if doc.parts else None
    if first is None or "preamble" in first.elements:
        return None, doc
    return coverage(folded_text(doc, first.start, first.end), seed_shingles(source)), doc


def _edit(sentences, rng):
    """One paraphrase edit: a phrase rewritten, inserted or deleted in a random sentence."""
    k = rng.randrange(len(sentences))
    s = sentences[k]
    if len(s) < 8:
        return
    at = rng.randrange(1, len(s) - 4)
    cut = rng.choice((0, 2, 3, 4))
    sentences[k] = s[:at] + rng.choice(FILLERS + ("",) if cut else FILLERS) + s[at + cut:]


def make_case(rng):
    """(copier document, source seed, title of the copied part, exact share) or None."""
    source, host_name = rng.sample(NAMES, 2)
    src, host = seed_doc(source), seed_doc(host_name)
    parts = [p for p in src.parts if "preamble" not in p.elements and len(folded_text(src, p.start, p.end)) >= 120]
    if not parts:
        return None
    part = rng.choice(parts)
    heading_end = src.text.index("\n", part.start) if "\n" in src.text[part.start:part.end] else part.end
    heading, body = src.text[part.start:heading_end], src.text[heading_end:part.end]
    unit = rng.choice(COPIER_UNITS)
    if src.meta.unit:
        body = body.replace(src.meta.unit, unit)
    body = re.sub(r"\d+", lambda m: str(rng.randrange(1, 300)), body)            # numbers changed
    sentences = re.findall(r"[^。；\n]*[。；\n]|[^。；\n]+$", body)
    for _ in range(rng.randrange(0, 3)):                                            # sentences reordered
        if len(sentences) > 2:
            k = rng.randrange(len(sentences) - 1)
            sentences[k], sentences[k + 1] = sentences[k + 1], sentences[k]
    previous = list(sentences)
    for _ in range(400):
        share, doc = _share(unit, heading + "".join(sentences), host, source)
        if share is None:
            return None
        if share.share < 0.80:                     # one edit too many: step back and try another
            sentences = list(previous)
        elif share.share <= 0.85 and share.chars >= 80:
            return doc, source, doc.parts[0].title, share.share
        previous = list(sentences)
        _edit(sentences, rng)
    return None


def _cases():
    rng = random.Random(20241114)
    cases = []
    while len(cases) < CASES:
        case = make_case(rng)
        if case is not None:
            cases.append(case)
    return cases


def test_every_part_copied_at_80_to_85_percent_is_reported():
    missed, shares = [], []
    for doc, source, title, share in _cases():
        others = [n for n in NAMES if n != source][:2]
        sketches = {"copier.txt": sketch(doc), source: seed_sketch(source)}
        sketches.update({n: seed_sketch(n) for n in others})
        found = find_copies(sketches, ["copier.txt"], 0.5, 80).get("copier.txt", [])
        hit = [p for p in found if p.part.title == title and p.other == report_name(seed_doc(source))]
        if not hit:
            missed.append((source, title, round(share, 3)))
        else:
            shares.append((share, hit[0].share))
    assert not missed, missed
    assert len(shares) == CASES
    assert all(abs(exact - batch) <= 0.1 for exact, batch in shares), shares


def test_the_seeds_against_each_other_are_never_reported():
    sketches = {n: seed_sketch(n) for n in NAMES}
    assert find_copies(sketches, NAMES, 0.5, 80) == {}


@pytest.mark.skipif(not os.path.exists(MANY_TEXTS), reason="../shared/bench/make_corpus.py is not here")
def test_corpus_reports_made_from_different_seeds_are_never_reported(tmp_path):
    """make_corpus.py rebuilds reports from one seed's paragraphs (one seed per run): reports made
    from different seeds are independently written; each seed contributes four reports."""
    docs = {}
    for k, name in enumerate(NAMES):
        seeds = tmp_path / f"seed{k}"
        seeds.mkdir()
        (seeds / name).write_text(seed_doc(name).text, encoding="utf-8")
        out = tmp_path / f"corpus{k}"
        subprocess.run([sys.executable, MANY_TEXTS, str(out), "-n", "4", "--big-mb", "", "--seeds", str(seeds)],
                       check=True, stdout=subprocess.DEVNULL)
        for path in sorted(glob.glob(str(out / "reports" / "*.txt"))):
            with open(path, encoding="utf-8") as handle:
                key = f"s{k}_{os.path.basename(path)}"
                docs[key] = build_document(handle.read(), path=key)
    sketches = {p: sketch(d) for p, d in docs.items()}
    found = find_copies(sketches, list(sketches), 0.5, 80)
    across = {(p, s.other) for p, parts in found.items() for s in parts if not s.other.startswith(p[:3])}
    assert len(docs) == 20 and across == set()


def test_any_shared_stretch_of_the_guaranteed_length_yields_a_shared_fingerprint():
    """Winnowing's guarantee, on which "always reported" rests: two texts that share a stretch of
    GUARANTEED_RUN folded characters share a fingerprint, wherever the stretch stands."""
    from checker.compare.copy_index import GUARANTEED_RUN, winnow

    rng = random.Random(2024)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 300)]       # few characters: many repeats

    def text(n):
        return "".join(rng.choice(alphabet) for _ in range(n))

    for _ in range(500):
        run = text(GUARANTEED_RUN)
        a = text(rng.randrange(0, 200)) + run + text(rng.randrange(0, 200))
        b = text(rng.randrange(0, 200)) + run + text(rng.randrange(0, 200))
        assert set(winnow(a)[0]) & set(winnow(b)[0]), (a, b)
