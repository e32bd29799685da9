"""A rule pack's policy (rules/national/policy.yaml; a province's pack.yaml ``policy:``): the words that
tell who reports and the facts table's labels are the pack's data, so a province adds its own."""
import textwrap

import pytest

from checker.engine import check_text
from checker.errors import ConfigError
from checker.plugins import build_plugins
from checker.rules import load_ruleset
from checker.rules.manifest import read_manifest

REPORT = ("某某旅游度假区管理委员会2023年度法治政府建设工作报告\n一、主要举措和成效\n"
          "全年巡河36次，开展法治宣传活动12场。\n")


def _pack(tmp_path, policy: str):
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "pack.yaml").write_text("name: local\nextends: national\npolicy:\n" + textwrap.indent(policy, "  "),
                                      encoding="utf-8")
    plugins = build_plugins()
    plugins._cache["packs"] = plugins.rule_packs() + [read_manifest(str(folder))]
    return plugins


def test_a_province_adds_a_subject_word_and_a_fact_label(tmp_path, ruleset):
    national = check_text(REPORT, ruleset)
    assert national.meta["subject"] != "zone"
    assert all(f.label != "河湖巡查" for f in national.facts)
    plugins = _pack(tmp_path, textwrap.dedent("""\
        subjects: {zone_words: [度假区]}
        facts:
          labels: [{label: 河湖巡查, kind: other, pattern: 巡河|巡湖}]
        """))
    local = check_text(REPORT, load_ruleset(plugins, "local"))
    assert local.meta["subject"] == "zone"
    assert [f.label for f in local.facts if f.count == 36] == ["河湖巡查"]
    assert any(f.label == "普法宣传活动" for f in local.facts)          # the national labels still apply


def test_a_mistake_in_a_province_policy_names_its_file(tmp_path):
    plugins = _pack(tmp_path, "subjects: {town: ['(unclosed']}\n")
    with pytest.raises(ConfigError, match="pack.yaml.*subjects.town"):
        load_ruleset(plugins, "local")
    plugins = _pack(tmp_path / "b", "scoring: {part_penalty: -5}\n") if (tmp_path / "b").mkdir() is None else None
    with pytest.raises(ConfigError, match="part_penalty"):
        load_ruleset(plugins, "local")


def test_the_national_policy_names_every_statutory_part_once(ruleset):
    from checker.records import ELEMENTS

    assert [p.element for p in ruleset.policy.parts] == list(ELEMENTS)
    assert ruleset.policy.part_name("causes") == "不足的原因"
