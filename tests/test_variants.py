"""Heading styles not seen in the seeds (Beijing/Jinghai/清水 layouts, level-2-only, PDF spacing)."""
import os

import pytest
import yaml

from checker.document import load_document

from .conftest import ROOT

HERE = os.path.join(ROOT, "tests", "data", "variants")
EXPECTED = yaml.safe_load(open(os.path.join(HERE, "expected.yaml"), encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_variant_elements(name):
    doc = load_document(os.path.join(HERE, name))
    want = EXPECTED[name]
    assert doc.elements_summary() == want["elements"]
    assert doc.meta.report_year == want["report_year"]
    for key in ("published", "unit"):
        if key in want:
            assert getattr(doc.meta, key) == want[key]
