"""The plugin API: failing plugins become FZ-X01 findings, the normaliser hook, pack inheritance
(disable / override / provenance), ``plugins`` and ``test-rules``."""
import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.document import build_document
from checker.engine import check_path, check_text
from checker.plugins import build_plugins
from checker.rules import load_ruleset
from checker.rules.selftest import verify_ruleset

from .conftest import ROOT, seed_path

TEST_PLUGINS = os.path.join(ROOT, "tests", "data", "plugins")
SEED_004 = seed_path("004_b0c9e18cd6c6e394.txt")


@pytest.fixture(autouse=True)
def _test_plugins_importable(monkeypatch):
    monkeypatch.syspath_prepend(TEST_PLUGINS)
    monkeypatch.setenv("FAZHI_LINT_NO_ENTRYPOINTS", "1")


def _run_cli(*args, env_path=None):
    """Run the real command in a subprocess, so a traceback would show on stderr."""
    paths = [os.path.join(ROOT, "src"), TEST_PLUGINS] + ([env_path] if env_path else [])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths),
           "FAZHI_LINT_NO_ENTRYPOINTS": "1"}
    return subprocess.run([sys.executable, "-m", "checker", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


def _rule_ids(result_json):
    return sorted(f["rule"] for f in result_json["findings"])


# ---------------------------------------------------------------------- failing plugins
def test_plugin_raising_in_a_hook_gives_fz_x01_and_all_national_findings():
    national = _run_cli("--format", "json", SEED_004)
    broken = _run_cli("--plugin", "broken_hook_plugin", "--format", "json", SEED_004)
    assert "Traceback" not in broken.stderr
    assert broken.returncode == 3, broken.stderr
    [report] = json.loads(broken.stdout)["files"]
    [base] = json.loads(national.stdout)["files"]
    x01 = [f for f in report["findings"] if f["rule"] == "FZ-X01"]
    assert any("broken_hook_plugin" in f["message"] and "fazhi_lint_rule_packs" in f["message"] for f in x01)
    others = sorted(r for r in _rule_ids(report) if r != "FZ-X01")
    assert others == _rule_ids(base) and others, "national findings must be unchanged"


def test_checker_kind_that_raises_is_isolated(tmp_path):
    rule_file = tmp_path / "boom.yaml"
    rule_file.write_text(
        "rules:\n  - id: BR-X01\n    title: 会出错的规则\n    severity: info\n    check: exploding\n"
        "    message: x\n    hint: x\n    basis: x\n    examples: {fire: [a], pass: [b]}\n", encoding="utf-8")
    plugins = build_plugins(["broken_hook_plugin"])
    ruleset = load_ruleset(plugins, "national", [str(rule_file)])
    # not verified: BR-X01 stays in the set, so the engine meets the exception on the report
    result = check_path(SEED_004, ruleset)
    messages = [f.message for f in result.findings if f.rule == "FZ-X01"]
    assert any("exploding" in m and "BR-X01" in m and "boom in check" in m for m in messages)
    assert {"FZ-W01", "FZ-W02", "FZ-S03"} <= {f.rule for f in result.findings}
    assert result.internal_errors


def test_plugin_that_does_not_exist_stops_the_run_before_any_report():
    """An unknown --plugin is a usage error (exit 2), like an unknown province: no score, no output."""
    run = _run_cli("--plugin", "no_such_module_xyz", SEED_004)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "no_such_module_xyz" in run.stderr and run.stdout == ""


def test_plugin_that_fails_to_import_is_a_failure_not_a_crash(tmp_path):
    """A plugin module that exists but raises while importing is that plugin's failure (FZ-X01, exit 3)."""
    (tmp_path / "broken_import_xyz.py").write_text("import no_such_dependency_xyz\n", encoding="utf-8")
    run = _run_cli("--plugin", "broken_import_xyz", SEED_004, env_path=str(tmp_path))
    assert run.returncode == 3 and "Traceback" not in run.stderr
    assert "broken_import_xyz" in run.stdout and "FZ-X01" in run.stdout


# ---------------------------------------------------------------------- normaliser hook
def test_normalise_patterns_are_deleted_and_positions_stay_on_the_original():
    plugins = build_plugins(["watermark_plugin"])
    ruleset = load_ruleset(plugins, "national")
    assert ruleset.delete_patterns and not plugins.failures
    text = "某区2023年度法治政府建设报告\n一、主要举措\n推进法制【测试水印 www】政府建设，关(guān)键在落实。\n"
    result = check_text(text, ruleset)
    w01 = [f for f in result.findings if f.rule == "FZ-W01"]
    assert len(w01) == 1
    assert (w01[0].line, w01[0].column) == (3, 3)
    assert w01[0].excerpt == "法制【测试水印 www】政府"
    # without the plugin the watermark splits the phrase and FZ-W01 cannot see it
    plain = check_text(text, load_ruleset(build_plugins(), "national"))
    assert not [f for f in plain.findings if f.rule == "FZ-W01"]


def test_offset_map_with_overlapping_builtin_and_plugin_deletions():
    import regex

    original = "建設(shè)法治【水印】政府\r\n下一行"
    doc = build_document(original, delete_patterns=[regex.compile(r"\(sh[^)]*\)法治【"), regex.compile(r"【水印】")])
    assert doc.text == "建设政府\n下一行"   # one traditional character is still converted
    start = doc.text.index("政府")
    o_start, o_end = doc.norm.offsets.span_to_original(start, start + 2)
    assert original[o_start:o_end] == "政府"
    line_start = doc.text.index("下一行")
    assert original[doc.norm.offsets.to_original(line_start):].startswith("下一行")


# ---------------------------------------------------------------------- pack inheritance
def test_pack_override_disable_add_and_provenance():
    plugins = build_plugins(["watermark_plugin"])
    city = load_ruleset(plugins, "testcity")
    national = load_ruleset(build_plugins(), "national")
    assert not city.errors and city.chain == ("national", "testcity")
    c02 = city.by_id("FZ-C02")
    assert c02.params["max"] == 20 and c02.severity == "warning"
    assert c02.params["pattern"] == national.by_id("FZ-C02").params["pattern"]   # merged, not copied
    assert national.by_id("FZ-C02").params["max"] == 9
    assert city.by_id("FZ-W02") is None and national.by_id("FZ-W02") is not None
    assert [d[0] for d in city.disabled] == ["FZ-W02"] and city.disabled[0][2].endswith("pack.yaml:6")
    prov = city.provenance
    assert prov["FZ-S01"].status == "inherited" and prov["TC-X01"].status == "added"
    assert prov["FZ-C02"].changes[0].pack == "testcity"
    assert prov["FZ-C02"].changes[0].where.endswith("pack.yaml:8")
    assert verify_ruleset(city)[1] == []
    # the override takes effect: 13 traditional characters pass max 20 but not max 9
    text = "黔江區馬喇鎮人民政府關于馬喇鎮2023年度法治政府建設工作情況的報告。嚴格落實黨政主要負責人履行推進法治建設第一責任人職責。"
    assert "FZ-C02" not in {f.rule for f in check_text(text, city).findings}
    assert "FZ-C02" in {f.rule for f in check_text(text, national).findings}


def test_list_rules_shows_where_each_rule_came_from():
    run = _run_cli("--plugin", "watermark_plugin", "--province", "testcity", "--list-rules")
    assert run.returncode == 0, run.stderr
    lines = {line.split("\t")[0]: line.split("\t") for line in run.stdout.splitlines() if "\t" in line}
    assert lines["FZ-S01"][3:6] == ["national", "rules/national/fz-s-structure.yaml:20", "继承"]
    assert lines["TC-X01"][3] == "testcity" and lines["TC-X01"][5] == "新增"
    assert "被 testcity 覆盖" in lines["FZ-C02"][5] and "tests/data/packs/city/pack.yaml:8" in lines["FZ-C02"][5]
    assert "# 已停用 FZ-W02" in run.stdout


def _pack_plugin(tmp_path, monkeypatch, manifest: str):
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "pack.yaml").write_text(manifest, encoding="utf-8")
    module = tmp_path / "tmp_pack_plugin.py"
    module.write_text("from checker import hookimpl\nfrom checker.rules.manifest import pack_from_folder\n"
                      "@hookimpl\ndef fazhi_lint_rule_packs():\n"
                      "    return [pack_from_folder(__file__, 'pack')]\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "tmp_pack_plugin", raising=False)
    return build_plugins(["tmp_pack_plugin"])


def test_pack_errors_name_the_file_and_line(tmp_path, monkeypatch):
    plugins = _pack_plugin(tmp_path, monkeypatch, "name: bad\nextends: national\noverride:\n  FZ-Z99: {severity: info}\n"
                                     "  FZ-S01: {colour: red}\n")
    ruleset = load_ruleset(plugins, "bad")
    assert any("pack.yaml:4" in e and "FZ-Z99" in e for e in ruleset.errors)
    assert any("pack.yaml:5" in e and "不可覆盖" in e for e in ruleset.errors)
    assert not plugins.failures


QUOTA_PACK = "name: quota\nextends: national\noverride:\n  FZ-L01: {params: {min: 24}}\n"


def test_overriding_a_threshold_without_new_examples_keeps_the_rule(tmp_path, monkeypatch):
    """FZ-L01's national pass example (会前学法12次) fires at min 24; the rule is still verified
    against the examples of its definition before the override, so it loads with the new threshold."""
    plugins = _pack_plugin(tmp_path, monkeypatch, QUOTA_PACK)
    ruleset = load_ruleset(plugins, "quota")
    assert not ruleset.errors and ruleset.by_id("FZ-L01").params["min"] == 24
    assert ruleset.examples_from["FZ-L01"][0].params["min"] == 4
    assert verify_ruleset(ruleset)[1] == []
    assert ruleset.by_id("FZ-L01") is not None and ruleset.by_id("FZ-L01").params["min"] == 24
    report = "某县司法局2023年度法治政府建设情况报告\n一、主要举措和成效\n全年局党组会会前学法12次。"
    assert "FZ-L01" in {f.rule for f in check_text(report, ruleset).findings}
    assert "FZ-L01" not in {f.rule for f in check_text(report, load_ruleset(build_plugins(), "national")).findings}


def test_test_rules_passes_on_a_pack_overriding_a_threshold(tmp_path):
    project = tmp_path / "quota-project"
    package = project / "src" / "quota_pack_plugin"
    (package / "rules").mkdir(parents=True)
    (package / "rules" / "pack.yaml").write_text(QUOTA_PACK, encoding="utf-8")
    (package / "__init__.py").write_text(
        "from checker import hookimpl\nfrom checker.rules.manifest import pack_from_folder\n"
        "@hookimpl\ndef fazhi_lint_rule_packs():\n    return [pack_from_folder(__file__, 'rules')]\n", encoding="utf-8")
    (project / "pyproject.toml").write_text(
        '[project]\nname = "quota-pack"\nversion = "0.1"\n'
        '[project.entry-points.fazhi_lint]\nquota = "quota_pack_plugin"\n', encoding="utf-8")
    run = _run_cli("test-rules", str(project))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "✓ FZ-L01 会前学法次数 （fire 2，pass 4，样例来自覆盖前的定义）" in run.stdout and "全部通过" in run.stdout


def test_broken_pack_yaml_is_a_configuration_error(tmp_path, monkeypatch):
    plugins = _pack_plugin(tmp_path, monkeypatch, "name: bad\nextend: national\n")
    plugins.rule_packs()
    assert any("pack.yaml:1" in e and "extend" in e for e in plugins.errors)
    assert not plugins.failures


# ---------------------------------------------------------------------- commands
def test_plugins_command_lists_hooks_and_prefixes():
    result = CliRunner().invoke(main, ["plugins", "--plugin", "watermark_plugin"])
    assert result.exit_code == 0, result.output
    assert "checker.checks 0.1.0" in result.output and "规则前缀：FZ" in result.output
    assert "watermark_plugin" in result.output and "fazhi_lint_normalise_patterns" in result.output
    assert "规则前缀：TC" in result.output


def test_test_rules_passes_on_the_national_rules():
    result = CliRunner().invoke(main, ["test-rules", os.path.join(ROOT, "rules")])
    assert result.exit_code == 0, result.output
    assert "✓ FZ-S01" in result.output and "全部通过" in result.output


def test_test_rules_fails_with_a_clear_message_when_an_example_breaks(tmp_path):
    broken = tmp_path / "rules"
    shutil.copytree(os.path.join(ROOT, "rules"), broken)
    wording = broken / "national" / "fz-w-wording.yaml"
    text = wording.read_text(encoding="utf-8")
    assert "法制政府" in text
    # make a `pass` example of FZ-W01 contain the wrong term, so it fires
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip() == "pass:" and i > 6)
    lines[index + 1] = lines[index + 1].split("- ")[0] + "- 推进法制政府建设。"
    wording.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["test-rules", str(broken)])
    assert result.exit_code == 1
    assert "✗ FZ-W01" in result.output
    assert "fz-w-wording.yaml" in result.output and "样例 pass[0] 不应触发却触发了：“推进法制政府建设。”" in result.output
    assert "未通过" in result.output


def test_test_rules_fails_when_a_rule_lacks_a_basis(tmp_path):
    rule_file = tmp_path / "r.yaml"
    rule_file.write_text("rules:\n  - id: TT-A01\n    title: t\n    severity: info\n    check: existence\n"
                         "    params: {patterns: [x]}\n    message: m\n    hint: h\n"
                         "    examples: {fire: [x], pass: [y]}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["test-rules", str(rule_file)])
    assert result.exit_code == 1
    assert "r.yaml:2: TT-A01: 缺少必填字段：basis" in result.output


def test_test_rules_fails_on_an_undocumented_hook(monkeypatch):
    from checker import hookspecs

    def fazhi_lint_undocumented():
        pass
    monkeypatch.setattr(hookspecs, "fazhi_lint_undocumented", fazhi_lint_undocumented, raising=False)
    result = CliRunner().invoke(main, ["test-rules", os.path.join(ROOT, "rules")])
    assert result.exit_code == 1
    assert "钩子 fazhi_lint_undocumented 没有说明文档" in result.output


def test_every_hookspec_is_documented_with_versionadded():
    from checker.rules.ruletest import undocumented_hooks

    assert undocumented_hooks() == []


def test_a_plugin_kind_cannot_replace_a_built_in_one(tmp_path, monkeypatch):
    (tmp_path / "clash_plugin.py").write_text(
        "from checker import hookimpl\n"
        "class Count:\n    '''A second kind named count.'''\n    name = 'count'\n    params = {}\n"
        "    def prepare(self, rule): return None\n    def check(self, doc, rule, state): return []\n"
        "@hookimpl\ndef fazhi_lint_checker_kinds():\n    return [Count()]\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    plugins = build_plugins(["clash_plugin"])
    kinds = plugins.kinds()
    assert kinds["count"].plugin_name == "checker.checks"
    assert any("clash_plugin" in e and "'count'" in e for e in plugins.errors)
