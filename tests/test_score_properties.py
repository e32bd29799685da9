"""Properties of the score on any report: the statutory parts dominate it, and what is shown
(--select, --ignore, suppressions, baseline) never changes it.

The alterations are generic: every part the outline finds is cut out of the text as given (its
spans mapped back from the normalised view), whatever the report; nothing here knows the seeds.
"""
import json
import re

import pytest

from checker.document import build_document
from checker.engine import check_text
from checker.records import ELEMENTS
from checker.engine.scoring import explain, missing_parts

from .cli_helpers import run
from .conftest import SEED_FILES, seed_path

MIN_DROP = 15


def read(name):
    return open(seed_path(name), encoding="utf-8").read()


def _sentence_around(text, start, end):
    left = max(text.rfind(c, 0, start) for c in "。；\n") + 1
    rights = [i for i in (text.find(c, end) for c in "。；\n") if i >= 0]
    return left, (min(rights) + 1 if rights else len(text))


def cut_element(text, element, rounds=4):
    """``text`` without the element: its parts (or causes, or the sentences that mention the
    first responsible person) removed from the original text, until the outline no longer finds it."""
    for _ in range(rounds):
        doc = build_document(text)
        spans = list(doc.element_spans(element))
        if element == "first_responsible_person" and doc.frp_mention:
            spans.append(_sentence_around(doc.text, *doc.frp_mention))
        if not spans:
            return text
        cuts = sorted(doc.norm.offsets.span_to_original(s, e) for s, e in spans)
        for s, e in reversed(cuts):
            text = text[:s] + text[e:]
    return text


def shift_years(text, delta):
    return re.sub(r"(?<!\d)(20[12]\d)(?!\d)", lambda m: str(int(m.group(1)) + delta), text)


def variants():
    """The seeds, and altered copies: years shifted, page chrome kept or not, another part removed."""
    for name in SEED_FILES:
        text = read(name)
        yield name, text
        yield name + "+1y", shift_years(text, 1)
        yield name + "-plan", cut_element(text, "next_year_plan")
        yield name + "-measures", cut_element(text, "measures_and_results")


VARIANTS = list(variants())


@pytest.mark.parametrize("label,text", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_removing_any_statutory_part_lowers_the_score_by_at_least_15(label, text, ruleset):
    full = check_text(text, ruleset)
    present = [e for e in ELEMENTS if e not in missing_parts(full.elements)]
    for element in present:
        cut = check_text(cut_element(text, element), ruleset)
        if element not in missing_parts(cut.elements):
            continue                  # the outline still finds it elsewhere: not removed
        assert cut.score <= full.score - MIN_DROP or cut.score == 0, (label, element, full.score, cut.score)
        assert cut.score < full.score


@pytest.mark.parametrize("name", SEED_FILES)
def test_the_breakdown_adds_up_to_the_score(name, ruleset):
    text = cut_element(read(name), "shortcomings")
    result = check_text(text, ruleset)
    rows = explain(result.outcomes, ruleset, result.elements)
    assert round(100 - sum(points for _, points in rows), 1) == pytest.approx(result.score, abs=0.15)
    assert any(what.startswith("缺少法定内容") and points == ruleset.policy.part_penalty for what, points in rows)


def _scores(*args):
    result = run("--format", "json", *args)
    return {f["path"]: f["score"] for f in json.loads(result.stdout)["files"]}


def test_the_score_does_not_depend_on_what_is_shown(tmp_path):
    seeds = [seed_path(n) for n in SEED_FILES]
    plain = _scores(*seeds)
    assert _scores("--select", "FZ-W,FZ-S03,FZ-N02", *seeds) == plain
    assert _scores("--ignore", "FZ-S,FZ-L", *seeds) == plain
    baseline = tmp_path / "baseline.json"
    run("--write-baseline", str(baseline), *seeds)
    assert _scores("--baseline", str(baseline), *seeds) == plain
