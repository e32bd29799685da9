"""The fact_threshold and coverage kinds: parameter checks, the three cases, and what they say on the seeds."""
import pytest

from checker.checks.coverage import CoverageKind
from checker.checks.facts import FactThresholdKind
from checker.engine import check_path
from checker.errors import RuleError

from .conftest import prepared, seed_path


@pytest.mark.parametrize("params", [
    {"labels": ["x"], "aggregate": "avg"},
    {"labels": ["x"], "min": "two"},
    {"labels": ["x"], "absent": "maybe"},
    {"labels": ["("]},
    {"labels": ["x"], "units": "次"},
    {"pattern": "x"},
])
def test_fact_threshold_rejects_bad_parameters(ruleset, params):
    with pytest.raises(RuleError):
        prepared(ruleset, "FZ-L01", FactThresholdKind(), params)


@pytest.mark.parametrize("params, problem", [
    ({"items": {}}, "非空映射"),
    ({"items": {"a": "("}}, "不是有效的正则表达式"),
    ({"items": {"a": "x"}, "min_facts": -1}, "min_facts 应是非负整数"),
    ({}, "缺少参数：items"),
    ({"items": {"甲": []}}, "至少要有一个正则"),
    ({"items": {"甲": ["a"]}, "min_covered": 3}, "min_covered"),
    ({"areas": {"甲": ["a"]}}, "不认识参数：areas"),
])
def test_coverage_rejects_bad_parameters(ruleset, params, problem):
    with pytest.raises(RuleError, match=problem):
        prepared(ruleset, "FZ-R05", CoverageKind(), params)


def _findings(ruleset, seed, rule_id):
    return [f for f in check_path(seed_path(seed), ruleset).findings if f.rule == rule_id]


def test_frp_duties_reported_with_counts_on_the_seeds(ruleset):
    # 001 states its meetings with numbers: R01 and R05 pass, R04 finds 出庭应诉1次
    assert _findings(ruleset, "001_463db61ea62b21f3.txt", "FZ-R01") == []
    assert _findings(ruleset, "001_463db61ea62b21f3.txt", "FZ-R05") == []
    assert _findings(ruleset, "001_463db61ea62b21f3.txt", "FZ-R04") == []
    # 002 has a dedicated part but no number in it: R05 lists what is written and what is missing
    (r05,) = _findings(ruleset, "002_3ec005597ce203f5.txt", "FZ-R05")
    assert "没有任何数字" in r05.message and "未写：述法" in r05.message and r05.line == 10
    (r04,) = _findings(ruleset, "002_3ec005597ce203f5.txt", "FZ-R04")
    assert "没有写次数" in r04.message and r04.severity == "info"
    # 000 never says the leader held or heard a meeting
    (r01,) = _findings(ruleset, "000_aa44ca5054db8c02.txt", "FZ-R01")
    assert r01.severity == "warning" and "没有提到" in r01.message
    # 004 mentions 述法 (述法制度): R02 passes there and only there
    assert _findings(ruleset, "004_b0c9e18cd6c6e394.txt", "FZ-R02") == []


def test_study_threshold_uses_the_count_and_can_be_overridden(ruleset):
    from checker.document import build_document

    text = ("河西区司法局2023年度法治政府建设情况报告\n一、主要举措和成效\n"
            "全年局党组会会前学法12次，学习法律法规15部。\n")
    doc = build_document(text)
    kind = FactThresholdKind()
    default = ruleset.by_id("FZ-L01")
    assert kind.check(doc, default, ruleset.states["FZ-L01"]) == []
    sichuan, state = prepared(ruleset, "FZ-L01", kind, {**default.params, "min": 24})   # a province asking for 24
    (hit,) = kind.check(doc, sichuan, state)
    assert "会前学法12次" in hit.values["detail"] and "少于 24" in hit.values["detail"]


def test_unquantified_and_absent_levels(ruleset):
    (l01,) = _findings(ruleset, "004_b0c9e18cd6c6e394.txt", "FZ-L01")
    assert l01.severity == "info" and "会前学法" in l01.excerpt
    (l01_absent,) = _findings(ruleset, "002_3ec005597ce203f5.txt", "FZ-L01")
    assert l01_absent.severity == "info" and "没有提到" in l01_absent.message
    # 002 reports 集体学习12次 / 法治专题学习3次: the 中心组 rule passes there
    assert _findings(ruleset, "002_3ec005597ce203f5.txt", "FZ-L04") == []
