"""Replay the 18 numbered defects of issue 11 against the installed code, as an examiner would.

Run by hand (not part of the suite): ``python benchmarks/fuzz/replay_cases.py [-k WORD]``.
Every case is a real ``python -m checker`` subprocess with a time limit; a case passes when it ends
in time, with the expected exit code, no "Traceback"/"BrokenPipe" on standard error, outputs that
parse (``json.loads``, expat, SARIF's required keys, CSV without formula cells) and no text read
through a symlink out of the tree. Prints one line per case and a summary; exit 1 if any failed.
The regression tests for the same cases live in tests/test_faults.py and tests/test_faults_inputs.py
(subprocesses; tests/test_hostile_input.py and tests/test_inputs.py test parts in process).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import xml.parsers.expat

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOOD = os.path.join(ROOT, "tests", "data", "reports", "good_report.txt")
sys.path.insert(0, ROOT)
from tests.test_faults import KIND_TEMPLATE, MESSY_PLUGIN, RULE_TEMPLATE  # noqa: E402  (one rule and kind template for both)


def rule_text(kind: str, extra: str = "") -> str:
    """A one-rule file for checker kind ``kind``; ``extra`` lines (weight, params, when…) go before
    its examples."""
    text = RULE_TEMPLATE.format(kind=kind)
    return text.replace("    examples:", f"    {extra}\n    examples:") if extra else text


def good_text() -> str:
    with open(GOOD, encoding="utf-8") as handle:
        return handle.read()


def bad_text() -> str:
    return good_text().replace("扎实推进法治政府建设。", "扎实推进法制政府建设。", 1)


class Case:
    def __init__(self, tmp: str):
        self.tmp = tmp
        self.plugins = os.path.join(tmp, "plugins")
        os.makedirs(self.plugins, exist_ok=True)

    def write(self, rel, text, binary=False) -> str:
        path = os.path.join(self.tmp, rel) if isinstance(rel, str) else rel
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(text if binary else text.encode("utf-8"))
        return path

    def plugin(self, name, body) -> str:
        self.write(os.path.join(self.plugins, name + ".py"), textwrap.dedent(body))
        return name

    def kind(self, name, action, extra="") -> str:
        self.plugin(name, KIND_TEMPLATE.format(kind=name, action=textwrap.indent(action, " " * 12)))
        return self.write(f"rules/{name}.yaml", rule_text(name, extra))

    def run(self, *args, timeout=60, stdout=subprocess.PIPE, cwd=None, env=None):
        environ = {**os.environ, "PYTHONPATH": os.pathsep.join([os.path.join(ROOT, "src"), self.plugins]),
                   "FAZHI_LINT_NO_ENTRYPOINTS": "1", **(env or {})}
        started = time.monotonic()
        try:
            proc = subprocess.run([sys.executable, "-m", "checker", *map(str, args)], stdout=stdout,
                                  stderr=subprocess.PIPE, env=environ, cwd=cwd or self.tmp, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"did not end within {timeout} s: {args}")
        proc.seconds = time.monotonic() - started
        err = proc.stderr.decode("utf-8", "replace")
        assert "Traceback" not in err and "BrokenPipe" not in err, f"traceback for {args}: {err[-600:]}"
        proc.err = err
        return proc


def expect(proc, *codes):
    assert proc.returncode in codes, f"exit {proc.returncode}, expected {codes}: {proc.err[-400:]}"
    return proc


def rules_of(data, index=0):
    return [f["rule"] for f in data["files"][index]["findings"]]


def valid_json(raw) -> dict:
    return json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)


def valid_xml(raw) -> None:
    parser = xml.parsers.expat.ParserCreate()
    parser.Parse(raw if isinstance(raw, bytes) else raw.encode("utf-8"), True)


def valid_sarif(raw) -> dict:
    data = valid_json(raw)
    assert data["version"] == "2.1.0" and isinstance(data["runs"][0]["results"], list)
    return data


def no_formula(raw) -> None:
    text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw.lstrip("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    bad = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert not bad, bad[:3]


def reports(c: Case, folder, count, poisoned=()):
    return [c.write(f"{folder}/r{i:02d}.txt", good_text() + ("\n注入故障\n" if i in poisoned else ""))
            for i in range(count)]


# ------------------------------------------------------------------------------------- cases
def d01_dying_worker(c):
    rule = c.kind("die", "os._exit(0)")
    paths = reports(c, "many", 40, poisoned={7})
    proc = expect(c.run("--plugin", "die", "--rules", rule, "--format", "json", "many", timeout=90), 3)
    files = valid_json(proc.stdout)["files"]
    assert len(files) == 40 and [f["path"] for f in files] == [os.path.relpath(p, c.tmp) for p in paths]
    assert rules_of({"files": files}, 7) == ["FZ-X05"]
    rule = c.kind("die9", "os.kill(os.getpid(), 9)")
    expect(c.run("--plugin", "die9", "--rules", rule, "--format", "json", "-j", "2", "many", timeout=90), 3)


def d02_plugin_sys_exit(c):
    c.plugin("exit_import", "import sys\nsys.exit(0)\n")
    c.plugin("exit_hook", "import sys\nfrom checker import hookimpl\n\n@hookimpl\n"
                          "def fazhi_lint_normalise_patterns():\n    sys.exit(0)\n")
    for plugin in ("exit_import", "exit_hook"):
        out = os.path.join(c.tmp, plugin + ".json")
        expect(c.run("--plugin", plugin, "--format", "json", "-o", out, GOOD), 3)
        assert "FZ-X01" in rules_of(valid_json(open(out, "rb").read()))
    rule = c.kind("exit_check", "sys.exit(0)")
    reports(c, "two", 2, poisoned={0})
    for jobs in ("1", "2"):
        proc = expect(c.run("--plugin", "exit_check", "--rules", rule, "--format", "json", "-j", jobs, "two"), 3)
        assert "FZ-X01" in rules_of(valid_json(proc.stdout))


def d03_devices_and_fifo(c):
    for device in ("/dev/zero", "/dev/urandom"):
        proc = expect(c.run("--format", "json", device, timeout=20), 2)
        valid_json(proc.stdout)
    os.makedirs(os.path.join(c.tmp, "fifo"))
    c.write("fifo/a.txt", good_text())
    os.mkfifo(os.path.join(c.tmp, "fifo", "pipe.txt"))
    proc = expect(c.run("--format", "json", "fifo", timeout=20), 0, 1, 2)
    assert len(valid_json(proc.stdout)["files"]) >= 1


def d04_rule_budget(c):
    rule = c.write("slow.yaml", rule_text("existence", "scope: headings\n    params: {patterns: ['(字|字字)+X']}")
                   .replace("[示例触发]", "[一、字X]").replace("[正常文本]", "[一、工作]"))
    headings = "".join(f"{'一二三四五六七八九'[i % 9]}、" + "字" * 40 + "！\n" for i in range(99))
    report = c.write("slow.txt", "2023年某区法治政府建设年度报告\n" + headings)
    proc = expect(c.run("--rules", rule, "--format", "json", report, timeout=60), 3)
    assert "FZ-X02" in rules_of(valid_json(proc.stdout)) and proc.seconds < 40, proc.seconds
    c.plugin("sleepy", "import time\nfrom checker import hookimpl\n\n@hookimpl\n"
                       "def fazhi_lint_normalise_patterns():\n    time.sleep(600)\n")
    proc = expect(c.run("--plugin", "sleepy", "--format", "json", GOOD, timeout=60), 3)
    valid_json(proc.stdout)
    c.plugin("slowpat", "import re\nfrom checker import hookimpl\n\n@hookimpl\n"
                        "def fazhi_lint_normalise_patterns():\n    return [re.compile('(a|aa)+b')]\n")
    report = c.write("aaa.txt", good_text() + "\n" + "a" * 60 + "\n")
    proc = expect(c.run("--plugin", "slowpat", "--format", "json", report, timeout=60), 0, 1, 3)
    valid_json(proc.stdout)


def run_measured(c: Case, *args, timeout=900):
    """``c.run(*args)`` that also returns this child's own peak resident memory in MB (os.wait4),
    not the maximum over every child so far."""
    environ = {**os.environ, "PYTHONPATH": os.path.join(ROOT, "src")}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errors:
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "checker", *map(str, args)], stdout=out, stderr=errors,
                                env=environ, cwd=c.tmp)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.seconds = time.monotonic() - started
        out.seek(0)
        errors.seek(0)
        proc.stdout, proc.err = out.read(), errors.read().decode("utf-8", "replace")
    assert proc.seconds < timeout, f"did not end within {timeout} s: {args}"
    assert "Traceback" not in proc.err, proc.err[-600:]
    return proc, usage.ru_maxrss / 1024


MEMORY_SHAPES = {   # name: one repeated unit of a hostile report
    "headings": "一、\n",
    "numbers": "2023年共办理行政复议案件1234件，同比增长45.6%，纠错率7.8%。\n",
    "one-line": "法治政府建设依法行政严格规范公正文明执法",
    "lone-CR": "一、法治\r（一）政府\r1.建设\r",
    "invisible": "法\u00ad制\u200b政\u202e府\ufe0f",
    "findings": "法制政府。",
}


def d05_memory(c, sizes=(5, 20), shapes=tuple(MEMORY_SHAPES)):
    """Peak memory of ``-j 1`` checks of hostile shapes within 100 MB + 80x file size (README)."""
    for megabytes in sizes:
        for shape in shapes:
            unit = MEMORY_SHAPES[shape]
            path = c.write(f"{shape}{megabytes}.txt", unit * (megabytes * 1024 * 1024 // len(unit.encode())))
            size = os.path.getsize(path) / 1e6
            proc, peak = run_measured(c, "--format", "json", "-j", "1", path)
            expect(proc, 0, 1, 3)
            valid_json(proc.stdout)
            bound = 100 + 80 * size
            print(f"    d05 {size:5.1f} MB {shape:<10} {proc.seconds:6.1f} s  peak RSS {peak:5.0f} MB "
                  f"({peak / size:3.0f}x), bound {bound:.0f} MB", flush=True)
            del proc          # a large output kept here would be counted in the next child's peak (fork)
            assert peak <= bound, (shape, peak, bound)


def d06_writes_and_signals(c):
    report = c.write("w.txt", good_text())
    ro = os.path.join(c.tmp, "ro")
    os.makedirs(ro)
    os.chmod(ro, 0o500)
    for target in ("/dev/full", c.tmp, "/proc/fazhi.json", os.path.join(ro, "x.json")):
        proc = c.run("--format", "json", "-o", target, report)
        if target.startswith(ro) and os.geteuid() == 0:
            continue                                       # root writes into a read-only folder
        expect(proc, 2)
    with open("/dev/full", "wb") as full:
        expect(c.run("--format", "json", report, stdout=full), 2)
    rule = c.kind("sleeper", "open(os.environ['RP_STARTED'], 'a').close(); time.sleep(600)")
    reports(c, "slow", 6, poisoned=set(range(6)))
    for signum, jobs, code in ((signal.SIGINT, "1", 130), (signal.SIGTERM, "2", 143), (signal.SIGINT, "2", 130)):
        marker = os.path.join(c.tmp, f"started{signum}{jobs}")
        environ = {**os.environ, "PYTHONPATH": os.pathsep.join([os.path.join(ROOT, "src"), c.plugins]),
                   "FAZHI_LINT_NO_ENTRYPOINTS": "1", "RP_STARTED": marker, "FAZHI_LINT_RULE_TIMEOUT": "600"}
        proc = subprocess.Popen([sys.executable, "-m", "checker", "--plugin", "sleeper", "--rules", rule, "-j", jobs,
                                 "slow"], cwd=c.tmp, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while not os.path.exists(marker) and time.monotonic() < deadline:
            time.sleep(0.1)
        proc.send_signal(signum)
        try:
            _, err = proc.communicate(timeout=30)
        finally:
            proc.kill()
        text = err.decode("utf-8", "replace")
        assert proc.returncode == code and "Traceback" not in text and "BrokenPipe" not in text, (code, text[-500:])


def d06b_sigint_during_start_up(c):
    """Ctrl-C at moments of start-up (imports included) ends quietly with 130. A traceback none of
    whose frames is fazhi-lint's comes from Python's own start-up (site, runpy), before the first
    line of the package runs: counted and printed, not a failure of fazhi-lint."""
    python_start = []
    for delay in (0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.45, 0.6):
        environ = {**os.environ, "PYTHONPATH": os.path.join(ROOT, "src")}
        proc = subprocess.Popen([sys.executable, "-m", "checker", "--format", "json", GOOD], cwd=c.tmp,
                                env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        text = err.decode("utf-8", "replace")
        if "Traceback" in text and "/checker/" not in text:
            python_start.append(delay)
            continue
        assert "Traceback" not in text, (delay, text[-500:])
        # 0: it had finished; -2: the signal came while Python was shutting down (handlers reset), output complete
        assert proc.returncode in (130, 0, -2), (delay, proc.returncode, text[-800:])
    if python_start:
        print(f"    d06b Ctrl-C inside Python's own start-up (no fazhi-lint frame) at {python_start} s")


def d07_non_finite_numbers(c):
    for value in (".inf", ".nan"):
        rule = c.write(f"w{value}.yaml", rule_text("existence", f"weight: {value}\n    params: {{patterns: [示例触发]}}"))
        proc = expect(c.run("--rules", rule, "--format", "json", GOOD), 2)
        valid_json(proc.stdout)
        assert "nan" not in proc.stdout.decode().lower().replace("nanjing", "")
        c.write("rules_dir/w.yaml", open(rule, encoding="utf-8").read())
        assert c.run("test-rules", os.path.join(c.tmp, "rules_dir")).returncode != 0
        expect(c.run("--rules", rule, "--min-score", "90", GOOD), 2)
    c.write("thr/.fazhi-lint.yaml", "thresholds: {FZ-L01: {min: .nan}}\n")
    expect(c.run(c.write("thr/r.txt", good_text())), 2)


def d08_non_utf8_name(c):
    folder = os.path.join(os.fsencode(c.tmp), b"names")
    os.makedirs(folder)
    with open(folder + b"/bad\xff\xfe.txt", "wb") as handle:
        handle.write(bad_text().encode("utf-8"))
    proc = expect(c.run("--format", "json", "names"), 1)
    assert "\\xff" in valid_json(proc.stdout)["files"][0]["path"]
    for fmt, check in (("json", valid_json), ("sarif", valid_sarif), ("junit", valid_xml), ("csv", no_formula)):
        out = os.path.join(c.tmp, "out." + fmt)
        expect(c.run("--format", f"{fmt}:{out}", "names"), 1)
        check(open(out, "rb").read())


def d09_config_and_waivers(c):
    c.write("toml/pyproject.toml", b"[project]\nname = \"\xff\xfe\"\n", binary=True)
    expect(c.run("--format", "json", c.write("toml/sub/r.txt", good_text())), 0, 1)
    c.write("key/.fazhi-lint.yaml", "1: x\n")
    expect(c.run(c.write("key/r.txt", good_text())), 2)
    c.write("sup/fazhi-lint-suppressions.yaml", "suppressions: []\n1: 2\n")
    expect(c.run(c.write("sup/r.txt", good_text())), 2)
    deep = c.write("deep.json", "[" * 100_000 + "]" * 100_000)
    expect(c.run("--baseline", deep, GOOD), 2)
    rule = c.write("when.yaml", rule_text("existence", "when: {elements: 5}\n    params: {patterns: [示例触发]}"))
    expect(c.run("--rules", rule, GOOD), 2)
    sup = c.write("sup2.yaml", "suppressions:\n  - rule: FZ-W02\n    reason: x\n    expires: 2024-02-30\n")
    proc = expect(c.run("--suppressions", sup, GOOD), 2)
    assert "sup2.yaml:4" in proc.err, proc.err


def d10_plugin_mistakes(c):
    for name, action in (("k42", "return 42"), ("klist", "return [1, 2, 3]"),
                         ("kout", "return [Hit(10**9, 10**9 + 5)]")):
        rule = c.kind(name, action)
        report = c.write(f"{name}.txt", good_text() + "\n注入故障\n")
        proc = expect(c.run("--plugin", name, "--rules", rule, "--format", "json", report), 3)
        assert "FZ-X01" in rules_of(valid_json(proc.stdout))
    c.plugin("messy", MESSY_PLUGIN)
    proc = expect(c.run("--plugin", "messy", "--format", "json", GOOD), 3)
    data = valid_json(proc.stdout)
    assert data["files"] and "FZ-X01" in rules_of(data)
    expect(c.run("--plugin", "messy", "--format", "broken", GOOD), 3)


def d11_symlinks(c):
    c.write("inbox/a.txt", good_text())
    os.symlink("/etc/passwd", os.path.join(c.tmp, "inbox", "x.txt"))
    os.symlink("/etc", os.path.join(c.tmp, "inbox", "etcdir"))
    for fmt in ("json", "sarif", "junit", "csv", "text"):
        proc = expect(c.run("--format", fmt, "inbox"), 0, 1, 2)
        assert b"root:x:" not in proc.stdout and "root:x:" not in proc.err, fmt


def d12_write_targets(c):
    for target in ("../../../../x.json", "/tmp/fazhi-replay-escape.json"):
        c.write("proj/.fazhi-lint.yaml", f"format: ['text', 'json:{target}']\n")
        expect(c.run(c.write("proj/r.txt", good_text())), 2)
    assert not os.path.exists("/tmp/fazhi-replay-escape.json")
    report = c.write("self.txt", bad_text())
    for args in (("-o", report), ("--write-baseline", report), ("--format", f"json:{report}")):
        expect(c.run(*args, report), 2)
        assert open(report, encoding="utf-8").read() == bad_text()


def d13_formula_cells(c):
    title = "=HYPERLINK(\"http://x\",\"点我\")区人民政府2023年法治政府建设年度报告\n"
    report = c.write("@evil.txt", title + bad_text())
    proc = expect(c.run("--format", "csv", report), 0, 1)
    no_formula(proc.stdout)


def d14_line_breaking_text(c):
    hostile = "\r\x1b[2J\x1b]8;;http://x\x07\u2028\u0085\u202e"
    report = c.write("esc.txt", bad_text().replace("法制政府", "法制政府" + hostile, 1))
    for args in (("--no-color",), ("--format", "github"), ("--output-format", "full", "--no-color")):
        out = expect(c.run(*args, report), 1).stdout.decode("utf-8")
        assert not any(ch in out for ch in "\r\x1b\u2028\u0085\u202e"), args


def d15_invisible_characters(c):
    for ch in ("\u00ad", "\u180e", "\u034f", "\u200e", "\u200f", "\u202a", "\u202e", "\ufe0f", "\u2061", "\U000e0041"):
        report = c.write(f"inv{ord(ch):x}.txt", bad_text().replace("法制政府", "法" + ch + "制政府", 1))
        proc = expect(c.run("--format", "json", "--select", "FZ-W01", report), 1)
        assert "FZ-W01" in rules_of(valid_json(proc.stdout)), hex(ord(ch))


def d16_caches(c):
    text = rule_text("existence", "params: {patterns: [示例触发]}")
    rule = c.write("cache/rule.yaml", text)
    report = c.write("cache/r.txt", good_text() + "\n注入故障\n")
    environ = {"XDG_CACHE_HOME": os.path.join(c.tmp, "xdg")}
    first = expect(c.run("--rules", rule, "--format", "json", report, env=environ), 0, 1)
    stamp = os.stat(rule)
    c.write("cache/rule.yaml", text.replace("[示例触发]", "[注入故障]").replace("fire: [注入故障]", "fire: [注入故障]"))
    assert os.path.getsize(rule) == stamp.st_size
    os.utime(rule, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    second = expect(c.run("--rules", rule, "--format", "json", report, env=environ), 0, 1, 2)
    assert first.stdout != second.stdout or second.returncode == 2, "stale rule from the parse cache"
    assert not any(n.startswith("jieba") for n in os.listdir(tempfile.gettempdir()) if os.stat(
        os.path.join(tempfile.gettempdir(), n)).st_mtime > time.time() - 600), "jieba cache in /tmp"


def d17_damaged_text(c):
    data = bad_text().encode("utf-8")
    stray = c.write("stray.txt", data[:300] + b"\xff" + data[300:], binary=True)
    mixed = c.write("mixed.txt", b"\n".join(line.encode("gb18030") if i % 4 == 1 else line.encode("utf-8")
                                            for i, line in enumerate(bad_text().split("\n"))), binary=True)
    utf16 = c.write("u16.txt", bad_text().encode("utf-16-le") + b"\x00", binary=True)
    for path in (stray, mixed, utf16):
        proc = expect(c.run("--format", "json", path), 1)
        data = valid_json(proc.stdout)["files"][0]
        assert not data.get("error") and "FZ-W01" in [f["rule"] for f in data["findings"]], path


def d18_duplicates_and_list_rules(c):
    report = c.write("dup.txt", bad_text())
    proc = expect(c.run("--format", "json", report, report, c.tmp + "/./dup.txt"), 1)
    assert len(valid_json(proc.stdout)["files"]) == 1
    c.plugin("broken_import", "raise RuntimeError('broken')\n")
    expect(c.run("--plugin", "broken_import", "--list-rules"), 3)
    expect(c.run("rules", "--plugin", "broken_import"), 2, 3)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-k", default="", help="only cases whose name contains this")
    args = parser.parse_args(argv)
    cases = [(name, fn) for name, fn in sorted(globals().items()) if name[:1] == "d" and name[1:3].isdigit()
             and args.k in name]
    failures = 0
    for name, fn in cases:
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="fazhi-replay-") as tmp:
            try:
                fn(Case(tmp))
                verdict = "ok"
            except Exception as exc:  # report and go on with the other cases
                failures += 1
                verdict = f"FAILED: {type(exc).__name__}: {str(exc)[:400]}"
            finally:
                for folder, _dirs, _files in os.walk(tmp):
                    os.chmod(folder, 0o700)
        print(f"{name:<34} {time.monotonic() - started:6.1f} s  {verdict}", flush=True)
    print(f"{len(cases) - failures} of {len(cases)} cases ok", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
