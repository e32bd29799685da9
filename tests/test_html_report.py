"""--format html: the office's review page, checked against the JSON of the same run and in a real browser."""
import json
import os
import re
import shutil
from html.parser import HTMLParser

from .browser import dump_dom, need_chromium, screenshot
from .cli_helpers import ROOT, copy_seeds, good_text, run

INJECTED_UNIT = '<script>alert(1)</script>"><img src=x onerror=alert(2)>区人民政府'


class Tables(HTMLParser):
    """Rows of every table with an id: a list of cell texts, plus each cell's attributes."""

    def __init__(self):
        super().__init__()
        self.tables, self.tags, self._table, self._row, self._cell = {}, [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "table" and attrs.get("id"):
            self._table = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ["", attrs]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append((self._cell[0].strip(), self._cell[1]))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[0] += data


def _run_both(folder, tmp_path):
    html, as_json = tmp_path / "r.html", tmp_path / "r.json"
    out = run("check", folder, "--format", f"html:{html}", "--format", f"json:{as_json}")
    assert out.exit_code in (0, 1), out.stderr
    return html.read_text("utf-8"), json.loads(as_json.read_text("utf-8"))


def _parse(page):
    parser = Tables()
    parser.feed(page)
    return parser


def test_ranking_and_matrix_equal_the_json_of_the_same_run(tmp_path):
    page, data = _run_both(copy_seeds(tmp_path / "seeds"), tmp_path)
    tables = _parse(page).tables
    ranking = [[text for text, _ in row] for row in tables["ranking-table"][1:]]
    files = data["files"]
    expected = sorted(files, key=lambda f: -f["score"])
    assert [row[1] for row in ranking] == [f["meta"]["unit"] for f in expected]
    for row, report in zip(ranking, expected):
        counts = {s: sum(1 for x in report["findings"] if x["severity"] == s) for s in ("error", "warning", "info")}
        assert float(row[4]) == report["score"] and row[3] == str(report["meta"]["report_year"])
        assert [int(row[5]), int(row[6]), int(row[7])] == [counts["error"], counts["warning"], counts["info"]]
    assert [int(row[0]) for row in ranking] == list(range(1, 6))          # the seeds have no tied scores
    matrix = tables["matrix-table"]
    parts = [cell[1]["data-part"] for cell in matrix[1][1:]]
    assert parts == ["measures_and_results", "shortcomings", "causes", "first_responsible_person", "next_year_plan"]
    by_unit = {f["meta"]["unit"]: f for f in files}
    for row in matrix[1:]:
        report = by_unit[row[0][0]]
        for (mark, attrs) in row[1:]:
            present = bool(report["elements"][attrs["data-part"]])
            assert mark == ("✓" if present else "✗")
            assert ("no" in attrs["class"].split()) == (not present)          # a missing part is the red cell
    assert len(matrix) - 1 == len(files)


def test_every_finding_is_listed_and_highlighted_in_its_report(tmp_path):
    page, data = _run_both(copy_seeds(tmp_path / "seeds"), tmp_path)
    total = sum(len(f["findings"]) for f in data["files"])
    links = re.findall(r'<a href="#(r\d+-f\d+)">', page)
    anchors = set(re.findall(r'<span class="anchor" id="(r\d+-f\d+)"></span>', page))
    assert len(links) == total and set(links) == anchors
    marks = re.findall(r'<mark class="([^"]*)"[^>]*>法制政府</mark>', page)
    assert any({"sev-error", "rule-FZ-W01"} <= set(m.split()) for m in marks)


def test_no_external_resource_or_url(tmp_path):
    page, _ = _run_both(copy_seeds(tmp_path / "seeds"), tmp_path)
    for tag, attrs in _parse(page).tags:
        for name in ("src", "href", "action", "data"):
            value = attrs.get(name)
            if value is not None:
                assert value.startswith("#") or value.startswith("data:"), (tag, name, value)
    assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}|@import|url\(", page, re.I)


def _injected_report(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    text = good_text()
    first, rest = text.split("\n", 1)
    body = f"{INJECTED_UNIT}2023年度法治政府建设情况报告\n{rest}\n在落实中存在法制政府提法<script>alert(3)</script>。\n"
    (folder / "inj.txt").write_text(body, encoding="utf-8")
    return folder


def test_script_injection_in_a_report_renders_as_text(tmp_path):
    page, data = _run_both(_injected_report(tmp_path), tmp_path)
    parsed = _parse(page)
    assert not [t for t, _ in parsed.tags if t == "img"]
    assert len([t for t, _ in parsed.tags if t == "script"]) == 1           # the page's own script only
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert "alert(3)" in page and "<script>alert(3)" not in page


def test_in_a_browser_units_highlight_no_console_error_and_screenshot(tmp_path):
    need_chromium()
    page, data = _run_both(copy_seeds(tmp_path / "seeds"), tmp_path)
    html = tmp_path / "r.html"
    dom, console = dump_dom(html, tmp_path / "profile")
    assert console == []
    for report in data["files"]:
        assert report["meta"]["unit"] in dom
    assert re.search(r'<mark class="[^"]*sev-error[^"]*"[^>]*>法制政府</mark>', dom)
    assert '<div class="controls" id="controls">' in dom                # the script ran: the filters are shown
    png = screenshot(html, tmp_path / "profile", str(tmp_path / "review.png"), height=3300)
    with open(png, "rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(head[16:20], "big") == 1200
    assert os.path.getsize(png) > 50_000                                  # not a blank page
    if os.environ.get("FAZHI_LINT_README_SCREENSHOT"):                      # refresh docs/img for the README
        shutil.copy(png, os.path.join(ROOT, "docs", "img", "review.png"))


def test_in_a_browser_injection_stays_text(tmp_path):
    need_chromium()
    run("check", _injected_report(tmp_path), "--format", f"html:{tmp_path / 'r.html'}")
    dom, console = dump_dom(tmp_path / "r.html", tmp_path / "profile")
    assert console == [] and "<img" not in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom


def test_the_console_check_catches_a_failing_script(tmp_path):
    """The browser check above can fail: a page whose script throws is caught."""
    need_chromium()
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><p>x</p><script>no_such_function();</script>", encoding="utf-8")
    _, console = dump_dom(bad, tmp_path / "profile")
    assert console and "no_such_function" in console[0]
