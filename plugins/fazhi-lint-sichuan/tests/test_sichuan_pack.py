"""The Sichuan pack on its own: it loads on top of national, its examples pass, and it reads the
眉山 seed (004) as a Sichuan reviewer would."""
import os

import pytest

from checker.engine import check_path, check_text
from checker.plugins import build_plugins
from checker.rules import load_ruleset
from checker.rules.selftest import verify_ruleset

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_004 = os.path.join(HERE, "..", "..", "..", "seeds", "004_b0c9e18cd6c6e394.txt")


@pytest.fixture(scope="module")
def sichuan():
    with pytest.MonkeyPatch.context() as patch:      # the pack from this source tree, no installed plugin
        patch.syspath_prepend(os.path.join(HERE, "..", "src"))
        patch.setenv("FAZHI_LINT_NO_ENTRYPOINTS", "1")
        plugins = build_plugins(["fazhi_lint_sichuan"])
    ruleset = load_ruleset(plugins, "sichuan")
    assert verify_ruleset(ruleset)[1] == [] and not ruleset.errors and not plugins.failures
    return ruleset


def test_pack_extends_national_overrides_the_study_quota_and_adds_sc_rules(sichuan):
    ids = [r.id for r in sichuan.rules]
    assert sichuan.chain == ("national", "sichuan")
    assert {"SC-L03", "SC-L04", "SC-L06"} <= set(ids)
    assert not {"SC-L01", "SC-L02", "SC-L05"} & set(ids)     # replaced by the FZ-L01 / FZ-L05 overrides
    assert "FZ-S01" in ids
    for rule in sichuan.rules:
        if rule.id.startswith("SC-"):
            assert "深化政府常务会议学法活动的意见" in rule.basis and "待核对" not in rule.basis
            assert rule.examples_fire and rule.examples_pass
    quota = sichuan.by_id("FZ-L01")
    assert quota.pack == "sichuan" and "每年不少于24次" in quota.basis and "24次" in quota.hint
    assert (quota.params["min"], quota.params["unquantified"], quota.params["absent"]) == (24, "warning", "warning")
    assert quota.params["labels"] == ["^会前学法$"]              # merged with the national params, not copied
    assert [c.pack for c in sichuan.provenance["FZ-L01"].changes] == ["sichuan"]
    assert "学法考法平台" in sichuan.by_id("FZ-L05").hint


def _study(ruleset, text):
    return {f.rule: f for f in check_text(text, ruleset).findings if f.rule.startswith(("FZ-L0", "SC-"))}


def test_seed_004_has_no_count_of_meeting_study(sichuan):
    found = {f.rule: f for f in check_path(SEED_004, sichuan, subject="government").findings}
    # 会前学法 mentioned twice, never counted: a warning in Sichuan for a 县级以上人民政府 (info in the national pack)
    assert found["FZ-L01"].severity == "warning" and "24" in found["FZ-L01"].message
    # the quota binds governments; the seed itself is an industrial park's report: advice only
    as_zone = {f.rule: f for f in check_path(SEED_004, sichuan).findings}
    assert as_zone["FZ-L01"].severity == "info"
    assert not found.keys() & {"SC-L03", "SC-L04", "SC-L06"}   # nothing stated, nothing compared
    assert "FZ-L05" not in found                 # 学法考法平台: 36名干部职工学法考试全部合格


REPORT = "某县人民政府2023年度法治政府建设情况报告\n一、主要举措和成效\n"


@pytest.mark.parametrize("sentence, fires", [
    ("全年开展会前学法12次。", True),
    ("全年开展会前学法24次。", False),
    ("严格落实每月会前学法2次的要求，全年开展会前学法26次。", False),
    ("全年组织开展二十次会前学法。", True),
    ("坚持会前学法制度。", True),                # no yearly count: warning in Sichuan
])
def test_meeting_study_quota(sichuan, sentence, fires):
    found = _study(sichuan, REPORT + sentence)
    assert ("FZ-L01" in found) is fires
    if fires:
        assert found["FZ-L01"].severity == "warning"


def test_topic_study_quota(sichuan):
    assert "SC-L03" in _study(sichuan, REPORT + "全年开展会前学法24次，专题学法1次。")
    assert "SC-L03" not in _study(sichuan, REPORT + "全年开展会前学法24次，专题学法2次。")
