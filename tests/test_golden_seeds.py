"""Golden files: the findings a careful reviewer expects on each seed, and why (tests/golden/*.yaml).

Only the rules that exist in the rule set are compared, so a golden file states the complete
expected result for those rules: a new finding or a lost one fails the test.
"""
import glob
import os

import pytest
import yaml

from checker.engine import check_path

from .conftest import ROOT, seed_path

GOLDEN = sorted(glob.glob(os.path.join(ROOT, "tests", "golden", "*.yaml")))


@pytest.mark.parametrize("golden", GOLDEN, ids=[os.path.basename(g)[:3] for g in GOLDEN])
def test_seed_findings_match_golden(golden, ruleset):
    spec = yaml.safe_load(open(golden, encoding="utf-8"))
    result = check_path(seed_path(spec["file"]), ruleset)
    assert result.error is None
    rule_ids = {r.id for r in ruleset.rules}
    got = sorted((f.rule, f.line, f.column) for f in result.findings if f.rule in rule_ids)
    want = sorted((f["rule"], f["line"], f["column"]) for f in spec["findings"] if f["rule"] in rule_ids)
    assert got == want
    for rule_id in spec.get("not_expected", {}):
        assert all(f.rule != rule_id for f in result.findings) or rule_id in {w[0] for w in want}
    assert all(f.get("why") for f in spec["findings"]), "every golden finding says why"
