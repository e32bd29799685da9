"""--fix and --diff: the rules' declared mechanical fixes, written back byte for byte."""
import json
import os
import re

import pytest

from .cli_helpers import SEEDS, run

SEED_004 = os.path.join(SEEDS, "004_b0c9e18cd6c6e394.txt")
FIXED_RULES = ("FZ-W01", "FZ-W02", "FZ-W03")


def _findings(path, *extra):
    out = run("--format", "json", "--fail-on", "never", *extra, path)
    return json.loads(out.stdout)["files"][0]["findings"]


def _copy(tmp_path, name, text, encoding="utf-8", newline="\n", bom=b""):
    path = tmp_path / name
    path.write_bytes(bom + text.replace("\n", newline).encode(encoding))
    return str(path)


def _seed_text():
    with open(SEED_004, encoding="utf-8") as handle:
        return handle.read()


# Seed 004's six W01-W03 findings and what --fix must write: (text around the word, fixed form).
SEED_004_FIXES = [("提升法制素养", "提升法治素养"), ("12月4日法制宣传日", "12月4日国家宪法日"),
                  ("园区法制政府建设", "园区法治政府建设"), ("在区法制办的", "在区司法局的"),
                  ("。法制宣传教育", "。法治宣传教育"), ("办好法制宣传专栏", "办好法治宣传专栏")]


def _expected(text: str, convert=lambda s: s) -> str:
    for before, after in SEED_004_FIXES:
        assert text.count(convert(before)) == 1
        text = text.replace(convert(before), convert(after))
    return text


def _fix_and_compare(tmp_path, name, text, expected, encoding="utf-8", newline="\n", bom=b""):
    """--fix the report; its bytes must be exactly the expected text in the same encoding, line
    endings and BOM, and no W01-W03 finding may remain."""
    path = _copy(tmp_path, name, text, encoding, newline, bom)
    found = _findings(path)
    assert len([f for f in found if f["rule"] in FIXED_RULES]) == 6
    result = run("--fix", "--fail-on", "never", path)
    assert result.exit_code == 0, result.stderr
    assert "已修复 6 处（FZ-W01 ×1、FZ-W02 ×1、FZ-W03 ×4）" in result.stderr
    assert open(path, "rb").read() == bom + expected.replace("\n", newline).encode(encoding)
    assert not [f for f in _findings(path) if f["rule"] in FIXED_RULES]
    return path, found, result


def test_fix_on_seed_004_removes_w01_w03_and_changes_nothing_else(tmp_path):
    text = _seed_text()
    path, before, result = _fix_and_compare(tmp_path, "004.txt", text, _expected(text))
    # what remains is reported, and the other rules' findings did not move
    others = {(f["rule"], f["line"], f["column"]) for f in before if f["rule"] not in FIXED_RULES}
    assert {(f["rule"], f["line"], f["column"]) for f in _findings(path)} == others
    assert "FZ-S03" in result.stdout and "共修复 6 处" in result.stderr


def test_fix_keeps_gb18030_and_crlf(tmp_path):
    text = _seed_text()
    _fix_and_compare(tmp_path, "gb.txt", text, _expected(text), encoding="gb18030", newline="\r\n")


def test_fix_keeps_a_utf8_bom(tmp_path):
    text = _seed_text()
    _fix_and_compare(tmp_path, "bom.txt", text, _expected(text), bom=b"\xef\xbb\xbf")


def test_fix_writes_traditional_characters_in_a_traditional_report(tmp_path):
    opencc = pytest.importorskip("opencc")
    s2t = opencc.OpenCC("s2t").convert
    text = s2t(_seed_text())
    expected = _expected(text, s2t)
    assert "12月4日國家憲法日" in expected and "在區司法局的" in expected and "法治宣傳教育" in expected
    _fix_and_compare(tmp_path, "trad.txt", text, expected)


def test_diff_shows_exactly_the_fixes_and_writes_nothing(tmp_path):
    text = _seed_text()
    path = _copy(tmp_path, "004.txt", text, newline="\r\n")
    before = open(path, "rb").read()
    result = run("--diff", path)
    assert result.exit_code == 1
    assert open(path, "rb").read() == before
    diff = result.stdout_bytes.decode("utf-8")      # (click's .stdout folds CRLF)
    assert diff.startswith("--- a/") and "+++ b/" in diff
    old_lines, new_lines = text.split("\n"), _expected(text).split("\n")
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b]
    lines = re.findall(r"[^\n]*\n", diff)
    removed = [line[1:] for line in lines if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in lines if line.startswith("+") and not line.startswith("+++")]
    # exactly the lines that change, with their CRLF (the last line of the file has no line end)
    assert [r.rstrip("\r\n") for r in removed] == [old_lines[i] for i in changed]
    assert [a.rstrip("\r\n") for a in added] == [new_lines[i] for i in changed]
    assert all(line.endswith("\r\n") for line in removed[:-1] + added[:-1])
    assert "\\ No newline at end of file" in diff


def test_diff_with_nothing_to_fix_exits_0(tmp_path):
    path = _copy(tmp_path, "clean.txt", _seed_text().replace("法制", "法治"))
    result = run("--diff", "--select", "FZ-W01", path)
    assert result.exit_code == 0 and result.stdout == ""


def test_whitelist_and_unselected_rules_are_never_touched(tmp_path):
    text = _seed_text() + "\n严格落实重大执法决定法制审核制度。认真研究全国人大常委会法制工作委员会的答复意见。原区法制办的职责已整合。\n"
    path = _copy(tmp_path, "w.txt", text)
    run("--fix", "--ignore", "FZ-W02", "--fail-on", "never", path)
    new_text = open(path, encoding="utf-8").read()
    for kept in ("法制审核制度", "法制工作委员会", "原区法制办", "在区法制办的具体指导下"):
        assert kept in new_text
    assert "法制政府" not in new_text


def test_ambiguous_forms_have_no_fix(tmp_path):
    """法制办 without a level (司法局 or 司法厅?) and 法制工作领导小组 (领导小组 or 委员会?) stay findings."""
    text = _seed_text().replace("在区法制办", "在法制办") + "\n成立法制工作领导小组。省法制办公室来调研。\n"
    path = _copy(tmp_path, "a.txt", text)
    run("--fix", "--fail-on", "never", path)
    new_text = open(path, encoding="utf-8").read()
    assert "在法制办" in new_text and "成立法制工作领导小组" in new_text and "省司法厅来调研" in new_text
    left = sorted(f["excerpt"] for f in _findings(path) if f["rule"] in FIXED_RULES)
    assert left == ["法制办", "法制工作领导小组"]


def test_fix_leaves_no_temporary_file_and_keeps_the_mode(tmp_path):
    path = _copy(tmp_path, "m.txt", _seed_text())
    os.chmod(path, 0o640)
    run("--fix", "--fail-on", "never", path)
    assert os.listdir(tmp_path) == ["m.txt"]
    assert os.stat(path).st_mode & 0o777 == 0o640


@pytest.mark.parametrize("suffix", [".pdf", ".html", ".doc"])
def test_formats_without_byte_fixes_say_so(tmp_path, suffix):
    from checker.errors import FixError
    from checker.fixing.apply import FilePlan, fixed_bytes

    path = tmp_path / f"r{suffix}"
    path.write_text(_seed_text(), encoding="utf-8")
    with pytest.raises(FixError, match="暂不支持自动修复"):
        fixed_bytes(str(path), FilePlan(str(path), edits=[object()]))


def test_standard_input_is_diffed_but_never_written(tmp_path):
    from .cli_helpers import runner
    from checker.cli import main

    text = _seed_text()
    diff = runner().invoke(main, ["--diff", "-", "--stdin-filename", "报告.txt"], input=text.encode("utf-8"))
    assert diff.exit_code == 1 and "+++ b/报告.txt" in diff.stdout and "+2023年,园区法治政府" in diff.stdout
    (tmp_path / "报告.txt").write_text("不要动这个文件", encoding="utf-8")
    fixed = runner().invoke(main, ["--fix", "--fail-on", "never", "-", "--stdin-filename", str(tmp_path / "报告.txt")],
                            input=text.encode("utf-8"))
    assert "标准输入的报告不能写回" in fixed.stderr and fixed.exit_code == 2
    assert (tmp_path / "报告.txt").read_text(encoding="utf-8") == "不要动这个文件"


def _rule(fix, swap=None, check="substitution"):
    return {"id": "FZ-Z01", "title": "t", "severity": "warning", "check": check,
            "params": {"swap": swap or {"法制政府": "法治政府"}} if check == "substitution" else {"patterns": ["x"]},
            "fix": fix, "message": "m", "hint": "h", "basis": "b",
            "examples": {"fire": ["法制政府"], "pass": ["法治政府"]}}


@pytest.mark.parametrize("raw, error", [
    (_rule("法治政府", check="existence"), "不支持 fix"),
    (_rule("法治", swap={"法制政府": "法治政府", "法制宣传": "法治宣传"}), "只能有一个 swap"),
    (_rule({"法制教育": "法治教育"}), "不是本规则 swap"),
    (_rule("法制政府"), "修复后仍会报告"),
    (_rule({"法制政府": ""}), "非空文本"),
])
def test_invalid_fix_declarations_are_rule_errors(raw, error):
    from checker.checks.base import RuleError
    from checker.plugins import build_plugins
    from checker.rules.loader import build_rule

    with pytest.raises(RuleError, match=error):
        build_rule(raw, "x.yaml:1", "test", build_plugins().kinds())


def test_unified_diff_marks_a_missing_final_newline():
    from checker.fixing.apply import unified_diff

    diff = unified_diff("r.txt", "一\r\n法制政府", "一\r\n法治政府")
    assert diff.endswith("-法制政府\n\\ No newline at end of file\n+法治政府\n\\ No newline at end of file\n")
    assert re.search(r"^ 一\r\n", diff, re.M)
