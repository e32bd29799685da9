"""The run pipeline (``checker.run``): one engine for every rule, values not mutations, limits that hold
wherever the run is called from (issue 19)."""
import json
import os
import re
import subprocess
import sys
import textwrap
import threading

from checker.run import RunRequest, run
from tests.cli_helpers import ROOT, SEEDS, run as run_cli, write
from tests.yoy_pairs import seed_text

S000, S002, S004 = "000_aa44ca5054db8c02.txt", "002_3ec005597ce203f5.txt", "004_b0c9e18cd6c6e394.txt"


def _next_year_with_one_slip(text: str) -> str:
    """Seed 002 moved one year on, with one 法制政府 put into the body (the one --fix corrects)."""
    moved = re.sub(r"(?<!\d)(20[12]\d)(?!\d)", lambda m: str(int(m.group(1)) + 1), text)
    at = moved.index("法治政府", 400)
    return moved[:at] + "法制政府" + moved[at + 4:]


def _y(findings):
    return sorted((f["rule"], f["line"], f["message"]) for f in findings if f["rule"].startswith("FZ-Y"))


def test_fix_with_previous_keeps_the_year_over_year_findings(tmp_path):
    """--previous --fix re-runs the whole pipeline after writing: the FZ-Y findings are those of the
    same check without --fix on the fixed text (the live bug was 12 FZ-Y findings without --fix and 0 with)."""
    last = write(tmp_path / "2024" / "hedong.txt", seed_text(S002))
    this = write(tmp_path / "2025" / "hedong.txt", _next_year_with_one_slip(seed_text(S002)))
    before = json.loads(run_cli("check", this, "--previous", os.path.dirname(last), "--format", "json",
                                "--fail-on", "never").stdout)["files"][0]
    assert len(_y(before["findings"])) >= 5
    fixed = json.loads(run_cli("check", this, "--previous", os.path.dirname(last), "--fix", "--format", "json",
                               "--fail-on", "never").stdout)["files"][0]
    assert "法制政府" not in open(this, encoding="utf-8").read()
    again = json.loads(run_cli("check", this, "--previous", os.path.dirname(last), "--format", "json",
                               "--fail-on", "never").stdout)["files"][0]
    assert _y(fixed["findings"]) == _y(again["findings"])
    # the same findings as before the fix, but for the share of the part the slip was in (98 % -> 100 %)
    assert [(rule, line) for rule, line, _ in _y(fixed["findings"])] == \
        [(rule, line) for rule, line, _ in _y(before["findings"])]
    assert fixed["score"] == again["score"] and "FZ-W01" not in {f["rule"] for f in fixed["findings"]}


def test_run_is_an_api_without_click_and_gives_the_commands_results():
    outcome = run(RunRequest(paths=(SEEDS,)))
    cli = json.loads(run_cli("check", SEEDS, "--format", "json").stdout)
    assert [r.score for r in outcome.reports] == [f["score"] for f in cli["files"]]
    assert outcome.exit_code() == 1 and outcome.ruleset.pack == "national"
    assert all(r.meta["unit"] for r in outcome.reports)


PEERS_FOR_ZONES = """\
rules:
  - id: TZ-Y03
    title: 园区之间的雷同
    severity: warning
    check: copied_parts
    params: {source: peers}
    applies_to: {zone: warning}
    message: "“{part}”有 {share} 的文字与 {other} 相同"
    hint: 按本单位情况重写
    basis: 测试（待核对）
    examples:
      fire:
        - text: "某某工业园区管理委员会2023年度法治政府建设工作报告\\n一、主要举措和成效\\n园区全年组织开展执法检查，规范执法程序，推行执法全过程记录，完善重大执法决定法制审核，开展案卷评查，发现并整改问题，执法人员全部参加培训考试，持证上岗率达到要求，群众满意度持续提升，营商环境不断优化，企业获得感明显增强，依法行政水平进一步提高。"
          peers: ["某某高新区管理委员会2023年度法治政府建设工作报告\\n一、主要举措和成效\\n园区全年组织开展执法检查，规范执法程序，推行执法全过程记录，完善重大执法决定法制审核，开展案卷评查，发现并整改问题，执法人员全部参加培训考试，持证上岗率达到要求，群众满意度持续提升，营商环境不断优化，企业获得感明显增强，依法行政水平进一步提高。"]
      pass: ["某某工业园区管理委员会2023年度法治政府建设工作报告\\n一、主要举措和成效\\n全年办理复议案件3件。"]
"""


def test_a_comparing_rule_keeps_its_subjects_like_any_rule(tmp_path):
    """A peers rule limited to development zones gives nothing to two department reports that copy each
    other (it gave 5 findings to each when the comparisons ran in a second engine)."""
    rule = write(tmp_path / "zones.yaml", PEERS_FOR_ZONES)
    folder = tmp_path / "reports"
    text = seed_text(S000)
    write(folder / "a.txt", text)
    write(folder / "b.txt", text.replace("市中区人民政府办公室", "薛城区人民政府办公室"))
    data = json.loads(run_cli("check", folder, "--copies", "--rules", rule, "--format", "json",
                              "--fail-on", "never").stdout)
    rules = {f["rule"] for report in data["files"] for f in report["findings"]}
    assert "FZ-Y03" in rules and "TZ-Y03" not in rules      # departments: only the national rule applies


COMPARING_KIND = """\
from checker import hookimpl
from checker.checks.base import Hit, NotApplicable


class SameTitleKind:
    name = "same_title"
    params = {}

    def prepare(self, rule):
        return None

    def companions(self, rule):
        return {"previous"}

    def check(self, doc, rule, state):
        previous = doc.companions.get("previous")
        if previous is None:
            raise NotApplicable("no previous report")
        same = (previous.meta.title or "").replace(str(previous.meta.report_year), "") == \\
            (doc.meta.title or "").replace(str(doc.meta.report_year), "")
        return [Hit(values={})] if same else []


@hookimpl
def fazhi_lint_checker_kinds():
    return [SameTitleKind()]
"""

SAME_TITLE_RULE = """\
rules:
  - id: TP-Y01
    title: 标题与上年相同
    severity: info
    check: same_title
    message: 标题与上一年度相同
    hint: 无
    basis: 测试（待核对）
    examples:
      fire:
        - text: "某县2024年度法治政府建设报告\\n一、主要举措和成效\\n工作。"
          previous: "某县2023年度法治政府建设报告\\n一、主要举措和成效\\n工作。"
      pass: ["某县2024年度法治政府建设报告\\n一、主要举措和成效\\n工作。"]
"""


def test_a_plugins_comparing_kind_runs_with_previous(tmp_path):
    write(tmp_path / "plugins" / "same_title_plugin.py", COMPARING_KIND)
    rule = write(tmp_path / "same.yaml", SAME_TITLE_RULE)
    last = write(tmp_path / "2024" / "hedong.txt", seed_text(S002))
    this = write(tmp_path / "2025" / "hedong.txt", _next_year_with_one_slip(seed_text(S002)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.path.join(ROOT, "src"), str(tmp_path / "plugins")]),
           "FAZHI_LINT_NO_ENTRYPOINTS": "1"}
    args = [sys.executable, "-m", "checker", "check", this, "--plugin", "same_title_plugin", "--rules", rule,
            "--format", "json", "--fail-on", "never"]
    alone = json.loads(subprocess.run(args, capture_output=True, text=True, env=env, timeout=120).stdout)
    paired = json.loads(subprocess.run(args + ["--previous", os.path.dirname(last)], capture_output=True,
                                       text=True, env=env, timeout=120).stdout)
    assert "TP-Y01" not in {f["rule"] for f in alone["files"][0]["findings"]}
    assert "TP-Y01" in {f["rule"] for f in paired["files"][0]["findings"]}


STUCK_KIND = """\
from checker import hookimpl
from checker.checks.base import Hit


class StuckKind:
    name = "stuck_in_thread_test"
    params = {}

    def prepare(self, rule):
        return None

    def check(self, doc, rule, state):
        if "示例触发" in doc.text:
            return [Hit(values={})]
        while "法治" in doc.text:
            pass
        return []


@hookimpl
def fazhi_lint_checker_kinds():
    return [StuckKind()]
"""


def test_a_run_in_a_thread_keeps_its_limits_and_the_other_rules(tmp_path, monkeypatch):
    """A kind that never returns, in a run called from a thread (as the served desk calls it): the
    worker is stopped at the rule's budget, the rule is FZ-X02, every other rule of the report still
    gives its result (no signal, no timer in the library)."""
    write(tmp_path / "plugins" / "stuck_in_thread.py", STUCK_KIND)
    rule = write(tmp_path / "stuck.yaml", textwrap.dedent("""\
        rules:
          - id: TS-X01
            title: 卡住
            severity: info
            check: stuck_in_thread_test
            message: 卡住
            hint: 无
            basis: 测试（待核对）
            examples: {fire: [示例触发], pass: [正常]}
        """))
    monkeypatch.syspath_prepend(str(tmp_path / "plugins"))
    monkeypatch.setenv("FAZHI_LINT_RULE_TIMEOUT", "1")
    box = {}
    thread = threading.Thread(target=lambda: box.update(outcome=run(RunRequest(
        paths=(os.path.join(SEEDS, S004),), plugins=("stuck_in_thread",), rule_paths=(rule,)))))
    thread.start()
    thread.join(90)
    assert not thread.is_alive()
    result = box["outcome"].reports[0]
    rules = {f.rule for f in result.findings}
    assert "FZ-X02" in rules and {"FZ-S03", "FZ-W01"} <= rules and result.score is not None
    assert box["outcome"].exit_code() == 3


def test_the_library_sets_no_signal_timer():
    """Time limits live at the process boundary and in regex's timeout: no SIGALRM, no interval timer,
    no private CPython regex API anywhere in src/."""
    offenders = []
    for folder, _, files in os.walk(os.path.join(ROOT, "src")):
        for name in files:
            if name.endswith(".py"):
                text = open(os.path.join(folder, name), encoding="utf-8").read()
                offenders += [f"{name}: {word}" for word in ("SIGALRM", "setitimer", "_sre")
                              if re.search(rf"\b{word}\b", text)]
    assert offenders == []
