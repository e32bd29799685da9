"""Baselines: --write-baseline records today's findings; --baseline reports only new ones."""
import json
import os
from collections import Counter

from tests.cli_helpers import copy_seeds, run, write


def _findings(out):
    return [(os.path.basename(fi["path"]), f["rule"]) for fi in json.loads(out.stdout)["files"] for f in fi["findings"]]


def test_write_then_apply_baseline(tmp_path):
    seeds = copy_seeds(tmp_path / "reports")
    base = tmp_path / "fazhi-lint-baseline.json"
    before = run("check", seeds, "--format", "json")
    found = _findings(before)
    assert before.exit_code == 1 and {"FZ-S03", "FZ-W01", "FZ-C01"} <= {rule for _, rule in found}
    written = run("check", seeds, "--write-baseline", base)
    assert written.exit_code == 0 and f"：{len(found)} 条" in written.stderr
    data = json.loads(base.read_text(encoding="utf-8"))
    assert all(e["file"].startswith("reports/") for e in data["findings"])
    recorded = Counter((os.path.basename(e["file"]), e["rule"]) for e in data["findings"])
    assert recorded == Counter(found)                      # one entry per finding, nothing more
    after = run("check", seeds, "--baseline", base, "--format", "json")
    assert after.exit_code == 0 and _findings(after) == []


def test_baseline_survives_inserted_paragraph_and_reports_new_problems(tmp_path):
    seeds = copy_seeds(tmp_path / "reports")
    base = tmp_path / "b.json"
    run("check", seeds, "--write-baseline", base)
    path = os.path.join(seeds, "004_b0c9e18cd6c6e394.txt")
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    lines.insert(5, "今年新增的一段说明文字。")            # moves the old findings down a line
    lines.append("我们将继续推进法制政府建设。")                     # a new FZ-W01
    write(path, "\n".join(lines))
    out = run("check", seeds, "--baseline", base, "--format", "json")
    assert _findings(out) == [("004_b0c9e18cd6c6e394.txt", "FZ-W01")]
    (new,) = [f for fi in json.loads(out.stdout)["files"] for f in fi["findings"]]
    assert new["line"] == len(lines)
    assert out.exit_code == 1


def test_baseline_counts_duplicates(tmp_path):
    report = write(tmp_path / "r.txt", "清河县2023年度法治政府建设情况报告\n\n推进法制政府建设。\n")
    base = tmp_path / "b.json"
    run("check", report, "--select", "FZ-W01", "--write-baseline", base)
    write(report, "清河县2023年度法治政府建设情况报告\n\n推进法制政府建设。\n\n推进法制政府建设。\n")
    out = run("check", report, "--select", "FZ-W01", "--baseline", base, "--format", "json")
    assert _findings(out) == [("r.txt", "FZ-W01")]        # one entry absorbs one finding


def test_bad_baseline_file_is_exit_2(tmp_path):
    report = write(tmp_path / "r.txt", "清河县2023年度法治政府建设情况报告\n")
    for content in ("not json", '{"tool": "other", "findings": []}', '{"tool": "fazhi-lint", "findings": [{"x": 1}]}'):
        base = write(tmp_path / "b.json", content)
        out = run("check", report, "--baseline", base)
        assert out.exit_code == 2 and "b.json" in out.stderr
    assert run("check", report, "--baseline", tmp_path / "missing.json").exit_code == 2
