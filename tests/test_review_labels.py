"""The tool against the independent reviewer labels of the seeds (tests/data/review/): no finding
the labels forbid, every expected defect reported, and the report's year, unit and subject right."""
import pytest

from checker.engine import check_path

from .accuracy_doc import load_review, tally
from .conftest import SEED_FILES, seed_path


@pytest.mark.parametrize("name", SEED_FILES)
def test_no_false_alarm_and_every_expected_defect(name, ruleset):
    review = load_review(name)
    result = check_path(seed_path(name), ruleset)
    counts = tally(review, {f.rule for f in result.findings})
    assert counts["false"] == [], counts["false"]
    assert counts["missed"] == [], counts["missed"]


@pytest.mark.parametrize("name", SEED_FILES)
def test_year_unit_and_subject(name, ruleset):
    review = load_review(name)
    meta = check_path(seed_path(name), ruleset).meta
    assert meta["report_year"] == review["report_year"]
    assert meta["subject"] == review["subject"]
    assert meta["unit"] == review["unit"]


def test_the_labels_are_consistent():
    for name in SEED_FILES:
        review = load_review(name)
        lists = [{i["rule"] for i in review.get(k) or ()} for k in ("expected", "acceptable", "must_not")]
        assert not (lists[0] & lists[1] or lists[0] & lists[2] or lists[1] & lists[2]), name
        assert all(i.get("why") for k in ("expected", "acceptable", "must_not") for i in review.get(k) or ()), name
