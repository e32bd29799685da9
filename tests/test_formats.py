"""Each seed in each format a report arrives in gets the same judgement as its .txt: the same
findings (rule ids and severities), the same elements, report year, publish date, title and unit;
findings point at the place in the original (paragraph, page and line, source line).

The fixtures are built here, once per session: python-docx writes the .docx (with a running
header and a page-number footer, which must stay out of the body); LibreOffice converts those to
.pdf and .doc in one call each (those cases skip, saying so, where LibreOffice is not installed);
the .html pages are saved-government-page lookalikes in UTF-8 and GB2312; the .ofd is written
by ``format_fixtures.write_ofd``.
"""
import os
import shutil

import pytest

from checker.engine.evaluate import check_path

from .conftest import SEEDS, SEED_FILES
from .format_fixtures import html_page, soffice_convert, write_docx, write_ofd

HAS_SOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))
NEEDS_SOFFICE = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed: "
                                   ".pdf/.doc fixtures are made and .doc files are read with it")
FORMATS = ["docx", pytest.param("pdf", marks=NEEDS_SOFFICE), pytest.param("doc", marks=NEEDS_SOFFICE),
           "html", "gb2312.htm", "ofd"]

# What a format genuinely changes, (seed prefix, format) -> {field: why}. Everything else must agree.
GENUINE_DIFFERENCES = {
    ("002", "html"): {"unit": "the .txt names the unit only in the page's 发布机构 field, which the page "
                              "fixture leaves out of its info bar (the article itself never names it)"},
    ("002", "gb2312.htm"): {"unit": "as for the UTF-8 page"},
}
COMPARED = ("report_year", "published", "title", "unit")
HTML = ("html", "gb2312.htm")
# Rules a format genuinely changes: format -> {rule: why}. The .txt of seeds 000, 002, 003 and 004 was
# copied from their web pages with the navigation, info bar and footer (FZ-C01, web chrome residue); a
# saved page's reader keeps its article only, so there is no residue to report (and the score is
# higher by that rule's weight).
GENUINE_RULES = {fmt: {"FZ-C01": "the page's chrome is not report text"} for fmt in HTML}


@pytest.fixture(scope="session")
def formats_dir(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("formats"))
    docx_paths = []
    for name in SEED_FILES:
        stem = name[:-4]
        with open(os.path.join(SEEDS, name), encoding="utf-8") as handle:
            text = handle.read()
        write_docx(text, os.path.join(out, stem + ".docx"), header="区人民政府文件 · 年度报告")
        docx_paths.append(os.path.join(out, stem + ".docx"))
        with open(os.path.join(out, stem + ".html"), "wb") as handle:
            handle.write(html_page(text, "utf-8"))
        with open(os.path.join(out, stem + ".gb2312.htm"), "wb") as handle:
            handle.write(html_page(text, "gb2312", container="article-content"))
        write_ofd(text, os.path.join(out, stem + ".ofd"))
    if HAS_SOFFICE:
        soffice_convert(docx_paths, "pdf", out)
        soffice_convert(docx_paths, "doc", out)
    return out


@pytest.fixture(scope="session")
def txt_results(ruleset):
    return {name[:3]: check_path(os.path.join(SEEDS, name), ruleset) for name in SEED_FILES}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", [name[:-4] for name in SEED_FILES])
def test_same_judgement_as_the_txt(seed, fmt, formats_dir, txt_results, ruleset):
    path = os.path.join(formats_dir, f"{seed}.{fmt}")
    assert os.path.exists(path), f"fixture {path} was not made"
    result = check_path(path, ruleset)
    assert result.error is None, result.error
    expected = txt_results[seed[:3]]
    genuine = GENUINE_RULES.get(fmt, {})
    got = {(f.rule, f.severity) for f in result.findings}
    want = {(f.rule, f.severity) for f in expected.findings}
    assert sorted(x for x in got if x[0] not in genuine) == sorted(x for x in want if x[0] not in genuine)
    assert not {x for x in got if x[0] in genuine}, "a genuine difference may only remove a finding"
    assert result.elements == expected.elements
    differences = GENUINE_DIFFERENCES.get((seed[:3], fmt), {})
    for key in COMPARED:
        if key in differences:
            assert result.meta[key] != expected.meta[key], f"{key} no longer differs: drop it from GENUINE_DIFFERENCES"
        else:
            assert result.meta[key] == expected.meta[key], key
    if got == want:
        assert result.score == expected.score
    else:
        assert result.score > expected.score


def test_docx_findings_name_the_paragraph_that_holds_the_excerpt(formats_dir, ruleset):
    import docx

    path = os.path.join(formats_dir, SEED_FILES[4][:-4] + ".docx")
    paragraphs = [p.text for p in docx.Document(path).paragraphs if p.text.strip()]
    result = check_path(path, ruleset)
    located = [f for f in result.findings if f.location]
    assert located and all(set(f.location) == {"paragraph"} for f in located)
    for f in located:
        assert f.excerpt.rstrip("…")[:10] in paragraphs[f.location["paragraph"] - 1], (f.rule, f.location, f.excerpt)


@NEEDS_SOFFICE
def test_pdf_findings_name_the_page_and_line(formats_dir, ruleset):
    import pypdfium2 as pdfium

    path = os.path.join(formats_dir, SEED_FILES[4][:-4] + ".pdf")
    pdf = pdfium.PdfDocument(path)
    pages = [page.get_textpage().get_text_range().replace(" ", "") for page in pdf]
    result = check_path(path, ruleset)
    located = [f for f in result.findings if f.location]
    assert located and all(set(f.location) == {"page", "line"} for f in located)
    for f in located:
        lines = pages[f.location["page"] - 1].split("\r\n")
        assert f.excerpt[:4] in lines[f.location["line"] - 1], (f.rule, f.location, f.excerpt)
    assert any(f.location["page"] > 1 for f in located)


def test_headers_footers_and_page_numbers_stay_out_of_the_text(formats_dir):
    from checker.readers import read_bytes

    for fmt in ("docx", "ofd") + (("pdf",) if HAS_SOFFICE else ()):
        path = os.path.join(formats_dir, SEED_FILES[0][:-4] + "." + fmt)
        with open(path, "rb") as handle:
            text = read_bytes(handle.read(), path).text
        assert "区人民政府文件" not in text and "— 1 —" not in text and "- 1 -" not in text, fmt


def test_web_chrome_stays_out_of_an_html_page(formats_dir):
    from checker.readers import read_bytes

    path = os.path.join(formats_dir, SEED_FILES[0][:-4] + ".gb2312.htm")
    with open(path, "rb") as handle:
        reading = read_bytes(handle.read(), path)
    assert reading.encoding == "gb18030"
    for chrome in ("政务服务", "您现在的位置", "分享到", "相关文章", "网站标识码", "统计", "color: red"):
        assert chrome not in reading.text, chrome
    first = reading.text.splitlines()[:2]
    assert first[0] == "市中区人民政府办公室2023年度法治政府建设情况报告" and first[1].startswith("2023年,区政府办公室坚持")
    assert reading.published == "2024-02-23"          # from the info bar, which is not part of the text


SEED0_TEXT = None


def _seed0_body():
    with open(os.path.join(SEEDS, SEED_FILES[0]), encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    return lines[13:22]          # the title line, then the report's first parts (no chrome)


PAGE_VARIANTS = {
    # gov.cn style: the article in a UCAP-CONTENT div, the date in a PubDate meta only
    "ucap": ('<meta name="PubDate" content="2024-02-23 09:15"><div class="nav">首页 政策 互动</div>'
             '<div class="pages_content" id="UCAP-CONTENT">{paras}</div><div class="footer">网站标识码 bm01000001</div>'),
    # an old table layout: the article in td#zoom, the info bar in a table row of labelled cells
    "table": ('<table><tr><td>首页 &gt; 政务公开</td></tr><tr><td>发布日期：</td><td>2024-02-23</td><td>来源：本站</td></tr>'
              '<tr><td class="bt_content"><div id="zoom">{paras}</div></td></tr></table>'),
    # no named container, text broken by <br> in a plain div; info bar in a span
    "br": ('<div class="menu">首页 | 机构 | 公开</div><span>发布时间：2024年2月23日</span>'
           '<div>{brs}</div><div class="copyright">版权所有</div>'),
}


@pytest.mark.parametrize("variant", sorted(PAGE_VARIANTS))
def test_page_layouts_of_other_sites(variant, tmp_path, ruleset):
    from checker.readers import read_bytes

    body = _seed0_body()
    paras = "".join(f"<p>{line}</p>" for line in body)
    brs = "<br>\n".join(body)
    html = ("<html><head><meta charset=\"gbk\"><title>" + body[0] + "-枣庄市市中区人民政府</title></head><body>"
            + PAGE_VARIANTS[variant].format(paras=paras, brs=brs) + "</body></html>")
    reading = read_bytes(html.encode("gb18030"), "page.html")
    lines = [line for line in reading.text.splitlines() if line.strip()]
    assert lines[0] == body[0] and lines[-1].strip() == body[-1].strip(), lines
    assert not any(chrome in reading.text for chrome in ("首页", "网站标识码", "版权所有", "来源"))
    assert reading.published == "2024-02-23"


def test_mhtml_web_archive(tmp_path):
    import email.mime.multipart
    import email.mime.text

    from checker.readers import read_bytes

    body = _seed0_body()
    page = "<html><body><div class=\"TRS_Editor\">" + "".join(f"<p>{line}</p>" for line in body) + "</div></body></html>"
    message = email.mime.multipart.MIMEMultipart("related")
    message.attach(email.mime.text.MIMEText(page, "html", "gb2312"))
    reading = read_bytes(message.as_bytes(), "page.mhtml")
    assert reading.text.splitlines()[0] == body[0] and body[-1].strip() in reading.text
