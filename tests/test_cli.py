"""Exit codes, --fail-on, --min-score, --select/--ignore, --list-rules, --explain, overrides."""
import json

import pytest

from .cli_helpers import run
from .conftest import SEEDS, seed_path

SEED0 = seed_path("000_aa44ca5054db8c02.txt")   # one warning (FZ-C01), no error
SEED4 = seed_path("004_b0c9e18cd6c6e394.txt")   # errors




@pytest.mark.parametrize("args, code", [
    ((SEED0,), 0),                                  # warnings only, default --fail-on error
    ((SEED0, "--fail-on", "warning"), 1),
    ((SEED4,), 1),
    ((SEED4, "--fail-on", "never"), 0),
    ((SEED0, "--min-score", "100"), 1),
    ((SEED0, "--min-score", "50"), 0),
    ((SEED4, "--select", "FZ-C"), 0),               # only text-quality rules: a warning
    ((SEED4, "--ignore", "FZ-S,FZ-W"), 0),
    ((SEED4, "--ignore", "FZ", "--select", "FZ-W01"), 1),   # longest prefix wins
    ((SEED0, "--format", "nosuch"), 2),
    ((SEED0, "--published", "2024-13-45"), 2),
])
def test_exit_codes(args, code):
    result = run(*args)
    assert result.exit_code == code, result.output


def test_fail_on_info_counts_every_finding():
    assert run(SEED0, "--fail-on", "info").exit_code == 1


def test_list_rules_and_explain():
    listed = run("--list-rules")
    assert listed.exit_code == 0
    ids = [line.split("\t")[0] for line in listed.stdout.strip().split("\n")]
    assert {"FZ-S01", "FZ-S03", "FZ-T01", "FZ-W01", "FZ-C04"} <= set(ids)
    explained = run("--explain", "FZ-S03")
    assert explained.exit_code == 0
    assert "依据" in explained.stdout and "应触发的样例" in explained.stdout
    assert run("--explain", "FZ-NOPE").exit_code == 2


def test_published_and_year_overrides():
    late = json.loads(run("--format", "json", "--published", "2024-05-01", SEED0).stdout)
    assert "FZ-T01" in {f["rule"] for f in late["files"][0]["findings"]}
    shifted = json.loads(run("--format", "json", "--year", "2024", SEED0).stdout)
    assert shifted["files"][0]["meta"]["report_year"] == 2024
    assert "FZ-N01" in {f["rule"] for f in shifted["files"][0]["findings"]}   # plan says 2024, not 2025


def test_bare_paths_and_explicit_check_command_agree():
    assert run(SEEDS).stdout == run("check", SEEDS).stdout


def test_english_messages_fall_back_to_chinese_with_english_labels():
    result = run("--lang", "en", "--no-color", "--output-format", "full", SEED4)
    assert "hint:" in result.stdout and "Checked 1 report(s)" in result.stdout


def test_english_messages_for_rules_that_have_them():
    result = run("--lang", "en", "--no-color", "--output-format", "full", "--select", "FZ-W01,FZ-L01", SEED4)
    lines = [line for line in result.stdout.splitlines() if ": FZ-" in line]
    w01 = next(line for line in lines if " FZ-W01 " in line)
    assert "“法制政府” should be “法治政府”" in w01 and "hint: Write" in w01
    l01 = next(line for line in lines if " FZ-L01 " in line)
    assert "会前学法" in l01            # no English text for this rule: the Chinese message stays


def test_unknown_rule_in_select_or_ignore_is_an_error_naming_the_closest_ids():
    result = run(SEED0, "--select", "FZ-S99")
    assert result.exit_code == 2
    assert "FZ-S99" in result.stderr and "最接近的是" in result.stderr and "FZ-S0" in result.stderr
    typo = run(SEED0, "--ignore", "FZ-W1")      # no rule id starts with FZ-W1
    assert typo.exit_code == 2 and "FZ-W1" in typo.stderr
    assert run(SEED0, "--select", "FZ-S0").exit_code == 0      # a prefix that names rules is fine


def test_rule_rules_and_kinds_subcommands_share_the_explanation():
    rule = run("rule", "FZ-S03")
    assert rule.exit_code == 0
    assert rule.stdout == run("--explain", "FZ-S03").stdout
    assert "依据" in rule.stdout and "应当触发的样例" in rule.stdout
    assert run("rule", "FZ-S99").exit_code == 2
    assert run("rules").stdout == run("--list-rules").stdout
    kinds = run("kinds")
    assert kinds.exit_code == 0 and "existence" in kinds.stdout and "checker.checks" in kinds.stdout
    kind = run("kinds", "count")
    assert kind.exit_code == 0 and "pattern" in kind.stdout and "aggregate" in kind.stdout
    assert run("--explain", "count").stdout == kind.stdout
    assert run("kinds", "cuont").exit_code == 2
