"""Configuration files: discovery, every key, precedence, --show-config, errors naming the key."""
import json
import os

import pytest

from checker.cli.config import KEYS, find_config, read_config
from checker.errors import ConfigError
from tests.cli_helpers import GOOD_REPORT_RULES, bad_text, copy_seeds, good_text, rule_ids, run, write


def _yaml(folder, text):
    return write(os.path.join(folder, ".fazhi-lint.yaml"), text)


def test_yaml_config_found_upward_and_shown_with_its_source(tmp_path):
    _yaml(tmp_path, "fail-on: warning\nselect: [FZ-W]\n")
    report = write(tmp_path / "a" / "b" / "r.txt", good_text())
    assert find_config(os.path.dirname(report)) == str(tmp_path / ".fazhi-lint.yaml")
    out = run("check", report, "--show-config")
    assert out.exit_code == 0
    lines = {line.split("=")[0].strip(): line for line in out.stdout.splitlines() if "=" in line}
    assert '"warning"' in lines["fail-on"] and ".fazhi-lint.yaml" in lines["fail-on"]
    assert '["FZ-W"]' in lines["select"] and ".fazhi-lint.yaml" in lines["select"]
    assert "默认值" in lines["province"]
    assert set(lines) == set(KEYS)


def test_pyproject_tool_table_found_and_pyproject_without_it_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.fazhi-lint]\nfail-on = "never"\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    report = write(tmp_path / "sub" / "r.txt", bad_text())
    assert find_config(str(tmp_path / "sub")) == str(tmp_path / "pyproject.toml")
    out = run("check", report, "--show-config")
    assert "[tool.fazhi-lint]" in out.stdout and '"never"' in out.stdout
    assert run("check", report).exit_code == 0          # fail-on never, from pyproject.toml


def test_yaml_wins_over_pyproject_in_the_same_folder(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.fazhi-lint]\nfail-on = "never"\n')
    _yaml(tmp_path, "fail-on: info\n")
    assert find_config(str(tmp_path)).endswith(".fazhi-lint.yaml")


def test_command_line_replaces_config_value(tmp_path):
    _yaml(tmp_path, "fail-on: never\n")
    report = write(tmp_path / "r.txt", bad_text())
    assert run("check", report).exit_code == 0
    out = run("check", report, "--fail-on", "error")
    assert out.exit_code == 1
    assert "命令行 --fail-on" in run("check", report, "--fail-on", "error", "--show-config").stdout


def test_config_and_no_config_flags(tmp_path):
    _yaml(tmp_path, "fail-on: never\n")
    other = write(tmp_path / "elsewhere" / "strict.yaml", "fail-on: error\n")
    report = write(tmp_path / "r.txt", bad_text())
    assert run("check", report).exit_code == 0
    assert run("check", report, "--no-config").exit_code == 1
    assert run("check", report, "--config", other).exit_code == 1
    missing = run("check", report, "--config", tmp_path / "nope.yaml")
    assert missing.exit_code == 2 and "nope.yaml" in missing.stderr


@pytest.mark.parametrize("text,named", [
    ("fial-on: error\n", "fial-on"),
    ("fail_on: error\n", "fail-on"),            # suggests the spelling with a hyphen
    ("fail-on: sometimes\n", "fail-on"),
    ("min-score: 120\n", "min-score"),
    ("select: [fz-s]\n", "select"),
    ("per-file-ignores: [FZ-S]\n", "per-file-ignores"),
    ("thresholds: {FZ-C02: 3}\n", "thresholds"),
    ("format: []\n", "format"),
    ("province: ''\n", "province"),
    ("- just a list\n", "映射"),
])
def test_bad_config_is_exit_2_naming_the_key(tmp_path, text, named):
    _yaml(tmp_path, text)
    report = write(tmp_path / "r.txt", good_text())
    out = run("check", report)
    assert out.exit_code == 2
    assert named in out.stderr and ".fazhi-lint.yaml" in out.stderr


def test_unknown_key_in_pyproject_is_named(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[tool.fazhi-lint]\nselekt = ["FZ"]\n')
    with pytest.raises(ConfigError, match="selekt"):
        read_config(path)


def test_select_and_ignore_keys_longest_prefix_wins(tmp_path):
    copy_seeds(tmp_path / "r")

    def listed():
        return set(rule_ids(run("check", tmp_path / "r", "--list-rules").stdout))

    def fired():
        out = run("check", tmp_path / "r", "--format", "json")
        return {f["rule"] for fi in json.loads(out.stdout)["files"] for f in fi["findings"]}

    every, fired_without_config = listed(), fired()           # no configuration file yet
    structure = {r for r in every if r.startswith("FZ-S")}
    assert {"FZ-S01", "FZ-S03", "FZ-S05", "FZ-S07"} <= structure and "FZ-S03" in fired_without_config
    _yaml(tmp_path, "select: [FZ-S]\nignore: [FZ-S07]\n")
    assert listed() == structure - {"FZ-S07"}
    _yaml(tmp_path, "select: [FZ-S, FZ-S03]\nignore: [FZ-S0]\n")     # FZ-S03 is longer than FZ-S0
    expected = {r for r in structure if not r.startswith("FZ-S0")} | {"FZ-S03"}
    assert listed() == expected
    assert fired() == fired_without_config & expected
    _yaml(tmp_path, "ignore: FZ-C, FZ-T\n")                             # a comma string works too
    assert not any(r.startswith(("FZ-C", "FZ-T")) for r in listed()) and "FZ-W01" in listed()


def test_per_file_ignores_key(tmp_path):
    write(tmp_path / "r" / "old" / "bad.txt", bad_text())
    write(tmp_path / "r" / "new" / "bad.txt", bad_text())
    _yaml(tmp_path, "per-file-ignores:\n  'r/old/*.txt': [FZ-W]\n")
    out = run("check", tmp_path / "r", "--format", "json", "--select", GOOD_REPORT_RULES)
    by_path = {os.path.basename(os.path.dirname(f["path"])): f for f in json.loads(out.stdout)["files"]}
    assert [f["rule"] for f in by_path["new"]["findings"]] == ["FZ-W01"]
    assert by_path["old"]["findings"] == [] and by_path["old"]["score"] == by_path["new"]["score"]
    assert out.exit_code == 1
    _yaml(tmp_path, "per-file-ignores:\n  'bad.txt': [FZ-W01]\n")     # a glob without '/' matches the name
    assert run("check", tmp_path / "r", "--select", GOOD_REPORT_RULES).exit_code == 0


def test_province_key(tmp_path):
    _yaml(tmp_path, "province: atlantis\n")
    report = write(tmp_path / "r.txt", good_text())
    out = run("check", report)
    assert out.exit_code == 2 and "atlantis" in out.stderr
    _yaml(tmp_path, "province: national\n")
    assert run("check", report).exit_code == 0


def test_fail_on_key(tmp_path):
    seeds = copy_seeds(tmp_path / "r")
    os.remove(os.path.join(seeds, "001_463db61ea62b21f3.txt"))
    _yaml(tmp_path, "select: [FZ-C01]\nfail-on: warning\n")     # FZ-C01 is a warning
    assert run("check", seeds).exit_code == 1
    _yaml(tmp_path, "select: [FZ-C01]\nfail-on: error\n")
    assert run("check", seeds).exit_code == 0


def test_min_score_key(tmp_path):
    report = write(tmp_path / "r.txt", bad_text())
    score = json.loads(run("check", report, "--format", "json").stdout)["files"][0]["score"]
    assert 80 < score < 100                                   # the FZ-W01 error costs points
    _yaml(tmp_path, f"fail-on: never\nmin-score: {score + 0.5}\n")
    assert run("check", report).exit_code == 1
    _yaml(tmp_path, f"fail-on: never\nmin-score: {score - 0.5}\n")
    assert run("check", report).exit_code == 0


def test_format_key_paths_relative_to_config(tmp_path, monkeypatch):
    _yaml(tmp_path, "format: [github, 'junit:out/report.xml']\n")
    report = write(tmp_path / "reports" / "r.txt", bad_text())
    monkeypatch.chdir(tmp_path / "reports")
    out = run("check", "r.txt", "--select", GOOD_REPORT_RULES)
    assert out.stdout.startswith("::error file=r.txt,line=3")
    assert (tmp_path / "out" / "report.xml").read_text(encoding="utf-8").count("<testcase") >= 10
    assert os.path.exists(report)


def test_thresholds_key(tmp_path):
    seeds = copy_seeds(tmp_path / "r")
    seed = os.path.join(seeds, "001_463db61ea62b21f3.txt")           # 177 traditional characters
    out = run("check", seed, "--select", "FZ-C02", "--format", "json")
    assert [f["rule"] for f in json.loads(out.stdout)["files"][0]["findings"]] == ["FZ-C02"]
    _yaml(tmp_path, "thresholds: {FZ-C02: {max: 500}}\n")
    out = run("check", seed, "--select", "FZ-C02", "--format", "json")
    assert json.loads(out.stdout)["files"][0]["findings"] == []
    _yaml(tmp_path, "thresholds: {FZ-C02: {max: 100}}\n")
    out = run("check", seed, "--select", "FZ-C02", "--format", "json")
    assert "177" in json.loads(out.stdout)["files"][0]["findings"][0]["message"]


@pytest.mark.parametrize("text,named", [
    ("thresholds: {FZ-C02: {maximum: 5}}\n", "maximum"),
    ("thresholds: {FZ-C02: {max: lots}}\n", "max"),
    ("thresholds: {FZ-ZZ99: {max: 5}}\n", "FZ-ZZ99"),
])
def test_bad_thresholds_are_exit_2(tmp_path, text, named):
    _yaml(tmp_path, text)
    out = run("check", write(tmp_path / "r.txt", good_text()))
    assert out.exit_code == 2 and named in out.stderr


def test_suppressions_and_baseline_keys_are_paths_relative_to_config(tmp_path):
    write(tmp_path / "cfg" / "waivers.yaml", "suppressions:\n  - rule: FZ-W01\n    text: 扎实推进法制政府建设\n"
          "    reason: 测试\n    approved_by: 督察科\n    expires: 2999-12-31\n")
    _yaml(tmp_path, "suppressions: cfg/waivers.yaml\n")
    report = write(tmp_path / "r.txt", bad_text())
    assert run("check", report).exit_code == 0
    _yaml(tmp_path, "baseline: cfg/base.json\n")
    assert run("check", report).exit_code == 2                  # the baseline file does not exist yet
    assert run("check", report, "--write-baseline", tmp_path / "cfg" / "base.json").exit_code == 0
    assert run("check", report).exit_code == 0
