"""fazhi-lint feedback INBOX --output-dir DIR: one letter per report an office can sign, and an index.

The letters are reopened as an office's clerk would open them: python-docx for the page, the fonts,
the addressee and every paragraph; openpyxl and csv for the index.
"""
import csv
import datetime
import json
import os
import re
import zipfile

import docx
import openpyxl
import pytest

from .cli_helpers import copy_seeds, good_text, run

# Words of research notes and rules of thumb that must never reach a unit as a legal basis.
RESEARCH_WORDS = ("明天", "社科院", "社会科学院", "政法大学", "CUPL", "经验规则", "经验值", "阈值", "审查实践", "文献")


def _docx_text(path):
    document = docx.Document(path)
    return "\n".join(p.text for p in document.paragraphs), document


def _json(folder):
    return json.loads(run("check", folder, "--format", "json").stdout)["files"]


def _letters(folder, suffix=".docx"):
    return sorted(name for name in os.listdir(folder) if name.endswith(suffix))


def _index(folder):
    with open(os.path.join(folder, "反馈意见索引.csv"), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def test_one_docx_letter_per_report_with_every_error_and_warning(tmp_path):
    inbox = copy_seeds(tmp_path / "inbox")
    out = run("feedback", inbox, "--output-dir", tmp_path / "L", "--office", "某某市司法局", "--date", "2025年3月10日")
    assert out.exit_code == 0, out.stderr
    letters = _letters(tmp_path / "L")
    reports = _json(inbox)
    assert len(letters) == len(reports) == 5
    for name, report in zip(letters, reports):
        text, document = _docx_text(tmp_path / "L" / name)
        unit = report["meta"]["unit"]
        lines = [line for line in text.splitlines() if line.strip()]
        assert lines[0] == "法治政府建设年度报告审查反馈意见" and lines[1] == f"{unit}：" and unit in name   # 主送机关
        fixes = [f for f in report["findings"] if f["severity"] in ("error", "warning")]
        hints = len(report["findings"]) - len(fixes)
        assert fixes
        for f in fixes:
            assert f["message"] in text, (name, f["rule"])
        assert text.count("【错误】") + text.count("【警告】") == len(fixes)
        assert "【提示】" not in text and (f"另有 {hints} 条提示" in text) == bool(hints)       # hints folded
        assert f"审查得分 {report['score']:g} 分" in text
        missing = [p for p, v in report["elements"].items() if p != "next_year_plan_year" and not v]
        assert ("法定要素缺少：" in text) == bool(missing) and ("法定要素齐全" in text) == (not missing)
        if missing:
            assert "法定要素缺少：不足的原因" in text                       # the seeds miss only the causes
        # each problem: what to change and its basis beside it; no research note anywhere
        items = [p for p in lines if re.match(r"\d+\. 【", p)]
        assert len(items) == len(fixes) and all("修改：" in p and ("依据：" in p or "说明：" in p) for p in items)
        assert not [w for w in RESEARCH_WORDS if w in text], name
        assert "审查依据" not in text                                       # no list of notes at the end
        assert lines[-2:] == ["某某市司法局", "2025年3月10日"]                  # 发文机关署名, 成文日期
        # no path of the checking machine, in the text or the document properties
        for leak in (str(tmp_path), inbox, os.getcwd(), ".txt", "seeds"):
            assert leak not in text, leak
        assert not re.search(r"/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+|[A-Za-z]:\\", text)        # no path at all
        core = document.core_properties
        assert str(tmp_path) not in " ".join(str(getattr(core, a) or "") for a in ("author", "title", "comments", "subject"))
        with zipfile.ZipFile(tmp_path / "L" / name) as z:
            assert not any(str(tmp_path).encode() in z.read(n) for n in z.namelist())


def test_a_letter_is_an_a4_gongwen(tmp_path):
    """GB/T 9704-2012: A4, 版心 156 × 225 mm (top 37 mm, left 28 mm), title 2号 小标宋, body 3号 仿宋 on
    22 lines of 28 characters, page numbers 4号 “— 1 —”, the fonts named with their fallbacks."""
    inbox = copy_seeds(tmp_path / "inbox")
    assert run("feedback", inbox, "--output-dir", tmp_path / "L", "--office", "某某市司法局").exit_code == 0
    path = tmp_path / "L" / _letters(tmp_path / "L")[0]
    _, document = _docx_text(path)
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert round(section.page_width.mm - section.left_margin.mm - section.right_margin.mm) == 156
    assert round(section.page_height.mm - section.top_margin.mm - section.bottom_margin.mm) == 225
    title, body = document.paragraphs[0], [p for p in document.paragraphs if p.text.startswith("你单位报送的")][0]
    qn = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def east_asia(run_):
        return run_._r.rPr.find(qn + "rFonts").get(qn + "eastAsia")
    assert title.runs[0].font.size.pt == 22 and east_asia(title.runs[0]) == "方正小标宋简体"
    assert title.alignment == 1                                                       # centred
    assert body.runs[0].font.size.pt == 16 and east_asia(body.runs[0]) == "仿宋_GB2312"
    line = document.styles["Normal"].paragraph_format.line_spacing.pt
    assert 22 * line <= 225 / 25.4 * 72 < 23 * line                                   # 22 lines a page
    spacing = int(body.runs[0]._r.rPr.find(qn + "spacing").get(qn + "val")) / 20
    assert 28 * (16 + spacing) <= 156 / 25.4 * 72 < 29 * (16 + spacing)               # 28 characters a line
    footer = section.footer.paragraphs[0]
    assert footer.text.replace(" ", "") in ("——", "—1—") and footer.runs[0].font.size.pt == 14
    assert "PAGE" in footer._p.xml and section.even_page_footer.paragraphs[0].alignment == 0   # even pages: left
    with zipfile.ZipFile(path) as z:
        fonts = z.read("word/fontTable.xml").decode("utf-8")
    for name, fallback in (("仿宋_GB2312", "仿宋"), ("方正小标宋简体", "华文中宋")):
        assert re.search(f'w:name="{name}"><w:altName w:val="{fallback}"', fonts)


def test_the_letter_lays_out_22_lines_of_28_characters_in_libreoffice(tmp_path):
    """Rendered by LibreOffice: an A4 page whose full body lines hold 28 characters."""
    import shutil

    from .format_fixtures import soffice_convert

    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) is not installed")
    import pypdfium2 as pdfium

    inbox = copy_seeds(tmp_path / "inbox")
    assert run("feedback", inbox, "--output-dir", tmp_path / "L", "--office", "某某市司法局").exit_code == 0
    letter = tmp_path / "L" / _letters(tmp_path / "L")[0]
    soffice_convert([str(letter)], "pdf", str(tmp_path))
    pdf = pdfium.PdfDocument(str(tmp_path / (letter.stem + ".pdf")))
    page = pdf[0]
    assert (round(page.get_width() / 72 * 25.4), round(page.get_height() / 72 * 25.4)) == (210, 297)
    lines = page.get_textpage().get_text_range().splitlines()
    full = [line for line in lines if len(line.strip()) >= 26 and re.fullmatch(r"[\u4e00-\u9fff，。、；：“”（）《》【】]+", line.strip())]
    assert full and max(len(line.strip()) for line in full) == 28, lines[:12]


def test_refuses_a_folder_with_letters_unless_replace_and_never_mixes(tmp_path):
    inbox = copy_seeds(tmp_path / "inbox")
    out_dir = tmp_path / "L"
    assert run("feedback", inbox, "--output-dir", out_dir, "--format", "md").exit_code == 0
    first = sorted(os.listdir(out_dir))
    again = run("feedback", inbox, "--output-dir", out_dir, "--format", "md")
    assert again.exit_code == 2 and "不是空的" in again.stderr and "--replace" in again.stderr
    assert sorted(os.listdir(out_dir)) == first                               # nothing written
    os.remove(os.path.join(inbox, "004_b0c9e18cd6c6e394.txt"))                 # a smaller batch the second time
    replaced = run("feedback", inbox, "--output-dir", out_dir, "--format", "md", "--replace")
    assert replaced.exit_code == 0, replaced.stderr
    assert len(_letters(out_dir, ".md")) == 4 and len(_index(out_dir)[1]) == 4   # the old set replaced, not mixed
    (out_dir / "说明.docx").write_bytes(b"not ours")
    foreign = run("feedback", inbox, "--output-dir", out_dir, "--format", "md", "--replace")
    assert foreign.exit_code == 2 and "说明.docx" in foreign.stderr and (out_dir / "说明.docx").exists()


def test_index_maps_each_letter_to_its_report(tmp_path):
    inbox = copy_seeds(tmp_path / "inbox")
    (tmp_path / "inbox" / "报送函.txt").write_text(
        "河西县司法局\n关于报送2023年度法治政府建设情况报告的函\n\n县委全面依法治县委员会办公室：\n"
        "    现将《河西县司法局2023年度法治政府建设情况报告》随文报送，请审阅。\n\n河西县司法局\n2024年2月26日\n",
        encoding="utf-8")
    out = run("feedback", inbox, "--output-dir", tmp_path / "L")
    assert out.exit_code == 2                                                  # the cover letter: 2 for that file
    assert "报送函.txt: 未写反馈意见：不是年度报告（这是报送函" in out.stderr
    header, rows = _index(tmp_path / "L")
    assert header[:7] == ["反馈意见文件", "报告文件", "单位", "得分", "错误", "警告", "提示"]
    reports = {os.path.basename(f["path"]): f for f in _json(inbox) if f.get("score") is not None}
    letters = [row for row in rows if row[0]]
    assert sorted(row[0] for row in letters) == _letters(tmp_path / "L") and len(letters) == 5
    for row in letters:
        report = reports[os.path.basename(row[1])]
        counts = [sum(1 for f in report["findings"] if f["severity"] == s) for s in ("error", "warning", "info")]
        assert row[2] == report["meta"]["unit"] and float(row[3]) == report["score"] and list(map(int, row[4:7])) == counts
        text, _ = _docx_text(tmp_path / "L" / row[0])
        assert text.splitlines()[2] == f"{row[2]}："
    (cover,) = [row for row in rows if not row[0]]
    assert cover[1].endswith("报送函.txt") and cover[7].startswith("不是年度报告")
    book = openpyxl.load_workbook(tmp_path / "L" / "反馈意见索引.xlsx")
    assert [c.value for c in book.active[1]][:3] == ["反馈意见文件", "报告文件", "单位"]
    assert book.active.max_row == len(rows) + 1
    assert book.active.page_setup.paperSize == 9 and book.active.page_setup.orientation == "landscape"


def test_unknown_unit_and_no_title_are_said_not_invented(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rest = good_text().split("\n", 1)[1]
    body = re.sub(r"\n[^\n]*(?:局|政府|委员会)\n(20\d\d年\d+月\d+日)\s*$", r"\n\1\n", rest.rstrip())
    (inbox / "a.txt").write_text(body.replace("法制政府", "法治政府") + "\n推进法制政府建设。\n", encoding="utf-8")
    meta = _json(inbox)[0]["meta"]
    assert meta["unit"] is None and meta["title"] is None, meta
    out = run("feedback", inbox, "--output-dir", tmp_path / "L", "--format", "md", "--date", "2025年3月10日")
    assert out.exit_code in (0, 1), out.stderr
    (letter,) = _letters(tmp_path / "L", ".md")
    text = (tmp_path / "L" / letter).read_text("utf-8")
    assert "单位未识别" in text.splitlines()[2] and "单位未识别" in letter
    assert "《" not in text.split("已收悉")[0]                       # no report name the report does not carry
    assert "（发文机关署名）" in text and "--office" in out.stderr


def test_the_date_is_today_when_not_given(tmp_path):
    inbox = copy_seeds(tmp_path / "inbox")
    assert run("feedback", inbox, "--output-dir", tmp_path / "L", "--format", "md", "--office", "某司法局").exit_code == 0
    today = datetime.date.today()
    text = (tmp_path / "L" / _letters(tmp_path / "L", ".md")[0]).read_text("utf-8")
    assert text.rstrip().endswith(f"某司法局\n{today.year}年{today.month}月{today.day}日")


def test_only_verified_provisions_are_cited(ruleset):
    """A rule whose basis is a note or an unverified article gives its reasoning in plain words."""
    from checker.outputs.letters import citation, plain_reason

    by_id = {r.id: r for r in ruleset.rules}
    assert "第二十四条" in citation(by_id["FZ-T01"])                   # verified: cited
    for rid in ("FZ-S07", "FZ-Q01", "FZ-C04"):                        # notes or unverified articles only
        assert citation(by_id[rid]) == "" and plain_reason(by_id[rid]), rid
    for rule in ruleset.rules:
        for entry in rule.citations:
            if entry.get("article") and entry.get("verified") is not True:
                assert entry["article"] not in citation(rule), rule.id
        words = citation(rule) + plain_reason(rule)
        assert not [w for w in RESEARCH_WORDS if w in words], rule.id


def test_markdown_letters_and_escaping(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    first, rest = good_text().split("\n", 1)
    (inbox / "a.txt").write_text(f"<b>清河县</b>司法局2023年度法治政府建设情况报告\n{rest}\n推进法制政府建设。\n",
                                 encoding="utf-8")
    out = run("feedback", inbox, "--output-dir", tmp_path / "L", "--format", "md")
    assert out.exit_code == 0, out.stderr
    (letter,) = _letters(tmp_path / "L", ".md")
    text = (tmp_path / "L" / letter).read_text("utf-8")
    assert text.startswith("# 法治政府建设年度报告审查反馈意见")
    assert "【错误】“法制政府”应为“法治政府”" in text and "<b>" not in text and "&lt;b&gt;" in text
    assert str(tmp_path) not in text


def test_an_unreadable_report_loses_no_other_letter(tmp_path):
    inbox = copy_seeds(tmp_path / "inbox")
    with open(os.path.join(inbox, "broken.txt"), "wb") as handle:
        handle.write(b"\x00\x01\x02" * 100)
    out = run("feedback", inbox, "--output-dir", tmp_path / "L", "--format", "md")
    assert out.exit_code == 2 and "broken.txt" in out.stderr
    assert len(_letters(tmp_path / "L", ".md")) == 5


def test_unknown_province_writes_no_letter(tmp_path):
    inbox = copy_seeds(tmp_path / "inbox")
    out = run("feedback", inbox, "--output-dir", tmp_path / "L", "--province", "zhejang")
    assert out.exit_code == 2 and "zhejang" in out.stderr and "national" in out.stderr
    assert not (tmp_path / "L").exists() or not os.listdir(tmp_path / "L")


def test_a_docx_report_gets_paragraph_places_in_its_letter_and_review_page(tmp_path):
    from .format_fixtures import write_docx

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    seed = os.path.join(os.path.dirname(__file__), "..", "seeds", "004_b0c9e18cd6c6e394.txt")
    with open(seed, encoding="utf-8") as handle:
        write_docx(handle.read(), str(inbox / "甘眉.docx"))
    out = run("feedback", inbox, "--output-dir", tmp_path / "L", "--format", "md")
    assert out.exit_code == 0, out.stderr
    (letter,) = _letters(tmp_path / "L", ".md")
    text = (tmp_path / "L" / letter).read_text("utf-8")
    assert re.search(r"“法制政府[^”]*”（第\d+段）", text) and not re.search(r"（第\d+行）", text)
    page = tmp_path / "r.html"
    run("check", inbox, "--format", f"html:{page}")
    html = page.read_text("utf-8")
    assert re.search(r'<a href="#r1-f\d+">第\d+段</a>', html) and "<mark" in html


@pytest.mark.parametrize("form", ["docx", "md"])
def test_a_report_without_a_unit_is_addressed_to_unit_not_identified_everywhere(tmp_path, form):
    """Never empty, never the file's name (here it names a unit the report does not), never invented:
    单位未识别 in the letter (reopened with python-docx) and in both index files."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rest = good_text().split("\n", 1)[1]
    body = re.sub(r"\n[^\n]*(?:局|政府|委员会)\n(20\d\d年\d+月\d+日)\s*$", r"\n\1\n", rest.rstrip())
    (inbox / "河西县人民政府2023年度法治政府建设情况报告.txt").write_text(body + "\n", encoding="utf-8")
    out = run("feedback", inbox, "--output-dir", tmp_path / "L", "--format", form)
    assert out.exit_code in (0, 1), out.stderr
    (letter,) = _letters(tmp_path / "L", f".{form}")
    path = tmp_path / "L" / letter
    text = _docx_text(path)[0] if form == "docx" else path.read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[1].startswith("单位未识别") and lines[1].endswith("：") and "单位未识别" in letter
    assert "河西" not in text and ".txt" not in text                      # nothing taken from the file's name
    header, rows = _index(tmp_path / "L")
    assert [row[header.index("单位")] for row in rows] == ["单位未识别"] and rows[0][0] == letter
    book = openpyxl.load_workbook(tmp_path / "L" / "反馈意见索引.xlsx").active
    assert [c.value for c in book[2]][:3] == [letter, rows[0][1], "单位未识别"]


def _inbox_under_config(tmp_path, province):
    inbox = copy_seeds(tmp_path / "office" / "inbox")
    (tmp_path / "office" / ".fazhi-lint.yaml").write_text(f"province: {province}\n", encoding="utf-8")
    return inbox


@pytest.mark.parametrize("where", ["flag", "config"])
def test_a_misspelt_province_stops_text_html_and_letters(tmp_path, where, monkeypatch):
    """--province zhejang, or province: zhejang in the config: exit 2 naming it and what is installed,
    no score on stdout, no html file, no letter."""
    inbox = _inbox_under_config(tmp_path, "zhejang" if where == "config" else "national")
    monkeypatch.chdir(tmp_path / "office")
    extra = ["--province", "zhejang"] if where == "flag" else []
    text = run("check", inbox, *extra)
    html = run("check", inbox, "--format", f"html:{tmp_path / 'r.html'}", *extra)
    letters = run("feedback", inbox, "--output-dir", tmp_path / "L", *extra)
    for out in (text, html, letters):
        assert out.exit_code == 2 and "zhejang" in out.stderr and "national" in out.stderr
        assert not out.stdout.strip() and "得分" not in out.stdout
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "L").exists()


def test_a_local_document_is_never_cited_to_a_unit_elsewhere(ruleset):
    """The national pack quotes 四川's and 威海's rules on study counts as practice; no unit is told
    they are its basis (legal-basis.md: no national count for 会前学法 exists). Their reasoning is given
    in plain words instead; a province pack's own documents are still cited."""
    from checker.outputs.letters import basis_of, citation, plain_reason
    from checker.rules.citations import parse_basis

    by_id = {r.id: r for r in ruleset.rules}
    for rid in ("FZ-L01", "FZ-L02"):
        rule = by_id[rid]
        assert [e for e in rule.citations if e.get("local")], rid
        assert "四川" not in citation(rule) and "威海" not in citation(rule), rid
        assert plain_reason(rule), rid                # said in plain words
    for rule in ruleset.rules:
        for entry in rule.citations:
            if entry.get("local"):
                assert entry["doc"] not in citation(rule), rule.id
    own = parse_basis([{"doc": "四川省人民政府办公厅《意见》", "article": "每年不少于24次", "verified": True}])

    class ProvinceRule:
        citations = own
        rationale = ""
    assert "每年不少于24次" in citation(ProvinceRule)
    assert "每年不少于24次" in basis_of(type("Finding", (), {"rule": "X"})(), {"X": ProvinceRule})["cite"]
