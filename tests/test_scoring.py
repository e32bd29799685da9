"""The score reflects the reviewer's checklist; subscores per element group."""
from checker.engine import check_path, check_text
from checker.records import RuleOutcome
from checker.engine.scoring import group_of, score

from .conftest import SEED_FILES, seed_path

# All statutory parts, but no numbers anywhere and no causes (like seed 000 without its causes).
MINIMAL = """市中区人民政府办公室2023年度法治政府建设情况报告
2023年，区政府办公室坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，扎实推进法治政府建设。现将有关工作情况报告如下：
一、工作开展情况
（一）加强宣传教育，法治思维入脑入心。通过集体学习、个人自学等形式深入学习法律法规，党员干部法治意识进一步增强。
（二）发挥“头雁作用”，法治建设有序推进。区政府办公室主要负责同志高度重视推进法治建设工作，切实履行第一责任人职责，将法治建设与中心工作紧密结合、统筹推进。
二、存在的不足
一是干部队伍法治素养还有一定差距；二是法治宣传有待加强，宣传形式较单一。
三、2024年工作打算
一是聚焦政治建设，提高思想认识。二是强化学习教育，推动法治宣传教育常态化。
区人民政府办公室
2024年2月23日
"""

# The same report, complete: numbers for the leader's duties and the study counts, and causes.
COMPLETE = """市中区人民政府办公室2023年度法治政府建设情况报告
2023年，区政府办公室坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，扎实推进法治政府建设。现将有关工作情况报告如下：
一、工作开展情况
（一）加强宣传教育，法治思维入脑入心。党组理论学习中心组开展法治专题学习4次，党组会会前学法12次，举办法治专题讲座2期、领导干部法治专题培训班2期，学法考试参考率、通过率均达100%，组织旁听庭审2次。
（二）发挥“头雁作用”，法治建设有序推进。区政府办公室主要负责同志切实履行第一责任人职责，全年主持召开法治建设专题会议3次，听取法治建设工作汇报2次，带头学法，在年终述职中述法，行政机关负责人出庭应诉2次。
（三）依法履职。全年办理行政复议答复5件、行政诉讼应诉3件，备案审查规范性文件6件，重大行政决策均经合法性审查，法律顾问审查合同20份。
二、存在的不足和原因
一是干部队伍法治素养还有一定差距，2名新进干部未参加执法资格培训，运用法治思维处理信访事项的能力不足；二是法治宣传有待加强，全年对外普法活动只有3场，宣传形式以发放资料为主，社区和企业覆盖不够。主要原因：一是对法治政府建设的认识还不够到位；二是学习培训不够系统。
三、2024年工作打算
一是强化学习教育，提升干部法治素养，年底前完成全员法治轮训。二是创新普法形式，进社区、进企业开展法治宣传12场，推出普法短视频10期。
四、其他需要报告的情况
无。
区人民政府办公室
2024年2月23日
"""


def test_parts_without_numbers_or_causes_do_not_score_like_a_complete_report(ruleset):
    minimal = check_text(MINIMAL, ruleset)
    complete = check_text(COMPLETE, ruleset)
    assert all(minimal.elements[k] for k in ("measures_and_results", "shortcomings", "next_year_plan"))
    assert minimal.elements["first_responsible_person"] != "none"
    assert not minimal.elements["causes"] and complete.elements["causes"]
    assert complete.score >= 95, [f.rule for f in complete.findings]
    assert minimal.score <= complete.score - 20, (minimal.score, complete.score)
    for group in ("responsibility", "study", "problems"):
        assert minimal.subscores[group] < complete.subscores[group], group
    assert complete.subscores["responsibility"] == 100 and complete.subscores["study"] == 100


def test_every_seed_has_all_subscore_groups(ruleset):
    for name in SEED_FILES:
        result = check_path(seed_path(name), ruleset)
        groups = [g for g in ruleset.policy.group_ids() if g != "other"]
        assert list(result.subscores)[:len(groups)] == groups
        assert all(v is None or 0 <= v <= 100 for v in result.subscores.values())
        assert "subscores" in result.to_json() and "facts" in result.to_json()


def test_group_of_uses_tags_then_the_longest_prefix(ruleset):
    policy = ruleset.policy
    assert group_of(ruleset.by_id("FZ-S03"), policy) == "problems"
    assert group_of(ruleset.by_id("FZ-S01"), policy) == "structure"
    assert group_of(ruleset.by_id("FZ-R05"), policy) == "responsibility"
    assert group_of(ruleset.by_id("FZ-L01"), policy) == "study"


def test_a_finding_below_the_rules_severity_costs_part_of_the_weight(ruleset):
    # FZ-L01 is a warning rule of weight 2; firing at info level loses 2 x 1/4 of the quality weight.
    weight_l07 = ruleset.by_id("FZ-L07").weight

    def expected(quality):
        return round(100 - ruleset.policy.quality_share * (100 - quality) / 100, 1)
    only = [RuleOutcome("FZ-L01", "failed", severity="info"), RuleOutcome("FZ-L07", "passed")]
    assert score(only, ruleset) == expected(100 * (weight_l07 + 1.5) / (weight_l07 + 2))
    full = [RuleOutcome("FZ-L01", "failed", severity="warning"), RuleOutcome("FZ-L07", "passed")]
    assert score(full, ruleset) == expected(100 * weight_l07 / (weight_l07 + 2))


def test_each_missing_statutory_part_costs_the_part_penalty(ruleset):
    present = {"measures_and_results": True, "shortcomings": True, "causes": True,
               "first_responsible_person": "mention", "next_year_plan": True}
    outcomes = [RuleOutcome("FZ-L07", "passed")]
    PART_PENALTY = ruleset.policy.part_penalty
    assert score(outcomes, ruleset, present) == 100
    assert score(outcomes, ruleset, dict(present, causes=False)) == 100 - PART_PENALTY
    assert score(outcomes, ruleset, dict(present, causes=False, first_responsible_person="none")) == 100 - 2 * PART_PENALTY
    # a rule that could not run because the part it checks is missing earns nothing
    p01 = [RuleOutcome("FZ-L07", "passed"), RuleOutcome("FZ-P01", "skipped", "报告没有该部分")]
    gone = dict(present, shortcomings=False, causes=False)
    assert score(p01, ruleset, gone) < score(outcomes, ruleset, gone)


def test_the_scoring_numbers_and_groups_are_the_packs_policy(tmp_path):
    """A province pack changes the part penalty and adds a checklist group in its pack.yaml's policy:
    the score follows, and nothing in the code names the numbers."""
    import textwrap

    from checker.plugins import build_plugins
    from checker.records import RulePack
    from checker.rules import load_ruleset

    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "pack.yaml").write_text(textwrap.dedent("""\
        name: stricter
        extends: national
        policy:
          scoring: {part_penalty: 30}
          groups: [{id: local, name: 本地要求, part: general}]
        """), encoding="utf-8")
    plugins = build_plugins()
    from checker.rules.manifest import read_manifest

    pack = read_manifest(str(folder))
    assert isinstance(pack, RulePack) and pack.policy["scoring"] == {"part_penalty": 30}
    plugins._cache["packs"] = plugins.rule_packs() + [pack]
    ruleset = load_ruleset(plugins, "stricter")
    assert ruleset.policy.part_penalty == 30 and ruleset.policy.quality_share == 50
    assert ruleset.policy.group_ids()[0] == "local" and "structure" in ruleset.policy.group_ids()
    present = {"measures_and_results": True, "shortcomings": True, "causes": False,
               "first_responsible_person": "mention", "next_year_plan": True}
    assert score([RuleOutcome("FZ-L07", "passed")], ruleset, present) == 70
