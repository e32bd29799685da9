"""Fault injection: dying workers, plugins that exit or hang, full disks, signals, hostile names.

Every case runs the real command in a subprocess with a time limit (``timeout=``): a hang fails
the test instead of hanging the suite. Every case asserts an honest exit code (2 bad input or
configuration, 3 plugin or internal failure), output that parses, and no traceback; and that no
process of the run (a hung or sleeping worker) outlives it.
"""
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from .cli_helpers import GOOD_REPORT, ROOT, bad_text, good_text, write

RULE_TEMPLATE = """\
rules:
  - id: TF-X01
    title: 故障注入
    severity: warning
    check: {kind}
    message: 故障注入
    hint: 无
    basis: 测试（待核对）
    examples:
      fire: [示例触发]
      pass: [正常文本]
"""

KIND_TEMPLATE = """\
import os, sys, time
from checker import hookimpl
from checker.checks.base import Hit


class Kind:
    name = "{kind}"
    params = {{}}

    def prepare(self, rule):
        return None

    def check(self, doc, rule, state):
        if "示例触发" in doc.text:
            return [Hit(values={{}})]
        if "注入故障" in doc.text:
{action}
        return []


@hookimpl
def fazhi_lint_checker_kinds():
    return [Kind()]
"""


# A plugin that prints, and whose hooks return the wrong things (also replayed by benchmarks/fuzz).
MESSY_PLUGIN = """\
    import re
    from checker import hookimpl

    print("plugin noise at import")

    @hookimpl
    def fazhi_lint_checker_kinds():
        print("plugin noise in a hook")
        return 42

    @hookimpl
    def fazhi_lint_normalise_patterns():
        return [b"bytes", re.compile("水印")]

    @hookimpl
    def fazhi_lint_output_formats():
        def broken(results, context):
            raise RuntimeError("formatter bug")
        return {"json": lambda results, context: "hijacked", "broken": broken}
    """


def _plugin(tmp_path, name: str, body: str) -> str:
    """Write a plugin module ``name`` into tmp_path/plugins; return the folder."""
    folder = tmp_path / "plugins"
    write(folder / f"{name}.py", textwrap.dedent(body))
    return str(folder)


def _kind_plugin(tmp_path, name: str, action: str):
    """A checker kind that runs ``action`` on reports containing 注入故障, and a rule using it."""
    folder = _plugin(tmp_path, name, KIND_TEMPLATE.format(kind=name, action=textwrap.indent(action, " " * 12)))
    rule = write(tmp_path / "rules" / f"{name}.yaml", RULE_TEMPLATE.format(kind=name))
    return folder, rule


def _env(plugin_folder=None, **extra):
    paths = [os.path.join(ROOT, "src")] + ([plugin_folder] if plugin_folder else [])
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "FAZHI_LINT_NO_ENTRYPOINTS": "1", **extra}


def _group_members(pgid: int) -> list:
    """The live processes (zombies aside) of process group ``pgid``, read from /proc (Linux)."""
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != b"Z" and int(fields[2]) == pgid:
                members.append(int(entry))
    return members


def _assert_nothing_left(pgid: int, wait: float = 15.0):
    """The run's processes (the command, its workers and anything they started, all in process group
    ``pgid``) are all gone once it has ended: a worker left spinning would be a leak the output does
    not show (and would slow every later test). Waits up to ``wait`` s; kills what is left, then fails."""
    if not os.path.isdir("/proc"):
        return
    deadline = time.monotonic() + wait
    while _group_members(pgid):
        if time.monotonic() > deadline:
            left = _group_members(pgid)
            os.killpg(pgid, signal.SIGKILL)
            pytest.fail(f"processes of the run still alive {wait:.0f} s after it ended: {left}")
        time.sleep(0.1)


def _run(*args, plugin_folder=None, timeout=60, stdout=subprocess.PIPE, **extra_env):
    """Run fazhi-lint in a process group of its own, and check that nothing of it outlives it."""
    proc = subprocess.Popen([sys.executable, "-m", "checker", *map(str, args)], stdout=stdout, stderr=subprocess.PIPE,
                            env=_env(plugin_folder, **extra_env), cwd=ROOT, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    _assert_nothing_left(proc.pid)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _no_traceback(proc):
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    return err


def _reports(folder, count: int, poisoned=()) -> list:
    paths = []
    for i in range(count):
        text = good_text() + ("\n注入故障\n" if i in poisoned else "")
        paths.append(write(folder / f"r{i:02d}.txt", text))
    return paths


# ---------------------------------------------------------------------- dying workers
@pytest.mark.parametrize("action", ["os._exit(0)", "os.kill(os.getpid(), 9)"])
def test_a_dying_worker_costs_one_file_not_the_batch(tmp_path, action):
    folder, rule = _kind_plugin(tmp_path, "dying_kind", action)
    reports = _reports(tmp_path / "reports", 16, poisoned={5})
    proc = _run("--plugin", "dying_kind", "--rules", rule, "-j", "2", "--format", "json", tmp_path / "reports",
                plugin_folder=folder)
    _no_traceback(proc)
    assert proc.returncode == 3
    files = json.loads(proc.stdout)["files"]
    assert [f["path"] for f in files] == reports            # every report, in order
    dead = files[5]
    assert [f["rule"] for f in dead["findings"]] == ["FZ-X05"]
    assert all(f["score"] is not None for i, f in enumerate(files) if i != 5)


def test_a_worker_that_hangs_is_killed_after_the_file_limit(tmp_path):
    # The worker hangs asleep, not spinning: the file limit is wall time without word from the worker
    # either way, and a spinning worker took a core from the rest of the suite for the 8 s.
    folder, rule = _kind_plugin(tmp_path, "stuck_kind", "while True: time.sleep(1)")
    _reports(tmp_path / "reports", 4, poisoned={1})
    started = time.monotonic()
    proc = _run("--plugin", "stuck_kind", "--rules", rule, "-j", "2", "--format", "json", tmp_path / "reports",
                plugin_folder=folder, FAZHI_LINT_FILE_TIMEOUT="8", FAZHI_LINT_RULE_TIMEOUT="60")
    assert time.monotonic() - started < 60
    _no_traceback(proc)
    assert proc.returncode == 3
    files = json.loads(proc.stdout)["files"]
    assert [f["rule"] for f in files[1]["findings"]] == ["FZ-X05"] and files[0]["score"] is not None


# ---------------------------------------------------------------------- plugins that exit
@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("action", ["sys.exit(0)", "raise KeyboardInterrupt", "raise SystemExit('bye')"])
def test_a_plugin_exiting_in_check_is_a_finding_not_a_pass(tmp_path, action, jobs):
    folder, rule = _kind_plugin(tmp_path, "exiting_kind", action)
    _reports(tmp_path / "reports", 3, poisoned={0})
    proc = _run("--plugin", "exiting_kind", "--rules", rule, "-j", jobs, "--format", "json", tmp_path / "reports",
                plugin_folder=folder)
    _no_traceback(proc)
    assert proc.returncode == 3
    first = json.loads(proc.stdout)["files"][0]
    assert "FZ-X01" in [f["rule"] for f in first["findings"]]


@pytest.mark.parametrize("where", ["import", "hook"])
def test_a_plugin_calling_sys_exit_while_loading_is_a_failure(tmp_path, where):
    body = ("import sys\nsys.exit(0)\n" if where == "import" else
            "import sys\nfrom checker import hookimpl\n\n@hookimpl\ndef fazhi_lint_normalise_patterns():\n    sys.exit(0)\n")
    folder = _plugin(tmp_path, "exit_plugin", body)
    out = tmp_path / "out.json"
    proc = _run("--plugin", "exit_plugin", "--format", "json", "-o", out, GOOD_REPORT, plugin_folder=folder)
    err = _no_traceback(proc)
    assert proc.returncode == 3
    assert "SystemExit" in err or "SystemExit" in out.read_text()
    data = json.loads(out.read_text())
    assert "FZ-X01" in [f["rule"] for f in data["files"][0]["findings"]]
    listing = _run("--plugin", "exit_plugin", "--list-rules", plugin_folder=folder)
    assert listing.returncode == 3


def test_a_sleeping_hook_is_bounded(tmp_path):
    body = ("import time\nfrom checker import hookimpl\n\n@hookimpl\n"
            "def fazhi_lint_normalise_patterns():\n    time.sleep(600)\n")
    folder = _plugin(tmp_path, "sleepy_plugin", body)
    started = time.monotonic()
    proc = _run("--plugin", "sleepy_plugin", "--format", "json", GOOD_REPORT, plugin_folder=folder,
                FAZHI_LINT_HOOK_TIMEOUT="1")
    assert time.monotonic() - started < 30
    _no_traceback(proc)
    assert proc.returncode == 3
    json.loads(proc.stdout)


def test_a_slow_check_hits_the_per_rule_budget(tmp_path):
    folder, rule = _kind_plugin(tmp_path, "slow_kind", "time.sleep(600)")
    write(tmp_path / "r.txt", good_text() + "\n注入故障\n")
    started = time.monotonic()
    proc = _run("--plugin", "slow_kind", "--rules", rule, "--format", "json", tmp_path / "r.txt",
                plugin_folder=folder, FAZHI_LINT_RULE_TIMEOUT="1")
    assert time.monotonic() - started < 30
    _no_traceback(proc)
    assert proc.returncode == 3
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    assert "FZ-X02" in [f["rule"] for f in findings]


def test_a_rule_budget_covers_all_spans_of_a_rule(tmp_path):
    """Many headings, each scanned by a catastrophic pattern: the whole rule stops at its budget
    (a per-span limit alone would add up, and regex's own timeout is not always prompt)."""
    rule = write(tmp_path / "slow.yaml", textwrap.dedent("""\
        rules:
          - id: TF-X02
            title: 慢正则
            severity: info
            check: existence
            scope: headings
            params: {patterns: ['(字|字字)+X']}
            message: 慢
            hint: 无
            basis: 测试（待核对）
            examples:
              fire: [一、字X]
              pass: [一、工作]
        """))
    headings = "".join(f"{'一二三四五六七八九'[i % 9]}、" + "字" * 40 + "！\n" for i in range(40))
    write(tmp_path / "r.txt", "2023年某区法治政府建设年度报告\n" + headings)
    started = time.monotonic()
    proc = _run("--rules", rule, "--format", "json", tmp_path / "r.txt", FAZHI_LINT_RULE_TIMEOUT="1")
    assert time.monotonic() - started < 40
    _no_traceback(proc)
    assert proc.returncode == 3
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    assert any(f["rule"] == "FZ-X02" and "TF-X02" in f["message"] for f in findings)


# ---------------------------------------------------------------------- plugin mistakes
@pytest.mark.parametrize("action", ["return 42", "return [1, 2, 3]", "return [Hit(10**9, 10**9 + 5)]"])
def test_a_kind_returning_nonsense_is_fz_x01(tmp_path, action):
    folder, rule = _kind_plugin(tmp_path, "silly_kind", action)
    write(tmp_path / "r.txt", good_text() + "\n注入故障\n")
    proc = _run("--plugin", "silly_kind", "--rules", rule, "--format", "json", tmp_path / "r.txt",
                plugin_folder=folder)
    _no_traceback(proc)
    assert proc.returncode == 3
    assert "FZ-X01" in [f["rule"] for f in json.loads(proc.stdout)["files"][0]["findings"]]


def test_hook_mistakes_and_printing_plugins(tmp_path):
    body = MESSY_PLUGIN
    folder = _plugin(tmp_path, "messy_plugin", body)
    proc = _run("--plugin", "messy_plugin", "--format", "json", GOOD_REPORT, plugin_folder=folder)
    err = _no_traceback(proc)
    data = json.loads(proc.stdout)                    # the built-in json, not corrupted by print()
    assert proc.returncode == 3
    assert "plugin noise" in err and "'json'" in err
    messages = " ".join(f["message"] for f in data["files"][0]["findings"] if f["rule"] == "FZ-X01")
    assert "fazhi_lint_checker_kinds" in messages and "fazhi_lint_normalise_patterns" in messages
    broken = _run("--plugin", "messy_plugin", "--format", "broken", GOOD_REPORT, plugin_folder=folder)
    assert broken.returncode == 3 and "formatter bug" in _no_traceback(broken)


# ---------------------------------------------------------------------- writing output
def test_failed_writes_exit_2_with_a_message(tmp_path):
    report = write(tmp_path / "r.txt", good_text())
    for target in ("/dev/full", str(tmp_path)):
        proc = _run("--format", "json", "-o", target, report)
        assert proc.returncode == 2, target
        assert target in _no_traceback(proc)
    proc = _run("--format", "junit:/dev/full", report)
    assert proc.returncode == 2 and "/dev/full" in _no_traceback(proc)
    with open("/dev/full", "wb") as full:
        proc = _run("--format", "json", report, stdout=full)
    assert proc.returncode == 2 and "标准输出" in _no_traceback(proc)


def test_output_never_overwrites_a_checked_report(tmp_path):
    report = write(tmp_path / "r.txt", bad_text())
    for args in (("-o", report), ("--write-baseline", report), ("--format", f"json:{report}")):
        proc = _run(*args, report)
        assert proc.returncode == 2, args
        _no_traceback(proc)
        assert open(report, encoding="utf-8").read() == bad_text()


def test_a_config_cannot_write_outside_its_project(tmp_path):
    project = tmp_path / "project"
    write(project / "r.txt", good_text())
    for target in ("../../escape.json", "/tmp/fazhi-escape.json"):
        write(project / ".fazhi-lint.yaml", f"format: ['text', 'json:{target}']\n")
        proc = _run(project / "r.txt")
        assert proc.returncode == 2, target
        assert "之外" in _no_traceback(proc)
    assert not os.path.exists(tmp_path.parent / "escape.json")


# ---------------------------------------------------------------------- signals
def _start_slow_run(tmp_path, jobs: str):
    """A run whose checks sleep; returns (process, marker file written when a check has started)."""
    marker = tmp_path / "started"
    folder, rule = _kind_plugin(tmp_path, "slow_kind2",
                                "open(os.environ['FZ_STARTED'], 'a').close()\ntime.sleep(600)")
    _reports(tmp_path / "reports", 8, poisoned=set(range(8)))
    proc = subprocess.Popen([sys.executable, "-m", "checker", "--plugin", "slow_kind2", "--rules", rule,
                             "-j", jobs, str(tmp_path / "reports")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_env(folder, FAZHI_LINT_RULE_TIMEOUT="600", FZ_STARTED=str(marker)), cwd=ROOT,
                            start_new_session=True)
    return proc, marker


@pytest.mark.parametrize("signum, jobs, code", [(signal.SIGINT, "1", 130), (signal.SIGTERM, "2", 143),
                                                (signal.SIGINT, "2", 130)])
def test_signals_end_the_run_quietly(tmp_path, signum, jobs, code):
    proc, marker = _start_slow_run(tmp_path, jobs)
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)                     # wait until a check is running (start-up may be slow)
    assert marker.exists(), proc.stderr.read() if proc.poll() is not None else "no check started"
    proc.send_signal(signum)
    try:
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == code
    text = err.decode("utf-8", "replace")
    assert "Traceback" not in text and "BrokenPipe" not in text, text
    _assert_nothing_left(proc.pid)                  # the workers (each asleep in a check) are stopped too


# ---------------------------------------------------------------------- Ctrl-C while starting
# Python started from a terminal has default_int_handler for SIGINT; started by a parent that ignores
# SIGINT (a background job of a non-interactive shell, nohup) it keeps ignoring it, and so, rightly,
# does checker. The child sets what a terminal gives, so the test does not depend on how pytest was started.
_SIGINT_AS_ON_A_TERMINAL = "import signal as _s; _s.signal(_s.SIGINT, _s.default_int_handler)"


def test_ctrl_c_while_importing_exits_130_quietly():
    """The command's first line (checker/__init__) makes Ctrl-C during the remaining imports a
    quiet exit 130; the signal is sent right after that line, before the CLI is imported."""
    code = (f"{_SIGINT_AS_ON_A_TERMINAL}\n"
            "import sys; sys.argv[0] = '-m'\n"                 # what python -m checker shows while importing
            "import os, signal, checker\n"
            "os.kill(os.getpid(), signal.SIGINT)\n"
            "import checker.cli\n"
            "print('not interrupted')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, env=_env(), cwd=ROOT, timeout=60)
    err = _no_traceback(proc)
    assert proc.returncode == 130 and "已中断" in err and b"not interrupted" not in proc.stdout
    library = subprocess.run([sys.executable, "-c", f"{_SIGINT_AS_ON_A_TERMINAL}\nimport signal, checker.cli\n"
                              "print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)"],
                             capture_output=True, env=_env(), cwd=ROOT, timeout=60)
    assert library.stdout.strip() == b"True"                  # imported as a library: nothing changed
