"""The outline's elements for the five seeds equal a careful reviewer's labels (30 of 30 values)."""
import os

import pytest
import yaml

from checker.document import load_document

from .conftest import ROOT, seed_path

LABELS = yaml.safe_load(open(os.path.join(ROOT, "tests", "data", "seed_labels.yaml"), encoding="utf-8"))


def expected_elements(label):
    s = label["sections"]
    return {
        "measures_and_results": s["measures_and_results"],
        "shortcomings": s["shortcomings"],
        "causes": s["causes_of_shortcomings"],
        "first_responsible_person": s["first_responsible_person_form"] if s["first_responsible_person"] else "none",
        "next_year_plan": s["next_year_plan"],
        "next_year_plan_year": s["next_year_plan_year"],
    }


@pytest.mark.parametrize("label", LABELS, ids=[entry["file"][:3] for entry in LABELS])
def test_elements_match_reviewer_labels(label):
    doc = load_document(seed_path(label["file"]))
    assert doc.elements_summary() == expected_elements(label)


@pytest.mark.parametrize("label", LABELS, ids=[entry["file"][:3] for entry in LABELS])
def test_meta_matches_reviewer_labels(label):
    doc = load_document(seed_path(label["file"]))
    assert doc.meta.report_year == label["report_year"]
    assert doc.meta.published == (str(label["published"]) if label["published"] else None)
    assert doc.meta.script == label["script"]
    assert bool(doc.chrome_blocks) == label["has_page_chrome"]
