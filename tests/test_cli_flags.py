"""Every flag of `check` and every exit code the README documents, exercised once."""
import json
import os
import re

import click

from checker.cli.check import check
from checker.cli.config import KEYS
from tests.cli_helpers import GOOD_REPORT, ROOT, bad_text, copy_seeds, run, write

PLUGIN_RULES = os.path.join(ROOT, "tests", "plugins", "crashing_rule.yaml")


def _readme():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        return handle.read()


def test_every_check_flag_is_documented():
    readme = _readme()
    for param in check.params:
        if not isinstance(param, click.Option) or param.name == "help":
            continue
        flags = [o for o in param.opts + param.secondary_opts if o.startswith("--")]
        assert any(flag in readme for flag in flags), f"{flags} not in README"


def test_every_config_key_is_documented():
    readme = _readme()
    for key in KEYS:
        assert f"| `{key}` |" in readme, key


def test_every_exit_code_is_documented():
    table = re.findall(r"^\| ([0-9]) \|", _readme(), re.M)
    assert table == ["0", "1", "2", "3"]


def test_exit_codes_0_1_2_3(tmp_path):
    first = run("check", GOOD_REPORT)
    assert first.exit_code == 0, first.output
    assert run("check", write(tmp_path / "bad.txt", bad_text())).exit_code == 1
    assert run("check", tmp_path / "missing.txt").exit_code == 2
    crash = write(tmp_path / "crash.txt", bad_text().replace("一、2023年", "触发崩溃\n一、2023年"))
    out = run("check", crash, "--plugin", "tests.plugins.crashing", "--rules", PLUGIN_RULES, "--format", "json")
    assert out.exit_code == 3
    assert "FZ-X01" in {f["rule"] for f in json.loads(out.stdout)["files"][0]["findings"]}


def test_rules_and_plugin_flags_add_a_rule():
    out = run("check", "--plugin", "tests.plugins.crashing", "--rules", PLUGIN_RULES, "--list-rules")
    assert out.exit_code == 0 and "TS-X01" in out.stdout
    assert run("check", "--rules", PLUGIN_RULES, "--list-rules").exit_code == 2      # kind unknown without plugin


def test_explain_and_list_rules():
    out = run("check", "--explain", "FZ-S03")
    assert out.exit_code == 0 and "依据" in out.stdout and "FZ-S03" in out.stdout
    assert run("check", "--explain", "FZ-NOPE").exit_code == 2
    assert len(run("check", "--list-rules").stdout.splitlines()) >= 15


def test_year_and_published_flags(tmp_path):
    report = write(tmp_path / "r.txt", bad_text())
    late = run("check", report, "--published", "2024-05-01", "--select", "FZ-T01", "--format", "json")
    assert [f["rule"] for f in json.loads(late.stdout)["files"][0]["findings"]] == ["FZ-T01"]
    assert run("check", report, "--published", "May 1").exit_code == 2
    assert run("check", report, "--select", "FZ-T01").exit_code == 0
    earlier = run("check", report, "--year", "2022", "--select", "FZ-T01", "--format", "json")
    (finding,) = json.loads(earlier.stdout)["files"][0]["findings"]        # 2024-02-20 is late for 2022
    assert finding["rule"] == "FZ-T01" and "2023-03-31" in finding["message"]


def test_lang_color_and_max_size_flags(tmp_path):
    report = write(tmp_path / "r.txt", bad_text())
    assert "score" in run("check", report, "--lang", "en").stdout
    assert "\x1b[" in run("check", report, "--color").stdout
    assert "\x1b[" not in run("check", report, "--no-color").stdout
    assert run("check", report, "--max-size", "0.001").exit_code == 2        # 1 KB limit: the report is larger


def test_select_ignore_province_fail_on_min_score_flags(tmp_path):
    seeds = copy_seeds(tmp_path / "s")

    def fired(*flags):
        out = run("check", seeds, "--format", "json", *flags)
        return {f["rule"] for fi in json.loads(out.stdout)["files"] for f in fi["findings"]}

    every = fired()
    assert {"FZ-W01", "FZ-W02", "FZ-S03"} <= every
    expected = {r for r in every if r.startswith("FZ-W")} - {"FZ-W02"}
    assert fired("--select", "FZ-W", "--ignore", "FZ-W02") == expected
    assert fired("--select", "FZ-W01,FZ-S03") == {"FZ-W01", "FZ-S03"}
    assert run("check", seeds, "--province", "nowhere").exit_code == 2
    assert run("check", seeds, "--fail-on", "never").exit_code == 0
    assert run("check", seeds, "--fail-on", "never", "--min-score", "90").exit_code == 1
    assert run("check", seeds, "--fail-on", "info", "--select", "FZ-C01").exit_code == 1
