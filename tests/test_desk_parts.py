"""A report that says nothing of the first responsible person's duty (its part recorded as "none")
misses that part everywhere an office looks, as the score counts it: the html and xlsx matrices, the
grouped text, the letter's 法定要素缺少 line and the served desk."""
import json
import re

import openpyxl

from checker.engine.scoring import missing_parts as scored_missing
from checker.outputs import desk
from checker.serve import queries

from .cli_helpers import good_text, run
from .test_html_report import _parse

FRP = "first_responsible_person"
FRP_NAME = "第一责任人职责履行情况"


def _silent_on_the_duty(folder):
    """The good report without its first-responsible-person part (and no word of the duty elsewhere)."""
    text = re.sub(r"二、党政主要负责人履行推进法治建设第一责任人职责情况\n[^\n]*\n\n", "", good_text())
    for old, new in (("三、存在", "二、存在"), ("四、2024", "三、2024"), ("五、其他", "四、其他")):
        text = text.replace(old, new)
    folder.mkdir()
    (folder / "r.txt").write_text(text, encoding="utf-8")
    return folder


def test_a_part_recorded_as_none_is_missing_in_every_desk_output(tmp_path):
    inbox = _silent_on_the_duty(tmp_path / "inbox")
    html, xlsx, as_json = tmp_path / "r.html", tmp_path / "r.xlsx", tmp_path / "r.json"
    run("check", inbox, "--format", f"html:{html}", "--format", f"xlsx:{xlsx}", "--format", f"json:{as_json}")
    (report,) = json.loads(as_json.read_text("utf-8"))["files"]
    assert report["elements"][FRP] == "none" and scored_missing(report["elements"]) == [FRP]   # the score's reading

    (row,) = _parse(html.read_text("utf-8")).tables["matrix-table"][1:]
    marks = {attrs["data-part"]: mark for mark, attrs in row[1:]}
    assert marks[FRP] == "✗" and [k for k, m in marks.items() if m == "✗"] == [FRP]
    parts = [[c.value for c in r] for r in openpyxl.load_workbook(xlsx)["要素"].iter_rows()]
    assert parts[1][parts[0].index(FRP_NAME)] == "✗"

    grouped = run("check", inbox, "--output-format", "grouped").stdout
    assert "4/5" in grouped and FRP_NAME in grouped
    run("feedback", inbox, "--output-dir", tmp_path / "L", "--format", "md")
    (letter,) = (tmp_path / "L").glob("*.md")
    assert f"法定要素缺少：{FRP_NAME}" in letter.read_text("utf-8")


def test_the_served_desk_and_the_batch_desk_read_the_parts_the_same_way():
    for elements in ({FRP: "none", "causes": True}, {FRP: "mention", "causes": False}, {FRP: "section"}, {}):
        assert queries.parts_of(elements) == desk.part_presence(elements)
        missing = {key for key, present in desk.part_presence(elements).items() if not present}
        assert missing == (set(scored_missing(elements)) if elements else {k for k, _ in desk.parts_of()})
