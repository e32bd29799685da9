"""--format xlsx: four sheets an office can filter, equal to the JSON of the same run, no formula injection."""
import json
import zipfile

import openpyxl

from checker.outputs.workbook import render_xlsx
from checker.records import Finding, Result

from .cli_helpers import copy_seeds, run

SHEETS = ["排名", "要素", "问题清单", "数据"]


def _both(tmp_path):
    seeds = copy_seeds(tmp_path / "seeds")
    book, as_json = tmp_path / "r.xlsx", tmp_path / "r.json"
    out = run("check", seeds, "--format", f"xlsx:{book}", "--format", f"json:{as_json}")
    assert out.exit_code in (0, 1), out.stderr
    return openpyxl.load_workbook(book), json.loads(as_json.read_text("utf-8"))


def _rows(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_sheets_headers_frozen_filters_and_widths(tmp_path):
    wb, _ = _both(tmp_path)
    assert wb.sheetnames == SHEETS
    for ws in wb:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        header = [c.value for c in ws[1]]
        assert all(h and any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in header), header   # Chinese headers
        assert all(ws.column_dimensions[col].width and ws.column_dimensions[col].width > 5 for col in "AB")


def test_ranking_matrix_and_findings_equal_the_json(tmp_path):
    wb, data = _both(tmp_path)
    files = data["files"]
    ranking = _rows(wb["排名"])[1:]
    expected = sorted(files, key=lambda f: -f["score"])
    assert [r[1] for r in ranking] == [f["meta"]["unit"] for f in expected]
    assert [r[4] for r in ranking] == [f["score"] for f in expected]
    assert [r[0] for r in ranking] == [1, 2, 3, 4, 5]
    for row, report in zip(ranking, expected):
        assert row[5:8] == [sum(1 for x in report["findings"] if x["severity"] == s) for s in ("error", "warning", "info")]
    matrix = _rows(wb["要素"])
    keys = ["measures_and_results", "shortcomings", "causes", "first_responsible_person", "next_year_plan"]
    by_unit = {f["meta"]["unit"]: f for f in files}
    for row in matrix[1:]:
        elements = by_unit[row[0]]["elements"]
        assert row[1:6] == ["✓" if elements[k] not in (False, None, "none") else "✗" for k in keys]
    findings = _rows(wb["问题清单"])[1:]
    listed = [r for r in findings if r[3]]
    assert sorted((r[1], r[9], r[10], r[3]) for r in listed) == sorted(
        (f["path"], x["line"], x["column"], x["rule"]) for f in files for x in f["findings"] if x["severity"] != "info")
    assert {r[5] for r in listed} <= {"错误", "警告"}
    for report in files:                                     # each report: errors, then warnings, in text order
        rows = [r for r in listed if r[1] == report["path"]]
        keys = [(("错误", "警告").index(r[5]), r[9], r[10]) for r in rows]
        assert keys == sorted(keys)
        hints = sum(1 for x in report["findings"] if x["severity"] == "info")
        folded = [r for r in findings if r[1] == report["path"] and not r[3]]
        assert [r[6] for r in folded] == ([f"另有 {hints} 条提示（加 --min-severity info 列出）"] if hints else [])
    facts = _rows(wb["数据"])[1:]
    assert sum(1 for r in facts if r[3]) == sum(len(f["facts"]) for f in files)


def test_every_hint_listed_with_min_severity_info(tmp_path):
    seeds = copy_seeds(tmp_path / "seeds")
    book, as_json = tmp_path / "r.xlsx", tmp_path / "r.json"
    run("check", seeds, "--min-severity", "info", "--format", f"xlsx:{book}", "--format", f"json:{as_json}")
    rows = _rows(openpyxl.load_workbook(book)["问题清单"])[1:]
    files = json.loads(as_json.read_text("utf-8"))["files"]
    assert all(r[3] for r in rows) and len(rows) == sum(len(f["findings"]) for f in files)


def test_print_setup_a4_landscape_one_page_wide_header_repeated_text_wrapped(tmp_path):
    wb, _ = _both(tmp_path)
    for ws in wb:
        setup = ws.page_setup
        assert setup.paperSize == 9 and setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1) and setup.fitToHeight == 0
        assert ws.print_title_rows.replace("$", "") == "1:1", ws.title
    sheet = wb["问题清单"]
    widths = {c: sheet.column_dimensions[c].width for c in "GLH"}
    assert all(w >= 30 for w in widths.values())
    for row in sheet.iter_rows(min_row=2, max_row=6):
        for cell in (row[6], row[11]):                      # 问题, 修改建议: wrapped
            if cell.value:
                assert cell.alignment.wrap_text, cell.coordinate


def test_categories_and_words_are_chinese(tmp_path):
    wb, _ = _both(tmp_path)
    cells = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    words = {"other", "warning", "error", "info", "government", "department", "town", "zone"}
    assert not [c for c in cells if c.strip().lower() in words]


def test_cells_starting_with_formula_characters_stay_text(tmp_path, ruleset):
    bad = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3+4", "@SUM(A1:A2)"]
    finding = Finding(rule="FZ-W01", severity="error", message=bad[1], hint=bad[3], basis="依据",
                      line=1, column=1, end_line=1, end_column=3, excerpt=bad[2])
    result = Result(path="r.txt", score=50.0, meta={"unit": bad[0], "report_year": 2023}, findings=[finding])
    path = tmp_path / "x.xlsx"
    path.write_bytes(render_xlsx([result], {"ruleset": ruleset}))
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value[:1] in "=+-@"]
    assert {c.value for c in risky} >= set(bad)
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)
