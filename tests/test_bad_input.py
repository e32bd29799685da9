"""Bad input never produces a traceback: each case gives a clear message and the documented exit code."""
import json

import opencc
import pytest

from .cli_helpers import run as cli_run
from .conftest import seed_path

SEED0 = seed_path("000_aa44ca5054db8c02.txt")
SEED1 = seed_path("001_463db61ea62b21f3.txt")


def run(*args):
    result = cli_run(*args)            # an exception other than SystemExit propagates and fails the test
    assert "Traceback" not in result.output
    return result


def run_json(*args):
    result = run("--format", "json", *args)
    return result, json.loads(result.stdout)


@pytest.mark.parametrize("content, reason", [
    (b"", "文件为空"),
    (b"\x00\x01\x02binary\x00" * 200, "二进制"),
    (b"   \n\n  \t\n", "没有正文"),
])
def test_unreadable_file_is_reported_and_exit_2(tmp_path, content, reason):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result, data = run_json(str(bad), SEED0)
    assert result.exit_code == 2
    by_path = {f["path"]: f for f in data["files"]}
    assert reason in by_path[str(bad)]["error"]
    assert by_path[SEED0]["error"] is None and by_path[SEED0]["score"] is not None  # the batch goes on


def test_missing_path_is_an_error_entry_and_exit_2():
    result, data = run_json("no/such/report.txt", SEED0)
    assert result.exit_code == 2
    assert data["files"][-1] == {**data["files"][-1], "path": "no/such/report.txt", "error": "文件或目录不存在"}
    assert "文件或目录不存在" in result.stderr


def test_folder_without_reports(tmp_path):
    result = run(str(tmp_path))
    assert result.exit_code == 2
    assert "没有报告文件" in result.stderr


def test_no_paths_is_a_usage_error():
    assert run().exit_code == 2


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "big5"])
def test_reencoded_seed_gives_the_same_findings(tmp_path, encoding):
    seed = {"big5": SEED1, "gbk": seed_path("002_3ec005597ce203f5.txt")}.get(encoding, SEED0)
    text = open(seed, encoding="utf-8").read()
    if encoding == "big5":
        text = text.replace("(guān)", "")  # keep it encodable; positions are compared on the same text
    original = tmp_path / "utf8.txt"
    original.write_text(text, encoding="utf-8")
    other = tmp_path / f"{encoding}.txt"
    other.write_bytes(text.encode(encoding, errors="strict" if encoding != "big5" else "replace"))
    _, a = run_json(str(original))
    _, b = run_json(str(other))
    assert b["files"][0]["error"] is None
    assert b["files"][0]["meta"]["encoding"].replace("_", "-") in {encoding, "utf-16-le" if encoding == "utf-16" else encoding,
                                                                     "gb18030", "utf-8-sig"}

    def strip(d):
        return [(f["rule"], f["line"], f["column"]) for f in d["files"][0]["findings"]]

    if encoding != "big5":
        assert strip(a) == strip(b)
    assert a["files"][0]["elements"] == b["files"][0]["elements"]


def test_crlf_line_endings_keep_positions(tmp_path):
    text = open(SEED1, encoding="utf-8").read()
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    _, a = run_json(SEED1)
    _, b = run_json(str(crlf))

    def strip(d):
        return [(f["rule"], f["line"], f["column"], f["excerpt"]) for f in d["files"][0]["findings"]]

    assert strip(a) == strip(b)


def test_huge_file_over_the_limit_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(("法治政府建设" * 1000 + "\n").encode("utf-8") * 60)  # ~1 MB
    result, data = run_json("--max-size", "0.5", str(big))
    assert result.exit_code == 2
    assert "文件过大" in data["files"][0]["error"]


def test_broken_yaml_rule_file_names_file_and_line(tmp_path):
    rules = tmp_path / "broken.yaml"
    rules.write_text("rules:\n  - id: LOC-A01\n    title: [broken\n", encoding="utf-8")
    result = run("--rules", str(rules), SEED0)
    assert result.exit_code == 2
    assert f"{rules}:4:" in result.stderr and "YAML" in result.stderr
    assert "FZ-C01" in result.stdout          # the national rules still ran


def test_invalid_regex_names_the_rule(tmp_path):
    rules = tmp_path / "badre.yaml"
    rules.write_text(
        "rules:\n"
        "  - id: LOC-A01\n"
        "    title: bad regex\n"
        "    severity: warning\n"
        "    check: existence\n"
        "    params: {patterns: ['法治(政府']}\n"
        "    message: m\n    hint: h\n    basis: b\n"
        "    examples: {fire: ['法治政府'], pass: ['x']}\n", encoding="utf-8")
    result = run("--rules", str(rules), SEED0)
    assert result.exit_code == 2
    assert f"{rules}:2: LOC-A01:" in result.stderr and "正则" in result.stderr


def test_rule_failing_its_own_examples_is_caught_by_test_rules_not_by_a_check(tmp_path):
    """Examples are tests: ``fazhi-lint test-rules`` (and a pack's CI) runs them and fails; a user's
    check does not spend its start-up on them, and the rule loads."""
    rules = tmp_path / "wrong.yaml"
    rules.write_text(
        "rules:\n"
        "  - id: LOC-A02\n"
        "    title: wrong examples\n"
        "    severity: warning\n"
        "    check: existence\n"
        "    params: {patterns: ['法制政府']}\n"
        "    message: m\n    hint: h\n    basis: b\n"
        "    examples: {fire: ['法治政府'], pass: ['法治政府']}\n", encoding="utf-8")
    tested = run("test-rules", str(rules))
    assert tested.exit_code == 1
    assert "LOC-A02" in tested.output and "fire[0]" in tested.output
    listed = run("--rules", str(rules), "--list-rules")
    assert listed.exit_code == 0 and "LOC-A02" in listed.stdout


@pytest.mark.parametrize("raw, problem", [
    ("rules:\n  - id: bad id\n", "id"),
    ("rules:\n  - {id: LOC-A03, title: t, severity: fatal, check: existence, message: m, hint: h, basis: b, examples: {fire: [a], pass: [b]}}\n", "severity"),
    ("rules:\n  - {id: LOC-A04, title: t, severity: error, check: nosuchkind, message: m, hint: h, basis: b, examples: {fire: [a], pass: [b]}}\n", "检查类型"),
    ("rules:\n  - {id: LOC-A05, title: t, severity: error, check: existence, params: {patterns: [x]}, message: m, hint: h, basis: b}\n", "examples"),
    ("rules:\n  - {id: LOC-A06, title: t, severity: error, check: existence, params: {patterns: [x], colour: red}, message: m, hint: h, basis: b, examples: {fire: [x], pass: [y]}}\n", "colour"),
    ("rules:\n  - {id: LOC-A07, title: t, severity: error, check: existence, scope: appendix, params: {patterns: [x]}, message: m, hint: h, basis: b, examples: {fire: [x], pass: [y]}}\n", "scope"),
    ("- just a list\n", "rules"),
    ("rules:\n  - !!python/object/apply:os.system ['echo pwned']\n", "YAML"),
])
def test_invalid_rule_files_are_reported(tmp_path, raw, problem):
    rules = tmp_path / "r.yaml"
    rules.write_text(raw, encoding="utf-8")
    result = run("--rules", str(rules), "--list-rules")
    assert result.exit_code == 2
    assert str(rules) in result.stderr and problem in result.stderr


@pytest.mark.parametrize("params, parameter", [
    ("{patterns: ['加强'], max: 5, min_chars: '150'}", "min_chars"),       # a number written as text
    ("{patterns: ['加强'], max: 5, per_chars: [1000]}", "per_chars"),
    ("{patterns: 12, max: 5}", "patterns"),
])
def test_wrongly_typed_parameter_is_a_rule_error_at_file_line(tmp_path, params, parameter):
    rules = tmp_path / "typed.yaml"
    rules.write_text(
        "rules:\n"
        "  - id: LOC-D01\n"
        "    title: typed\n"
        "    severity: warning\n"
        "    check: density\n"
        f"    params: {params}\n"
        "    message: m\n    hint: h\n    basis: b\n"
        "    examples: {fire: ['加强加强'], pass: ['无']}\n", encoding="utf-8")
    result = run("--rules", str(rules), SEED0)
    assert result.exit_code == 2                       # a data error, not an internal error (3)
    assert f"{rules}:2: LOC-D01: 参数 {parameter} 应是" in result.stderr
    assert "FZ-X01" not in result.stdout + result.stderr


def test_traditional_conversion_of_a_simplified_seed_keeps_elements(tmp_path):
    text = open(SEED0, encoding="utf-8").read()
    trad = tmp_path / "trad.txt"
    trad.write_text(opencc.OpenCC("s2t").convert(text), encoding="utf-8")
    _, a = run_json(SEED0)
    _, b = run_json(str(trad))
    assert b["files"][0]["meta"]["script"] == "traditional"
    assert a["files"][0]["elements"] == b["files"][0]["elements"]
    assert "FZ-C02" in {f["rule"] for f in b["files"][0]["findings"]}
