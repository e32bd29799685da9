"""Who reports and for which year: the subject and the year come from all the evidence, each meta
value says where it was read, and rules apply by subject (applies_to) and era (valid_from)."""
import json

import pytest

from checker.document import build_document
from checker.document.evidence import subject_of
from checker.engine import check_text

from .cli_helpers import run

# A district report without a title: work of 2019, plan for 2020, signed 2019-12-18, and an earlier
# year early in the text. Its year is 2019; only FZ-T02 (dated before the year ended) concerns dates.
UNTITLED_2019 = """2019年，在区委的坚强领导下，区政府深入学习贯彻习近平新时代中国特色社会主义思想，全面推进依法行政。2018年，在全市考评中名列第二，2018年度法治政府建设考核为优秀等次，2018年以来持续巩固提升。
一、2019年法治政府建设主要工作及成效
（一）加强组织领导。2019年，区政府主要负责人切实履行推进法治建设第一责任人职责，主持召开常务会议专题研究法治政府建设3次。2019年共开展会前学法12次。
（二）严格规范执法。2019年全区办理行政处罚案件326件，行政复议案件15件，行政诉讼案件9件，行政机关负责人出庭应诉9次。
（三）推进政务公开。2019年主动公开政府信息1200条。
二、存在的问题和原因
一是部分执法人员法治意识不强；二是普法形式较为单一。主要原因是培训不够系统，宣传投入不足。
三、2020年法治政府建设工作计划
一是加强执法人员培训；二是创新普法形式，开展普法活动20场。
薛城区人民政府
2019年12月18日
"""


def fired(result):
    return {f.rule for f in result.findings}


def test_an_untitled_report_takes_its_year_from_the_evidence_not_the_opening(ruleset):
    result = check_text(UNTITLED_2019, ruleset)
    meta = result.meta
    assert meta["report_year"] == 2019 and not meta["year_conflict"]
    assert {"工作情况", "下一年度安排", "落款日期"} <= {e["source"] for e in meta["year_evidence"]}
    assert meta["unit"] == "薛城区人民政府" and meta["sources"]["unit"] == "落款"
    assert meta["subject"] == "government" and meta["signed"] == "2019-12-18"
    assert not {"FZ-S08", "FZ-N01", "FZ-T01", "FZ-S09"} & fired(result)
    assert "FZ-T02" in fired(result)


def test_a_title_settles_the_year_and_a_wrong_plan_year_is_the_plan_rule(ruleset):
    text = "薛城区人民政府2019年度法治政府建设情况报告\n" + UNTITLED_2019.replace("2020年法治政府建设工作计划", "2019年法治政府建设工作计划")
    result = check_text(text, ruleset)
    assert result.meta["report_year"] == 2019 and result.meta["sources"]["report_year"] == "标题"
    assert "FZ-N01" in fired(result) and "FZ-S09" not in fired(result)


def test_disagreeing_evidence_is_one_finding_not_a_cascade(ruleset):
    text = UNTITLED_2019.replace("2020年法治政府建设工作计划", "2019年法治政府建设工作计划") \
                        .replace("2019年12月18日", "2020年8月18日")
    result = check_text(text, ruleset)
    assert result.meta["year_conflict"]
    assert "FZ-S09" in fired(result)
    assert not {"FZ-S08", "FZ-N01", "FZ-T01", "FZ-T02"} & fired(result)
    s09 = next(f for f in result.findings if f.rule == "FZ-S09")
    assert "下一年度安排写2019年" in s09.message and "工作情况主要写2019年" in s09.message


@pytest.mark.parametrize("name,subject", [
    ("枣庄市市中区人民政府办公室", "department"),
    ("天津市河东区人民政府办公室", "department"),
    ("重庆市黔江区马喇镇人民政府", "town"),
    ("某街道办事处", "town"),
    ("甘眉工业园区南区管理委员会", "zone"),
    ("某经济技术开发区管委会", "zone"),
    ("深圳市大鹏新区综合办公室", "department"),
    ("薛城区人民政府", "government"),
    ("中共某县委 某县人民政府", "government"),
    ("某市司法局", "department"),
    ("某县2023年法治政府建设情况报告", "government"),
    ("某高新区2023年法治政府建设工作报告", "zone"),
    ("某高新区财政局", "department"),
    ("某县人民政府关于2023年法治政府建设情况的报告", "government"),
])
def test_subject_is_read_from_the_unit_name(name, subject):
    assert subject_of(name)[0] == subject


def test_subject_override_and_meta_source(ruleset):
    doc = build_document(UNTITLED_2019, subject="town")
    assert doc.meta.subject == "town" and "命令行" in doc.meta.sources["subject"]


def test_the_study_of_law_duty_of_governments_is_advice_for_a_town(ruleset):
    government = check_text(UNTITLED_2019.replace("2019年", "2023年").replace("2020年", "2024年")
                            .replace("2018年", "2022年"), ruleset)
    town = check_text(UNTITLED_2019.replace("2019年", "2023年").replace("2020年", "2024年")
                      .replace("2018年", "2022年"), ruleset, subject="town")
    r02 = {r.meta["subject"]: next(f for f in r.findings if f.rule == "FZ-R02") for r in (government, town)}
    assert r02["government"].severity == "warning" and r02["town"].severity == "info"


def test_a_rule_is_judged_by_the_reports_era(ruleset):
    result = check_text(UNTITLED_2019, ruleset)
    outcome = {o.rule_id: o for o in result.outcomes}
    assert "FZ-L07" not in fired(result)                   # 习近平法治思想 dates from November 2020
    assert outcome["FZ-L07"].status == "skipped" and "2020年11月" in outcome["FZ-L07"].reason
    later = check_text(UNTITLED_2019.replace("2019年", "2021年").replace("2020年", "2022年"), ruleset)
    assert "FZ-L07" in fired(later)


def test_subject_flag_config_key_and_junit_skip(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(UNTITLED_2019.replace("2019年", "2023年").replace("2020年", "2024年"), encoding="utf-8")
    out = json.loads(run("--format", "json", "--subject", "town", report).stdout)
    assert out["files"][0]["meta"]["subject"] == "town"
    (tmp_path / ".fazhi-lint.yaml").write_text("subject: department\n", encoding="utf-8")
    out = json.loads(run("--format", "json", report).stdout)
    assert out["files"][0]["meta"]["subject"] == "department"
    old = tmp_path / "old.txt"
    old.write_text(UNTITLED_2019, encoding="utf-8")
    junit = run("--format", "junit", old).stdout
    case = junit[junit.index('name="FZ-L07'):]
    assert case.index("<skipped") < case.index("</testcase>") and "2020年11月" in case[:case.index("</testcase>")]
    bad = run("--format", "json", "--subject", "village", report)
    assert bad.exit_code == 2


def test_explain_score_lists_what_cost_points(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(UNTITLED_2019.split("二、存在的问题和原因")[0], encoding="utf-8")
    out = run("--explain-score", report)
    assert "缺少法定内容“存在的不足”" in out.stdout and "-25.0" in out.stdout


@pytest.mark.parametrize("date,severity", [("2024-03-31", None), ("2024-04-01", "warning"), ("2024-04-02", "error")])
def test_publication_on_1_april_is_a_boundary_case(date, severity, ruleset):
    text = f"发布日期：{date}\n河西区司法局2023年度法治政府建设情况报告\n一、主要举措和成效\n全年办理行政处罚案件126件。\n"
    found = [f.severity for f in check_text(text, ruleset).findings if f.rule == "FZ-T01"]
    assert found == ([severity] if severity else [])


@pytest.mark.parametrize("year,fired", [(2017, set()), (2018, {"FZ-W03"}), (2019, {"FZ-W02", "FZ-W03"})])
def test_terms_are_judged_by_the_reports_era(year, fired, ruleset):
    text = (f"某区司法局{year}年度法治政府建设情况报告\n一、主要工作\n在区法制办的指导下，深入开展法制宣传教育，"
            f"12月4日国家宪法日组织宣传活动。\n")
    found = {f.rule for f in check_text(text, ruleset).findings} & {"FZ-W02", "FZ-W03"}
    assert found == fired
