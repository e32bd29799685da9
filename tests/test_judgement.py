"""Issue 21's judgement, rule by rule, on short reports written for the case: stock shortcomings
(FZ-P02), the plan's year where a reviewer reads it (FZ-N01 and elements.next_year_plan_year), the
rule-of-law duty of the first responsible person (the element, FZ-S04, FZ-R05), counts in the
mention's sentence (fact_threshold ``nearby``), and FZ-Y01's unsure verdicts as info."""
import pytest

from checker.document import build_document
from checker.document.outline import is_rule_of_law_duty
from checker.engine import check_text

HEAD = "某县司法局2023年度法治政府建设情况报告\n一、主要举措和成效\n（一）加强组织领导。局主要负责人切实履行推进法治建设第一责任人职责，全年主持召开法治建设专题会议3次，听取法治工作汇报2次。\n（二）规范执法。全年办理行政处罚案件126件。\n"
PLAN = "三、2024年工作安排\n一是年底前完成执法人员轮训。二是制定《重大行政决策目录》。\n某县司法局\n2024年2月20日\n"


def report(shortcomings: str, plan: str = PLAN, head: str = HEAD) -> str:
    return head + "二、存在的不足和原因\n" + shortcomings + "\n" + plan


def findings(result, rule):
    return [f for f in result.findings if f.rule == rule]


# ---------------------------------------------------------------- FZ-P02: each shortcoming judged

STOCK = ("一是部分干部依法行政意识有待进一步增强；二是普法宣传的针对性和实效性还不够强；"
         "三是基层执法规范化水平还需进一步提高；四是矛盾纠纷多元化解机制还需进一步健全完善。主要原因是认识不到位。")


def test_a_part_of_stock_phrases_is_flagged_and_quoted(ruleset):
    """The issue's case: every item is a judgement about a generic capacity, one of them names a work
    area (执法) — as empty as the others. The message quotes the stock items."""
    found = findings(check_text(report(STOCK), ruleset), "FZ-P02")
    assert len(found) == 1
    assert "4/4" in found[0].message
    assert "“基层执法规范化水平还需进一步提高”" in found[0].message
    assert found[0].excerpt.startswith("有待")          # points at the first stock phrase


@pytest.mark.parametrize("specific", [
    "一是乡镇合法性审查力量薄弱，11个乡镇中有7个未配备专职法律审核人员。",
    "一是行政复议纠错率偏高，被纠错案件集中在城市管理领域，共八件。",
    "一是《某县行政执法公示办法》落实不够，公示信息更新滞后。",
])
def test_items_with_a_figure_or_a_document_are_specific(ruleset, specific):
    text = specific + "二是案卷评查发现程序瑕疵，全年评查案卷48卷中有9卷送达不规范。三是执法规范化水平还需进一步提高。"
    assert not findings(check_text(report(text), ruleset), "FZ-P02")


def test_an_item_that_states_a_fact_without_judging_is_not_stock(ruleset):
    text = ("一是交通运输普法的针对性不够强，对货运企业、驾驶员群体的普法主要依靠执法现场宣传。"
            "二是乡村道路违法占道、非法加宽路口等问题时有发生。三是执法人员法律素养有待提升。")
    assert not findings(check_text(report(text), ruleset), "FZ-P02")


def test_a_year_alone_is_not_a_figure_and_causes_are_not_judged(ruleset):
    """2023年 is not a figure of the shortcoming; the cause analysis (with its figures) is left out."""
    text = ("一是2023年干部法治意识有待进一步提高。原因是全县38个村中有12个村无专职人员。"
            "二是执法规范化水平还需进一步提高。原因是培训只有2期。")
    assert findings(check_text(report(text), ruleset), "FZ-P02")


def test_half_stock_is_not_most(ruleset):
    text = "一是法治意识有待进一步提高。二是全年评查案卷48卷中有9卷送达不规范。"
    assert not findings(check_text(report(text), ruleset), "FZ-P02")


# ---------------------------------------------------------------- FZ-N01: the plan's year

@pytest.mark.parametrize("plan, year, fires", [
    ("三、下一步工作打算\n2023年，我局将继续深入学习贯彻习近平法治思想，重点做好以下工作：一是争取增加执法编制。\n", 2023, True),
    ("三、下一步工作打算\n我局将在2023年底前完成执法人员轮训。一是争取增加执法编制。\n", 2023, True),
    ("三、下一步工作打算\n2024年，我局将重点做好以下工作：一是争取增加执法编制。\n", 2024, False),
    ("三、下一步工作打算\n回顾2023年，对照存在的问题，2024年我局将重点做好以下工作：一是争取增加执法编制。\n", 2024, False),
    ("三、下一步工作打算\n到2025年，基本建成法治政府。一是争取增加执法编制。\n", None, False),
    ("三、下一步工作打算\n一是争取增加执法编制。二是2023年底前完成轮训。\n", None, False),   # past the opening: an item
    # no year in the heading or the opening: an item naming the year after the report year gives it,
    # the signature's date (2024年2月20日, appended to every case) does not
    ("三、下一步工作打算\n一是争取增加执法编制。二是力争2024年案卷优良率达到90%以上。\n", 2024, False),
    ("三、下一步工作打算\n一是争取增加执法编制。二是完成执法人员轮训。\n", None, False),
    ("三、2023年工作安排\n2024年，我局将重点做好以下工作：一是争取增加执法编制。\n", 2023, True),  # the heading first
])
def test_the_plan_year_is_read_where_a_reviewer_reads_it(ruleset, plan, year, fires):
    text = report("一是执法人员法律素养有待提升，全年评查案卷中有9卷不规范。主要原因是培训不够。", plan + "某县司法局\n2024年2月20日\n")
    result = check_text(text, ruleset)
    assert result.elements["next_year_plan_year"] == year
    assert bool(findings(result, "FZ-N01")) == fires


# ---------------------------------------------------------------- the first responsible person

@pytest.mark.parametrize("line, duty", [
    ("镇党委书记、镇长作为全镇安全生产第一责任人，亲自部署、亲自过问。", False),
    ("督促企业主要负责人履行本单位安全生产第一责任人职责。", False),
    ("镇党委书记担任河长制第一责任人，定期巡河。", False),
    ("严格落实党政同责、一岗双责，镇长为第一责任人，全年检查26次。", False),
    ("局长认真履行第一责任人职责，全年主持召开党组会议研究部署相关工作5次。", True),
    ("坚持党政同责、一岗双责，局长履行推进法治建设第一责任人职责。", True),
])
def test_only_the_rule_of_law_duty_is_the_first_responsible_persons(line, duty):
    at = line.index("第一责任人")
    assert is_rule_of_law_duty(line, at, at + 5) is duty


def test_a_town_whose_only_first_responsible_person_is_for_safety_lacks_the_part(ruleset):
    """The issue's town: 安全生产第一责任人 and 河长 only; FZ-S04 fires, and FZ-R05 does not count the
    enforcement figures as the principal's duties."""
    head = ("某镇2023年度法治政府建设工作情况报告\n一、主要工作\n（一）加强组织领导。镇党委、政府把法治政府建设摆上重要议事日程，"
            "研究部署法治建设工作。企业主要负责人为本单位安全生产第一责任人，全镇开展专项整治23次，作出行政处罚47件。"
            "镇党委书记、镇长分别担任镇级总河长、副总河长。\n")
    result = check_text(report("一是执法人员法律素养有待提升，全年评查案卷中有9卷不规范。主要原因是培训不够。", head=head), ruleset)
    assert result.elements["first_responsible_person"] == "none"
    assert findings(result, "FZ-S04")
    assert not findings(result, "FZ-R05")


def test_a_plan_heading_naming_the_duty_is_not_the_part():
    """"（一）压实第一责任人职责" under next year's plan is a plan item, not this year's account."""
    text = report("一是执法人员法律素养有待提升。主要原因是培训不够。",
                  plan="三、2024年工作安排\n（一）压实第一责任人职责。将述法范围扩大至全部乡镇。\n（二）提升执法质量。\n",
                  head="某县人民政府2023年度法治政府建设情况报告\n一、主要举措和成效\n全年办理行政复议案件41件。\n")
    doc = build_document(text)
    assert doc.frp_form == "none"


def test_a_plan_sub_heading_naming_a_shortcoming_is_a_plan_item():
    """"（一）补齐执法能力短板" under next year's plan answers a shortcoming; it is not one."""
    text = report("一是执法力量不足。主要原因是编制有限。",
                  plan="三、2024年工作安排\n（一）补齐执法能力短板。增加执法编制2名。\n（二）提升执法质量。\n")
    doc = build_document(text)
    plan_start = doc.text.index("三、2024年")
    assert all(end <= plan_start for _, end in doc.element_spans("shortcomings"))


FRP_HEAD = "某镇2023年度法治政府建设工作情况报告\n一、主要工作\n全年办理行政处罚案件47件。\n"
FRP_SHORT = "一是执法人员法律素养有待提升。主要原因是培训不够。"


@pytest.mark.parametrize("duties, form", [
    # another duty's 第一责任人 only (安全生产, 信访): the heading alone does not report the rule-of-law duty
    ("镇党委书记、镇长严格落实安全生产第一责任人职责，全年专题研究安全生产工作12次。镇党委书记履行信访工作第一责任人职责，每月接访1次。", "none"),
    # the same, and the principal's rule-of-law work besides: the part reports the duty
    ("镇党委书记、镇长严格落实安全生产第一责任人职责。镇长主持召开法治建设专题会议3次，在年终述职中述法。", "section"),
    # no other duty named: a vague part is still the part (FZ-R05 judges it)
    ("镇党委书记、镇长高度重视，亲自部署、亲自过问。", "section"),
])
def test_a_part_headed_for_the_duty_but_about_another_duty_only_is_not_the_part(ruleset, duties, form):
    part = "三、党政主要负责人履行第一责任人职责情况\n" + duties + "\n"
    text = report(FRP_SHORT, plan=part + PLAN.replace("三、", "四、"), head=FRP_HEAD)
    result = check_text(text, ruleset)
    assert result.elements["first_responsible_person"] == form
    assert bool(findings(result, "FZ-S04")) == (form == "none")


def test_r05_counts_only_figures_about_the_principal(ruleset):
    head = ("某镇2023年度法治政府建设工作情况报告\n一、主要工作\n（一）压实法治建设责任。镇党委书记、镇长认真履行推进法治建设第一责任人职责，"
            "高度重视依法行政工作。全镇开展安全生产专项整治23次，作出行政处罚47件。\n")
    found = findings(check_text(report("一是执法人员法律素养有待提升。主要原因是培训不够。", head=head), ruleset), "FZ-R05")
    assert found and "没有任何数字" in found[0].message


# ---------------------------------------------------------------- counts in the mention's sentence

@pytest.mark.parametrize("rule, sentence", [
    ("FZ-R01", "县长主持召开县政府常务会议4次，专题听取全县法治政府建设工作汇报，研究解决问题6个。"),
    ("FZ-L06", "组织执法人员公共法律知识和专业法律知识培训，人均63学时。"),
    ("FZ-R04", "发生行政诉讼案件1件（婚姻登记撤销），局长出庭应诉，法院判决驳回原告诉讼请求。"),
    ("FZ-L05", "组织旁听区法院行政案件庭审1次，参加全省国家工作人员学法考试，合格率100%。"),
])
def test_a_count_in_the_sentence_of_the_mention_counts(ruleset, rule, sentence):
    head = HEAD.replace("（二）规范执法。", "（二）" + sentence)
    assert not findings(check_text(report("一是执法人员法律素养有待提升，全年评查案卷中有9卷不规范。主要原因是培训不够。", head=head), ruleset), rule)


# ---------------------------------------------------------------- FZ-Y01: unsure verdicts are info

def test_y01_not_reported_is_an_info_asking_to_check(ruleset):
    from checker.engine.evaluate import evaluate

    last = ("某县司法局2022年度法治政府建设情况报告\n一、主要举措和成效\n全年开展普法活动12场。\n二、存在的不足和原因\n"
            "一是执法人员专业素质不高。主要原因是培训不足。\n三、2023年工作安排\n一是制定并细化依法治理工作责任制清单。"
            "二是办好法治宣传专栏，在门户网站定期发布法律法规解读文章。\n")
    this = report("一是执法人员法律素养有待提升。主要原因是培训不够。")
    doc = build_document(this).with_companions(previous=build_document(last))
    y01 = [f for f in evaluate(doc, ruleset).findings if f.rule == "FZ-Y01"]
    assert y01 and all(f.severity == "info" for f in y01)
    assert all("请核对" in f.message for f in y01)


def test_the_duties_written_in_two_paragraphs_of_one_part_are_both_read(ruleset):
    """The 书记's duties in one paragraph and the 县长's in the next: FZ-R05 reads both (not the first
    alone); a later paragraph that only studies the 规定 by name (《…第一责任人职责规定》) is not a duty."""
    head = ("某县人民政府2023年度法治政府建设情况报告\n一、压实法治建设责任\n"
            "县委书记履行推进法治建设第一责任人职责，主持召开县委依法治县委员会会议2次。\n"
            "县长履行法治政府建设第一责任人职责，带头出庭应诉2件，年终述法1次。\n"
            "组织干部学习《党政主要负责人履行推进法治建设第一责任人职责规定》等法规。\n"
            "二、主要举措和成效\n全年办理行政处罚案件126件。\n")
    result = check_text(report("一是执法人员法律素养有待提升，全年评查案卷中有9卷不规范。主要原因是培训不够。", head=head), ruleset)
    assert not findings(result, "FZ-R05")
    doc = build_document(head)
    spans = doc.frp_text_spans()
    assert len(spans) == 2 and "县长" in doc.text[spans[1][0]:spans[1][1]]
