"""The Shenzhen pack on its own: YAML rules on the built-in coverage kind, and the 大鹏新区 seed (003)."""
import os

import pytest

from checker.engine import check_path
from checker.plugins import build_plugins
from checker.rules import load_ruleset
from checker.rules.selftest import verify_ruleset

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_003 = os.path.join(HERE, "..", "..", "..", "seeds", "003_bf1c1cd002b1e66a.txt")


@pytest.fixture(scope="module")
def shenzhen():
    with pytest.MonkeyPatch.context() as patch:      # the pack from this source tree, no installed plugin
        patch.syspath_prepend(os.path.join(HERE, "..", "src"))
        patch.setenv("FAZHI_LINT_NO_ENTRYPOINTS", "1")
        plugins = build_plugins(["fazhi_lint_shenzhen"])
    ruleset = load_ruleset(plugins, "shenzhen")
    assert verify_ruleset(ruleset)[1] == [] and not ruleset.errors and not plugins.failures
    return ruleset


def test_the_eight_first_level_areas(shenzhen):
    areas = list(shenzhen.by_id("SZ-A01").config.items)
    assert areas == ["组织领导", "政府职能依法全面履行", "健全依法行政制度", "科学民主依法决策",
                     "严格规范公正文明执法", "行政权力制约和监督", "法治政府对法治社会的带动", "数字法治政府建设"]
    assert shenzhen.by_id("SZ-A02").check == "coverage" and shenzhen.by_id("SZ-A02").config.evidence
    assert shenzhen.kinds["coverage"].plugin_name == "checker.checks"      # no Python kind of its own


def test_seed_003_misses_enforcement_and_digital_government(shenzhen):
    findings = {f.rule: f for f in check_path(SEED_003, shenzhen).findings}
    assert "严格规范公正文明执法、数字法治政府建设" in findings["SZ-A01"].message
    assert "（已涉及 6/8 项）" in findings["SZ-A01"].message
    # 组织领导 is written only in general words in this report
    assert "组织领导" in findings["SZ-A02"].message
