"""Fault injection, part 2: hostile inputs run through the real command in a subprocess with a time
limit each: devices and FIFOs, symlinks out of the tree, hostile and non-UTF-8 file names, formula
cells, report text that breaks lines, invisible characters, damaged encodings, the same file twice,
malformed configuration and waiver files, non-finite numbers, a document build that hangs. Each
case asserts an honest exit code, output that parses and no traceback (tests/test_faults.py has
the helpers and part 1: workers, plugins, writes, signals).
"""
import csv
import io
import json
import os
import time

import pytest

from .cli_helpers import GOOD_REPORT, bad_text, good_text, write
from .test_faults import RULE_TEMPLATE, _no_traceback, _plugin, _run


# ---------------------------------------------------------------------- hostile names and values
def test_a_file_name_that_is_not_utf8_gives_valid_utf8_outputs(tmp_path):
    folder = os.fsencode(str(tmp_path / "inbox"))
    os.makedirs(folder)
    name = folder + b"/bad\xff\xfe-name.txt"
    with open(name, "wb") as handle:
        handle.write(bad_text().encode("utf-8"))
    proc = _run("--format", "json", tmp_path / "inbox")
    _no_traceback(proc)
    data = json.loads(proc.stdout.decode("utf-8"))          # strict UTF-8
    assert "\\xff\\xfe" in data["files"][0]["path"]
    for fmt in ("sarif", "junit", "csv", "github", "text", "html"):
        out = tmp_path / f"out.{fmt}"                       # outside the folder checked
        proc = _run("--format", f"{fmt}:{out}", tmp_path / "inbox")
        assert proc.returncode == 1, (fmt, proc.stderr)
        out.read_bytes().decode("utf-8")


@pytest.mark.parametrize("value", [".inf", ".nan", "-1", "true"])
def test_a_weight_that_is_not_a_finite_number_is_a_rule_error(tmp_path, value):
    rule = write(tmp_path / "w.yaml", RULE_TEMPLATE.format(kind="existence").replace(
        "    examples:", f"    weight: {value}\n    params: {{patterns: [示例触发]}}\n    examples:"))
    proc = _run("--rules", rule, "--format", "json", GOOD_REPORT)
    err = _no_traceback(proc)
    assert proc.returncode == 2 and f"{rule}:2" in err and "weight" in err
    json.loads(proc.stdout)


def test_a_nan_threshold_is_refused(tmp_path):
    write(tmp_path / ".fazhi-lint.yaml", "thresholds: {FZ-C02: {max: .nan}}\n")
    report = write(tmp_path / "r.txt", good_text())
    proc = _run(report)
    assert proc.returncode == 2 and "FZ-C02" in _no_traceback(proc)


# ---------------------------------------------------------------------- devices named on the command line
def test_a_device_or_fifo_named_on_the_command_line_is_an_input_error(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for target in ("/dev/zero", "/dev/urandom", str(fifo)):
        proc = _run("--format", "json", target, timeout=30)
        assert proc.returncode == 2, target                   # never "0 reports checked, exit 0"
        assert "不是普通文件" in _no_traceback(proc)
        assert json.loads(proc.stdout)["files"][0]["error"].startswith("不是普通文件")
    folder = tmp_path / "inbox"
    write(folder / "a.txt", good_text())
    os.rename(fifo, folder / "pipe.txt")                       # inside a folder: skipped, the rest checked
    proc = _run("--format", "json", folder, timeout=30)
    assert proc.returncode in (0, 1) and len(json.loads(proc.stdout)["files"]) == 1


# ---------------------------------------------------------------------- hostile names on standard error
def test_hostile_file_names_are_escaped_on_standard_error(tmp_path):
    folder = os.fsencode(str(tmp_path / "inbox"))
    os.makedirs(folder)
    os.mkfifo(folder + b"/a\nfake.txt:1:1: FZ-X \x1b[31mred\xff\xe2\x80\xae.txt")
    with open(folder + b"/b\x1b]0;title\x07\xfe.exe", "w") as handle:
        handle.write("x")
    write(tmp_path / "inbox" / "r.txt", good_text())
    missing = str(tmp_path / "gone\n\x1b[2J.txt")
    for fmt in ("json", "text"):
        proc = _run("--format", fmt, tmp_path / "inbox", missing)
        err = _no_traceback(proc)
        assert proc.returncode == 2
        assert not any(ch in err for ch in "\x1b\x07\r\u202e\udcff\udcfe"), err
        lines = [line for line in err.splitlines() if line.strip()]
        assert all(line.startswith("fazhi-lint: ") for line in lines), lines     # no forged line
        assert "gone\\x0a\\x1b[2J.txt" in err
        skipped = err if fmt == "json" else proc.stdout.decode("utf-8")   # text lists skipped files itself
        assert "a\\x0afake.txt:1:1: FZ-X \\x1b[31mred\\xff\\u202e.txt: 已跳过" in skipped
        assert not any(ch in skipped for ch in "\x1b\x07\u202e\udcff"), skipped


# ---------------------------------------------------------------------- building the document, in process
def test_a_hanging_document_build_is_bounded_with_one_job(tmp_path):
    """-j 1 has no parent process to kill a stuck worker: reading and building the document has a
    budget of its own (FAZHI_LINT_BUILD_TIMEOUT), the rules keep theirs, the other reports their results."""
    body = """\
        from checker import hookimpl

        class Stuck:
            name, suffixes, library = "stuck", (".stuck",), "test"

            def read(self, data, name):
                while True:
                    pass

        @hookimpl
        def fazhi_lint_readers():
            return [Stuck()]
        """
    folder = _plugin(tmp_path, "stuck_reader", body)
    inbox = tmp_path / "inbox"
    for name in ("a.txt", "b.stuck", "c.txt"):
        write(inbox / name, good_text())
    started = time.monotonic()
    proc = _run("--plugin", "stuck_reader", "-j", "1", "--format", "json", inbox, plugin_folder=folder,
                FAZHI_LINT_BUILD_TIMEOUT="2", timeout=60)
    assert time.monotonic() - started < 40
    _no_traceback(proc)
    assert proc.returncode == 3
    files = {os.path.basename(f["path"]): f for f in json.loads(proc.stdout)["files"]}
    assert [f["rule"] for f in files["b.stuck"]["findings"]] == ["FZ-X02"]
    assert files["a.txt"]["score"] is not None and files["c.txt"]["score"] is not None


def test_a_catastrophic_plugin_deletion_pattern_is_stopped(tmp_path):
    body = ("import re\nfrom checker import hookimpl\n\n@hookimpl\n"
            "def fazhi_lint_normalise_patterns():\n    return [re.compile('(a|aa)+b')]\n")
    folder = _plugin(tmp_path, "slow_pattern", body)
    report = write(tmp_path / "r.txt", good_text() + "\n" + "a" * 60 + "\n")
    started = time.monotonic()
    proc = _run("--plugin", "slow_pattern", "-j", "1", "--format", "json", report, plugin_folder=folder, timeout=60)
    assert time.monotonic() - started < 30                # regex's own timeout alone took minutes
    _no_traceback(proc)
    assert proc.returncode == 3
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    assert any(f["rule"] == "FZ-X02" and "删除正则" in f["message"] for f in findings)


def test_normalising_a_report_of_invisible_characters_stays_small():
    """One deletion every other character: the matching view and its offset map stay a small multiple of
    the text (a list of pieces and lists of int objects were ~45x the file size)."""
    import tracemalloc

    from checker.document.normalise import normalise

    unit = "法\u00ad制\u200b政\u202e府\ufe0f"
    text = unit * 40_000
    size = len(text.encode("utf-8"))
    tracemalloc.start()
    try:
        norm = normalise(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert norm.text.startswith("法制政府法制政府")
    assert norm.offsets.span_to_original(4, 8) == (len(unit), len(unit) + 7)   # the second 法制政府, as written
    assert peak < 15 * size, peak / size


# ---------------------------------------------------------------------- the remaining defects of issue 11, as commands
def test_symlinks_out_of_the_tree_leak_nothing_in_any_format(tmp_path):
    secret = write(tmp_path / "outside" / "secret.txt", "2023年法治政府建设年度报告\nSECRET-TOKEN-4711\n")
    inbox = tmp_path / "inbox"
    write(inbox / "a.txt", good_text())
    os.symlink(secret, inbox / "x.txt")
    os.symlink(os.path.dirname(secret), inbox / "dir")
    for fmt in ("json", "sarif", "junit", "csv", "github", "text"):
        proc = _run("--format", fmt, inbox)
        err = _no_traceback(proc)
        assert proc.returncode in (0, 1), (fmt, err)
        assert b"SECRET-TOKEN" not in proc.stdout and "SECRET-TOKEN" not in err, fmt


def test_csv_from_the_command_has_no_formula_cell(tmp_path):
    title = "=HYPERLINK(\"http://x\",\"点我\")区人民政府2023年法治政府建设年度报告\n"
    report = write(tmp_path / "@evil.txt", title + bad_text())
    proc = _run("--format", "csv", report)
    _no_traceback(proc)
    rows = list(csv.reader(io.StringIO(proc.stdout.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert len(rows) > 1 and not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


def test_report_text_cannot_break_the_commands_line_output(tmp_path):
    hostile = "\r\x1b[2J\x1b]8;;http://x\x07\u2028\u0085\u202e"
    report = write(tmp_path / "r.txt", bad_text().replace("法制政府", "法制政府" + hostile, 1))
    for args in (("--no-color",), ("--format", "github"), ("--output-format", "full", "--no-color")):
        proc = _run(*args, report)
        _no_traceback(proc)
        out = proc.stdout.decode("utf-8")
        assert proc.returncode == 1 and not any(ch in out for ch in "\r\x1b\u2028\u0085\u202e"), args


@pytest.mark.parametrize("invisible", ["\u00ad", "\u180e", "\u200f", "\u202e", "\ufe0f", "\U000e0041"])
def test_an_invisible_character_does_not_hide_a_key_term_from_the_command(tmp_path, invisible):
    report = write(tmp_path / "r.txt", bad_text().replace("法制政府", "法" + invisible + "制政府", 1))
    proc = _run("--format", "json", "--select", "FZ-W01", report)
    _no_traceback(proc)
    assert proc.returncode == 1
    assert "FZ-W01" in [f["rule"] for f in json.loads(proc.stdout)["files"][0]["findings"]]


def test_damaged_encodings_are_read_leniently_by_the_command(tmp_path):
    data = bad_text().encode("utf-8")
    cases = {"stray.txt": data[:300] + b"\xff" + data[300:],
             "mixed.txt": b"\n".join(line.encode("gb18030") if i % 4 == 1 else line.encode("utf-8")
                                     for i, line in enumerate(bad_text().split("\n"))),
             "utf16.txt": bad_text().encode("utf-16-le") + b"\x00"}
    for name, raw in cases.items():
        (tmp_path / name).write_bytes(raw)
    proc = _run("--format", "json", *(tmp_path / name for name in cases))
    _no_traceback(proc)
    files = json.loads(proc.stdout)["files"]
    assert proc.returncode == 1 and len(files) == 3
    for entry in files:
        rules = [f["rule"] for f in entry["findings"]]
        assert entry["error"] is None and "FZ-W01" in rules, entry["path"]
    assert "FZ-X06" in [f["rule"] for f in files[0]["findings"]]


def test_the_same_file_twice_is_checked_once_and_listing_rules_fails_with_a_broken_plugin(tmp_path):
    report = write(tmp_path / "r.txt", bad_text())
    proc = _run("--format", "json", report, report, str(tmp_path) + "/./r.txt")
    _no_traceback(proc)
    assert proc.returncode == 1 and len(json.loads(proc.stdout)["files"]) == 1
    folder = _plugin(tmp_path, "broken_at_import", "raise RuntimeError('broken')\n")
    for first in ("--list-rules", "rules"):
        listing = _run(first, "--plugin", "broken_at_import", plugin_folder=folder)
        _no_traceback(listing)
        assert listing.returncode == 3, first


def test_malformed_configuration_and_waivers_are_exit_2_with_a_place(tmp_path):
    toml_dir = tmp_path / "toml"
    os.makedirs(toml_dir / "sub")
    (toml_dir / "pyproject.toml").write_bytes(b"[project]\nname = \"\xff\xfe\"\n")
    proc = _run("--format", "json", write(toml_dir / "sub" / "r.txt", good_text()))
    _no_traceback(proc)
    assert proc.returncode in (0, 1)                         # not ours: ignored
    write(tmp_path / "key" / ".fazhi-lint.yaml", "1: x\n")
    write(tmp_path / "sup" / "fazhi-lint-suppressions.yaml", "suppressions: []\n1: 2\n")
    for folder in ("key", "sup"):
        proc = _run(write(tmp_path / folder / "r.txt", good_text()))
        assert proc.returncode == 2, folder
        _no_traceback(proc)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    proc = _run("--baseline", deep, GOOD_REPORT)
    assert proc.returncode == 2 and "deep.json" in _no_traceback(proc)
    dates = write(tmp_path / "dates.yaml", "suppressions:\n  - rule: FZ-W02\n    reason: x\n    expires: 2024-02-30\n")
    proc = _run("--suppressions", dates, GOOD_REPORT)
    assert proc.returncode == 2 and "dates.yaml:4" in _no_traceback(proc)
    when = write(tmp_path / "when.yaml", RULE_TEMPLATE.format(kind="existence").replace(
        "    examples:", "    when: {elements: 5}\n    params: {patterns: [示例触发]}\n    examples:"))
    proc = _run("--rules", when, GOOD_REPORT)
    assert proc.returncode == 2 and "when" in _no_traceback(proc)


def test_a_same_size_edit_with_the_old_mtime_is_not_a_stale_rule(tmp_path):
    rule_text = RULE_TEMPLATE.format(kind="existence").replace(
        "    examples:", "    params: {patterns: [示例触发]}\n    examples:")
    rule = write(tmp_path / "rule.yaml", rule_text)
    report = write(tmp_path / "r.txt", good_text() + "\n注入故障\n")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    first = json.loads(_run("--rules", rule, "--format", "json", "--select", "TF-X01", report, **env).stdout)
    stamp = os.stat(rule)
    write(rule, rule_text.replace("params: {patterns: [示例触发]}", "params: {patterns: [注入故障]}")
          .replace("fire: [示例触发]", "fire: [注入故障]"))
    assert os.path.getsize(rule) == stamp.st_size
    os.utime(rule, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    second = _run("--rules", rule, "--format", "json", "--select", "TF-X01", report, **env)
    _no_traceback(second)
    found = lambda data: [f["rule"] for f in data["files"][0]["findings"]]   # noqa: E731
    assert "TF-X01" not in found(first) and "TF-X01" in found(json.loads(second.stdout))
