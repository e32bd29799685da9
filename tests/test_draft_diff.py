"""``fazhi-lint diff OLD NEW``: a draft and its resubmission, findings matched by their words."""
import json
import os

import pytest

from tests.cli_helpers import SEEDS, run, write

SEED = os.path.join(SEEDS, "004_b0c9e18cd6c6e394.txt")


def _seed():
    with open(SEED, encoding="utf-8") as handle:
        return handle.read()


def _json(out):
    assert out.stdout, out.stderr
    return json.loads(out.stdout)


def _keys(findings):
    return sorted((f["rule"], f["excerpt"]) for f in findings)


def _check(path):
    out = run("check", path, "--format", "json", "--fail-on", "never")
    return json.loads(out.stdout)["files"][0]["findings"]


def test_corrected_draft_lists_exactly_the_fixed_findings(tmp_path):
    old_text = _seed()
    lines = old_text.split("\n")
    # The unit fixes two slips in one paragraph (line 23: 法制政府, the first 法制宣传 there) and adds a
    # paragraph near the top, which moves every later line; nothing else changes.
    assert "法制政府" in lines[22] and "法制宣传" in lines[22]
    lines[22] = lines[22].replace("法制政府", "法治政府").replace("法制宣传", "法治宣传", 1)
    lines.insert(12, "全年共收到群众意见建议若干条，均已办结。")
    old = write(tmp_path / "old.txt", old_text)
    new = write(tmp_path / "new.txt", "\n".join(lines))
    before, after = _check(old), _check(new)
    out = run("diff", old, new, "--format", "json")
    assert out.exit_code == 0
    data = _json(out)
    fixed = _keys(data["fixed"])
    assert fixed == [("FZ-W01", "法制政府"), ("FZ-W03", "法制宣传")]
    assert [f["line"] for f in data["fixed"]] == [23, 23]
    assert data["new_findings"] == []
    # everything else is still open, each with its old line (moved by one below the insertion)
    assert len(data["still_open"]) == len(before) - 2 == len(after)
    moved = [f for f in data["still_open"] if f["old_line"] > 12]
    assert moved and all(f["line"] == f["old_line"] + 1 for f in moved)


def test_new_finding_is_reported_and_can_gate_the_exit_code(tmp_path):
    old = write(tmp_path / "old.txt", _seed())
    new = write(tmp_path / "new.txt", _seed().replace("法制素养", "法治素养") + "\n我们将继续推进法制政府建设。\n")
    text = run("diff", old, new)
    assert text.exit_code == 0
    assert "已改正 1 条，新增 1 条" in text.stdout
    assert "FZ-W01" in text.stdout.split("新增：")[1].split("仍未改正")[0]
    gated = run("diff", old, new, "--fail-on-new")
    assert gated.exit_code == 1
    same = run("diff", old, old, "--fail-on-new", "--format", "json")
    assert same.exit_code == 0 and _json(same)["summary"]["fixed"] == 0 and _json(same)["summary"]["new"] == 0


def test_two_identical_slips_in_one_paragraph_one_fixed(tmp_path):
    head = "某县司法局2023年度法治政府建设情况报告\n\n一、主要工作\n"
    para = "全年开展法制宣传活动12场，法制宣传覆盖全县。"
    old = write(tmp_path / "old.txt", head + para + "\n")
    new = write(tmp_path / "new.txt", head + para.replace("法制宣传", "法治宣传", 1) + "\n")
    data = _json(run("diff", old, new, "--format", "json", "--select", "FZ-W03"))
    assert data["summary"] == {"fixed": 1, "new": 0, "still_open": 1}
    assert data["fixed"][0]["column"] == 5 and data["still_open"][0]["column"] == 15


@pytest.mark.parametrize("bad", ["missing.txt", "empty.txt"])
def test_unreadable_draft_is_a_usage_error_without_traceback(tmp_path, bad):
    old = write(tmp_path / "old.txt", _seed())
    write(tmp_path / "empty.txt", "")
    out = run("diff", old, str(tmp_path / bad))
    assert out.exit_code == 2 and "Traceback" not in out.stdout + out.stderr


def test_diff_after_fix_lists_exactly_what_fix_corrected(tmp_path):
    """The corrected draft made by ``--fix`` (an independent tool): every finding it removed is
    listed as fixed, nothing as new, everything else as still open."""
    from collections import Counter

    old = write(tmp_path / "old" / "r.txt", _seed())
    new = write(tmp_path / "new" / "r.txt", _seed())
    run("check", new, "--fix", "--fail-on", "never")
    before, after = Counter(f["rule"] for f in _check(old)), Counter(f["rule"] for f in _check(new))
    data = _json(run("diff", old, new, "--format", "json"))
    assert data["new_findings"] == []
    assert Counter(f["rule"] for f in data["fixed"]) == before - after
    assert len(data["fixed"]) == 6 and len(data["still_open"]) == sum(after.values())


def test_html_diff_page_escapes_report_text(tmp_path):
    head = "某县司法局2023年度法治政府建设情况报告\n\n一、主要工作\n"
    old = write(tmp_path / "old<i>.txt", head + "全年开展法制宣传活动12场，印发《关于<b>的通知》。\n")
    new = write(tmp_path / "new.txt", head + "全年开展法治宣传活动12场，印发《关于<b>的通知》。\n")
    out = run("diff", old, new, "--format", "html", "--select", "FZ-W03")
    assert out.exit_code == 0 and out.stdout.startswith("<!DOCTYPE html>")
    assert "<i>" not in out.stdout and "old&lt;i&gt;.txt" in out.stdout
    assert "已改正 1 条" in out.stdout and "新增 0 条" in out.stdout and "仍未改正 0 条" in out.stdout
    assert out.stdout.count("FZ-W03") == 1
