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
            present = report["elements"][attrs["data-part"]] not in (False, None, "none")   # as the score reads it
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


COVER_LETTER = ("河西县司法局\n关于报送2023年度法治政府建设情况报告的函\n\n县委全面依法治县委员会办公室：\n"
                "    现将《河西县司法局2023年度法治政府建设情况报告》随文报送，请审阅。\n\n河西县司法局\n2024年2月26日\n")


def _inbox_with_strays(tmp_path):
    folder = copy_seeds(tmp_path / "inbox")
    (tmp_path / "inbox" / "报送函.txt").write_text(COVER_LETTER, encoding="utf-8")
    (tmp_path / "inbox" / "现场照片.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a report")
    return folder


def test_a_cover_letter_is_listed_with_its_reason_not_ranked(tmp_path):
    html = tmp_path / "r.html"
    out = run("check", _inbox_with_strays(tmp_path), "--format", f"html:{html}")
    assert out.exit_code == 2                                            # the cover letter: exit 2 for that file
    tables = _parse(html.read_text("utf-8")).tables
    ranked = [row[1][0] for row in tables["ranking-table"][1:]]
    assert len(ranked) == 5 and not [u for u in ranked if "河西县" in u]
    listed = {row[0][0]: row[1][0] for row in tables["not-checked-table"][1:]}
    assert listed["报送函.txt"].startswith("不是年度报告（这是报送函") and "不支持的格式" in listed["现场照片.jpg"]
    assert "河西县司法局" not in "".join(c for row in tables["matrix-table"] for c, _ in row)


def test_hints_are_folded_unless_min_severity_info(tmp_path):
    page, data = _run_both(copy_seeds(tmp_path / "seeds"), tmp_path)
    for n, report in enumerate(data["files"], 1):
        section = page.split(f'<section class="report" id="r{n}">')[1].split("</section>")[0]
        hints = sum(1 for f in report["findings"] if f["severity"] == "info")
        head = section.split("<details")[0]
        assert 'class="f-info"' not in head                                # the list shows errors and warnings
        severities = re.findall(r'<tr class="f-(error|warning)"', head)
        assert severities == sorted(severities, key=("error", "warning").index)   # errors first
        assert (f"另有 {hints} 条提示" in section) == bool(hints)
    listed = tmp_path / "all.html"
    run("check", copy_seeds(tmp_path / "s2"), "--min-severity", "info", "--format", f"html:{listed}")
    assert "<details" not in listed.read_text("utf-8") and "另有" not in listed.read_text("utf-8")


def test_frequent_problems_count_errors_and_warnings_only(tmp_path):
    page, data = _run_both(copy_seeds(tmp_path / "seeds"), tmp_path)
    rows = _parse(page).tables["problems-table"][1:]
    assert rows and {row[2][0] for row in rows} <= {"错误", "警告"}
    for row in rows:
        rule = row[0][0]
        assert int(row[3][0]) == sum(1 for f in data["files"] if any(
            x["rule"] == rule and x["severity"] != "info" for x in f["findings"]))


def test_chinese_page_has_no_english_words_and_english_page_no_chinese_labels(tmp_path):
    inbox = _inbox_with_strays(tmp_path)
    zh, en = tmp_path / "zh.html", tmp_path / "en.html"
    run("check", inbox, "--format", f"html:{zh}")
    run("check", inbox, "--lang", "en", "--format", f"html:{en}")

    def cells(path):
        parsed = _parse(path.read_text("utf-8"))
        return [text for rows in parsed.tables.values() for row in rows for text, _ in row]
    english = {"other", "warning", "error", "info", "government", "department", "town", "zone", "unreadable"}
    assert not [c for c in cells(zh) if c.lower() in english]
    headers = [text for rows in _parse(en.read_text("utf-8")).tables.values() for text, _ in rows[0]]
    assert not [h for h in headers if re.search(r"[\u4e00-\u9fff]", h) and h not in
                ("主要举措和成效", "存在的不足", "不足的原因", "第一责任人职责履行情况", "下一年度主要安排")], headers
    assert "<h2" in en.read_text("utf-8") and "总体情况" not in en.read_text("utf-8")


def test_a_report_without_a_unit_is_ranked_as_unit_not_identified(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    body = good_text().split("\n", 1)[1]
    body = re.sub(r"\n[^\n]*(?:局|政府|委员会)\n(20\d\d年\d+月\d+日)\s*$", r"\n\1\n", body.rstrip()) + "\n"
    (folder / "nameless.txt").write_text(body, encoding="utf-8")
    html = tmp_path / "r.html"
    run("check", folder, "--format", f"html:{html}")
    (row,) = _parse(html.read_text("utf-8")).tables["ranking-table"][1:]
    assert row[1][0].startswith("单位未识别") and "nameless.txt" in row[1][0]


MEASURE = """<script>
window.addEventListener("load", function () {
  var heads = document.querySelectorAll("#ranking-table thead th"), out = [];
  for (var i = 0; i < heads.length; i++) {
    var box = heads[i].getBoundingClientRect(), shown = getComputedStyle(heads[i]).display !== "none";
    out.push(heads[i].textContent.replace(/\\s|\\u21c5/g, "") + "=" + (shown ? Math.round(box.right) : "hidden"));
  }
  parent.postMessage("viewport=" + window.innerWidth + ";page=" + document.documentElement.scrollWidth + ";" + out.join(";"), "*");
});
</script>"""
FRAME = """<!DOCTYPE html><html><body style="margin:0"><pre id="measure"></pre>
<iframe src="{page}" width="{width}" height="900" style="border:0"></iframe>
<script>window.addEventListener("message", function (e) {{ document.getElementById("measure").textContent = e.data; }});</script>
</body></html>"""


def _measure(html, profile, width):
    """The page laid out {width} px wide (in an iframe of that width: headless Chromium's window is at
    least 500 px): the viewport, the page's width and the right edge of each ranking column."""
    from .browser import chromium

    measured = html.parent / f"measure-{width}.html"
    measured.write_text(html.read_text("utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    frame = html.parent / f"frame-{width}.html"
    frame.write_text(FRAME.format(page=measured.name, width=width), encoding="utf-8")
    done = chromium(frame, profile, "--window-size=1300,1000", "--virtual-time-budget=5000", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="measure">([^<]*)</pre>', done.stdout).group(1)
    return dict(part.split("=") for part in found.split(";"))


def test_ranking_is_usable_on_a_phone_and_a_desktop(tmp_path):
    """At 390 px the page does not overflow and the ranking shows 名次, 单位, 得分 and the counts of
    errors and warnings inside the screen (类别, 年度 and 提示 give way); at 1200 px every column."""
    need_chromium()
    html = tmp_path / "r.html"
    run("check", _inbox_with_strays(tmp_path), "--format", f"html:{html}")
    phone = _measure(html, tmp_path / "profile", 390)
    viewport = int(phone["viewport"])
    assert viewport <= 400 and int(phone["page"]) <= viewport, phone
    for column in ("名次", "单位", "得分", "错误", "警告"):
        assert phone[column] != "hidden" and int(phone[column]) <= viewport, (column, phone)
    desk = _measure(html, tmp_path / "profile", 1200)
    assert all(desk[c] != "hidden" for c in ("类别", "年度", "提示")) and int(desk["page"]) <= int(desk["viewport"])
    shot = screenshot(html, tmp_path / "profile", str(tmp_path / "phone.png"), width=390, height=2000)
    with open(shot, "rb") as handle:
        assert int.from_bytes(handle.read(24)[16:20], "big") == 390


LAYOUT = """() => {
  const heads = [...document.querySelectorAll('#ranking-table thead th')];
  const score = heads.find(th => th.textContent.includes('得分')), box = score.closest('.scroll') || document.body;
  return {viewport: innerWidth, page: document.documentElement.scrollWidth, right: score.getBoundingClientRect().right,
          shown: getComputedStyle(score).display !== 'none', boxRight: box.getBoundingClientRect().right};
}"""


def test_score_column_on_screen_at_390_and_1280_px_with_a_long_file_name(tmp_path):
    """Playwright at 390×844 and 1280×800: the page never scrolls sideways (a long file name of a report
    with no unit breaks instead of widening it) and 得分 is inside the screen."""
    from .browser import playwright_chromium

    need_chromium()
    inbox = _inbox_with_strays(tmp_path)
    body = re.sub(r"\n[^\n]*(?:局|政府|委员会)\n(20\d\d年\d+月\d+日)\s*$", r"\n\1\n", good_text().split("\n", 1)[1].rstrip())
    (tmp_path / "inbox" / ("Annual_Report_on_Law_Based_Government_2023_" * 2 + "final.txt")).write_text(body, "utf-8")
    html = tmp_path / "r.html"
    run("check", inbox, "--format", f"html:{html}")
    with playwright_chromium() as browser:
        for width, height in ((390, 844), (1280, 800)):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(html.as_uri())
            found = page.evaluate(LAYOUT)
            page.screenshot(path=str(tmp_path / f"ranking-{width}.png"))
            assert found["page"] <= found["viewport"] == width, found
            assert found["shown"] and found["right"] <= min(found["boxRight"], width), found
            page.close()
