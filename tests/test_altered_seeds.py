"""Altered seeds: parts removed, years shifted, causes deleted. Elements and rule firing must follow."""
import re

import pytest

from checker.engine import check_text

from .conftest import seed_path

L1 = re.compile(r"^\s*[一二三四五六七八九十]+、")


def read(name):
    return open(seed_path(name), encoding="utf-8").read()


def drop_part(text, heading_words):
    """Remove the level-1 part whose heading contains heading_words (up to the next level-1 heading)."""
    out, dropping = [], False
    for line in text.split("\n"):
        if L1.match(line):
            dropping = heading_words in line
        if not dropping:
            out.append(line)
    return "\n".join(out)


def shift_years(text, delta):
    return re.sub(r"(?<!\d)(20[12]\d)(?!\d)", lambda m: str(int(m.group(1)) + delta), text)


def rules_fired(result):
    return {f.rule for f in result.findings}


SHORTCOMING_HEADINGS = {
    "000_aa44ca5054db8c02.txt": "存在的不足",
    "001_463db61ea62b21f3.txt": "存在的不足",
    "002_3ec005597ce203f5.txt": "存在问题",
    "004_b0c9e18cd6c6e394.txt": "存在问题",
}
PLAN_HEADINGS = {
    "000_aa44ca5054db8c02.txt": "工作打算",
    "001_463db61ea62b21f3.txt": "下一步打算",
    "002_3ec005597ce203f5.txt": "主要安排",
    "004_b0c9e18cd6c6e394.txt": "下一步工作措施",
}


@pytest.mark.parametrize("name", sorted(SHORTCOMING_HEADINGS))
def test_removing_the_shortcomings_part(name, ruleset):
    text = drop_part(read(name), SHORTCOMING_HEADINGS[name])
    result = check_text(text, ruleset)
    assert result.elements["shortcomings"] is False
    assert result.elements["causes"] is False
    assert "FZ-S02" in rules_fired(result) and "FZ-S03" not in rules_fired(result)
    assert result.elements["next_year_plan"] is True


@pytest.mark.parametrize("name", sorted(PLAN_HEADINGS))
def test_removing_the_plan_part(name, ruleset):
    result = check_text(drop_part(read(name), PLAN_HEADINGS[name]), ruleset)
    assert result.elements["next_year_plan"] is False
    assert result.elements["next_year_plan_year"] is None
    assert "FZ-S05" in rules_fired(result)
    assert result.elements["shortcomings"] is True


def test_removing_the_unheaded_closing_paragraphs_of_seed_003(ruleset):
    text = read("003_bf1c1cd002b1e66a.txt")
    kept = [line for line in text.split("\n") if "还存在学用结合" not in line and not line.strip().startswith("2024年,新区")]
    result = check_text("\n".join(kept), ruleset)
    assert result.elements["shortcomings"] is False and result.elements["next_year_plan"] is False
    assert {"FZ-S02", "FZ-S05"} <= rules_fired(result)


def test_removing_causes_from_seed_000(ruleset):
    text = re.sub(r"主要原因:.*", "", read("000_aa44ca5054db8c02.txt"))
    result = check_text(text, ruleset)
    assert result.elements["causes"] is False
    assert "FZ-S03" in rules_fired(result)


def test_removing_the_frp_part_of_seed_002_leaves_a_mention(ruleset):
    result = check_text(drop_part(read("002_3ec005597ce203f5.txt"), "第一责任人"), ruleset)
    assert result.elements["first_responsible_person"] == "mention"


def test_removing_every_frp_mention(ruleset):
    text = read("004_b0c9e18cd6c6e394.txt").replace("认真履行推进法治政府建设第一责任人职责,", "")
    result = check_text(text, ruleset)
    assert result.elements["first_responsible_person"] == "none"
    assert "FZ-S04" in rules_fired(result)


@pytest.mark.parametrize("name", ["000_aa44ca5054db8c02.txt", "002_3ec005597ce203f5.txt", "003_bf1c1cd002b1e66a.txt"])
@pytest.mark.parametrize("delta", [1, -2])
def test_shifting_every_year_keeps_the_structure(name, delta, ruleset):
    base = check_text(read(name), ruleset)
    shifted = check_text(shift_years(read(name), delta), ruleset)
    assert shifted.meta["report_year"] == base.meta["report_year"] + delta
    want = dict(base.elements, next_year_plan_year=base.elements["next_year_plan_year"] + delta)
    assert shifted.elements == want
    assert rules_fired(shifted) == rules_fired(base)


def test_plan_year_left_behind_after_a_title_change(ruleset):
    text = read("000_aa44ca5054db8c02.txt").replace("2023年度法治政府建设情况报告", "2024年度法治政府建设情况报告")
    result = check_text(text, ruleset)
    assert result.meta["report_year"] == 2024
    assert "FZ-N01" in rules_fired(result)


def test_late_publication(ruleset):
    text = read("004_b0c9e18cd6c6e394.txt").replace("发布日期:2024-03-27", "发布日期:2024-04-02")
    result = check_text(text, ruleset)
    assert result.meta["published"] == "2024-04-02"
    assert "FZ-T01" in rules_fired(result)


@pytest.mark.parametrize("name", sorted(SHORTCOMING_HEADINGS) + ["003_bf1c1cd002b1e66a.txt"])
def test_traditional_conversion_keeps_every_finding_and_fact(name, ruleset):
    import opencc

    text = read(name)
    base = check_text(text, ruleset)
    trad = check_text(opencc.OpenCC("s2t").convert(text), ruleset)
    def same(r):
        return sorted((f.rule, f.line, f.column) for f in r.findings if f.rule != "FZ-C02")

    assert trad.elements == base.elements
    assert same(trad) == same(base)
    assert [(f.label, f.count) for f in trad.facts] == [(f.label, f.count) for f in base.facts]
