"""The Sichuan pack on its own: it loads on top of national, its examples pass, and it reads the
眉山 seed (004) as a Sichuan reviewer would."""
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "src"))
SEED_004 = os.path.join(HERE, "..", "..", "..", "seeds", "004_b0c9e18cd6c6e394.txt")

from checker.engine import check_path, check_text  # noqa: E402
from checker.plugins import build_plugins  # noqa: E402
from checker.rules import load_ruleset  # noqa: E402
from checker.rules.selftest import verify_ruleset  # noqa: E402


@pytest.fixture(scope="module")
def sichuan():
    os.environ["FAZHI_LINT_NO_ENTRYPOINTS"] = "1"
    try:
        plugins = build_plugins(["fazhi_lint_sichuan"])
    finally:
        del os.environ["FAZHI_LINT_NO_ENTRYPOINTS"]
    ruleset = load_ruleset(plugins, "sichuan")
    assert verify_ruleset(ruleset) == [] and ruleset.errors == [] and not plugins.failures
    return ruleset


def test_pack_extends_national_and_adds_sc_rules(sichuan):
    ids = [r.id for r in sichuan.rules]
    assert sichuan.chain == ["national", "sichuan"]
    assert {"SC-L01", "SC-L02", "SC-L03", "SC-L04", "SC-L05", "SC-L06"} <= set(ids)
    assert "FZ-S01" in ids
    for rule in sichuan.rules:
        if rule.id.startswith("SC-"):
            assert "待核对" in rule.basis and rule.examples_fire and rule.examples_pass


def test_seed_004_has_no_count_of_meeting_study(sichuan):
    found = {f.rule for f in check_path(SEED_004, sichuan).findings}
    assert "SC-L02" in found                     # 会前学法 mentioned twice, never counted
    assert not found & {"SC-L01", "SC-L03", "SC-L04", "SC-L06"}   # nothing stated, nothing compared
    assert "SC-L05" not in found                 # 四川省国家工作人员学法考法平台 is reported


@pytest.mark.parametrize("sentence, fires", [
    ("全年开展会前学法12次。", True),
    ("全年开展会前学法24次。", False),
    ("严格落实每月会前学法2次的要求，全年开展会前学法26次。", False),
    ("全年组织开展二十次会前学法。", True),
])
def test_meeting_study_quota(sichuan, sentence, fires):
    found = {f.rule for f in check_text("某县2023年度法治政府建设工作报告\n" + sentence, sichuan).findings}
    assert ("SC-L01" in found) is fires
