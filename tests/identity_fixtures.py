"""The same report in every format units hand in, laid out the ways that lose its identity.

Built from a report's .txt (the blind sets' ``rNN.txt``) and the title its ``labels.yaml`` gives:

- ``.docx`` laid out as a 公文 (A4, title in 22 pt centred, body in 16 pt with a two-character
  indent), and ``.doc`` / ``.pdf`` converted from it by LibreOffice: a title longer than 20
  characters wraps onto two centred lines in the PDF;
- ``-fit.pdf``: the title shrunk to fill one line exactly and a body without first-line indent,
  so that the title's line reaches the right margin and a PDF reader joins it to the first body line;
- ``.html``: a saved page whose ``<title>`` is the site's section name (``法治政府建设年度报告_政务公开``),
  the article's own heading inside a ``header``-classed block or as the first, bold paragraph of
  the article, and the site's name after the heading in the page's title.

The text of the report is the .txt's own, without web chrome; what the fixtures vary is only where
the title stands and how it is set.
"""
from __future__ import annotations

import os
import re
from xml.sax.saxutils import escape

from checker.document import build_document

A4_MM = (210, 297)
TEXT_WIDTH_PT = 156 / 25.4 * 72           # 版心 156 mm


def split_report(text: str, title: str):
    """(title lines, body lines) of a report's .txt: the lines that make up the labelled title (one
    line or two, a field label such as 名称： cut) taken off the top, web chrome left out of the body.
    Without the title found among the first lines: ([], body)."""
    doc = build_document(text)
    lines = [(i, re.sub(r"^\W*(?:名\s*称|标\s*题)\s*[:：]\s*", "", line.strip()))
             for i, line in enumerate(text.split("\n")) if line.strip()]
    wanted = re.sub(r"\s+", "", title or "")
    for start in range(min(20, len(lines))) if wanted else ():
        for size in (1, 2, 3):
            if re.sub(r"\s+", "", "".join(t for _, t in lines[start:start + size])) == wanted:
                after = lines[start + size - 1][0]
                return ([t for _, t in lines[start:start + size]],
                        [t for i, t in lines if i > after and i not in doc.chrome_lines])
    return [], [t for i, t in lines if i not in doc.chrome_lines]


def write_gongwen_docx(title_lines, body, path, fit_title=False, as_lines=False):
    """A .docx laid out as a 公文, the signature (the last short lines) set flush right; ``fit_title``:
    the title in the size that fills one line, the body without first-line indent; ``as_lines``: a
    title on two lines kept as two paragraphs (as the .txt has it)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "仿宋_GB2312", Pt(16)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    normal.paragraph_format.space_after = Pt(0)
    for title in (title_lines if as_lines else ["".join(title_lines)] if title_lines else []):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if fit_title else WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(title)
        size = 22.0
        if fit_title:
            size = int(10 * TEXT_WIDTH_PT / max(len(title), 1)) / 10 - 0.1
        run.font.size = Pt(size)
        run.font.name = "方正小标宋简体"
        run._element.rPr.rFonts.set(qn("w:eastAsia"), "方正小标宋简体")
    signature = len(body)                       # the unit and the date under the report: flush right
    while signature > 0 and len(body[signature - 1]) <= 24 and len(body) - signature < 2:
        signature -= 1
    for n, line in enumerate(body):
        paragraph = document.add_paragraph(line)
        if n >= signature:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif not fit_title:
            paragraph.paragraph_format.first_line_indent = Pt(32)
    document.save(path)


SITE_TITLE = "法治政府建设年度报告_政务公开"
_NAV = "首页 | 政务公开 | 政务服务 | 互动交流 | 走进本区"
_FOOTER = "主办单位：区人民政府办公室 网站标识码：3700000001 鲁ICP备00000000号"


def saved_page(title_lines, body, variant: str = "header", published=None) -> bytes:
    """A saved government page; ``variant``: ``header`` (the heading in a header-classed block,
    the page's <title> site-wide), ``bold`` (the heading is the article's first, bold paragraph),
    ``suffix`` (the heading in <h2 class="tit"> and the page's <title> is the heading plus the
    site's name: ``…报告 - 某某区人民政府门户网站``)."""
    title = "".join(title_lines)
    paragraphs = "\n".join(f'<p style="text-indent:2em">{escape(line)}</p>' for line in body)
    heading, head_title = "", SITE_TITLE
    if variant == "header" and title:
        heading = f'<div class="detail-header"><h1 class="article-title">{escape(title)}</h1></div>'
    elif variant == "bold" and title:
        paragraphs = f'<p style="text-align:center"><strong>{escape(title)}</strong></p>\n' + paragraphs
    elif variant == "suffix" and title:
        heading = f'<h2 class="tit">{escape(title)}</h2>'
        head_title = f"{title} - 某某区人民政府门户网站"
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{escape(head_title)}</title></head><body>
<div class="top"><div class="nav">{_NAV}</div></div>
<div class="position">当前位置：首页 &gt; 政务公开 &gt; 法治政府建设</div>
<div class="main">
{heading}
<div class="info">{f"发布时间：{published}　" if published else ""}来源：本站　【字体：大 中 小】</div>
<div class="TRS_Editor">{paragraphs}</div>
<div class="bdshare">分享到：微信 微博</div>
</div>
<div class="footer">{_FOOTER}</div>
</body></html>
"""
    return page.encode("utf-8")


def build_identity_set(reports, out: str, soffice_convert=None) -> dict:
    """Write every fixture of ``reports`` ([(name, txt path, labelled title)]) into ``out``;
    return {name: {format: path}} (``soffice_convert(paths, target, outdir)`` makes .doc/.pdf)."""
    made, docx_paths, fit_paths, line_paths = {}, [], [], []
    fit_dir, lines_dir = os.path.join(out, "fit"), os.path.join(out, "lines")
    os.makedirs(fit_dir, exist_ok=True)
    os.makedirs(lines_dir, exist_ok=True)
    for name, txt, title in reports:
        with open(txt, encoding="utf-8") as handle:
            text = handle.read()
        title_lines, body = split_report(text, title)
        clean = "\n".join([*title_lines, "", *body]) + "\n"
        published = build_document(clean).meta.published       # the page's date: the one its text shows
        files = made.setdefault(name, {"original": txt, "txt": os.path.join(out, name + ".txt")})
        with open(files["txt"], "w", encoding="utf-8") as handle:     # the same lines, as plain text
            handle.write(clean)
        files["docx"] = os.path.join(out, name + ".docx")
        write_gongwen_docx(title_lines, body, files["docx"])
        docx_paths.append(files["docx"])
        fit = os.path.join(fit_dir, name + ".docx")
        write_gongwen_docx(title_lines, body, fit, fit_title=True)
        fit_paths.append(fit)
        files["docx-lines"] = os.path.join(lines_dir, name + ".docx")
        write_gongwen_docx(title_lines, body, files["docx-lines"], as_lines=True)
        line_paths.append(files["docx-lines"])
        for variant in ("header", "bold", "suffix"):
            files[f"html-{variant}"] = os.path.join(out, f"{name}-{variant}.html")
            with open(files[f"html-{variant}"], "wb") as handle:
                handle.write(saved_page(title_lines, body, variant, published))
    if soffice_convert is not None:
        soffice_convert(docx_paths, "pdf", out)
        soffice_convert(docx_paths, "doc", out)
        soffice_convert(fit_paths, "pdf", fit_dir)
        soffice_convert(line_paths, "pdf", lines_dir)
    for name, files in made.items():
        for key, path in converted_paths(out, name):
            if os.path.exists(path):
                files[key] = path
    return made


def converted_paths(out: str, name: str) -> list:
    """[(format, path)] of the files LibreOffice makes of report ``name`` in ``out``."""
    return [("pdf", os.path.join(out, name + ".pdf")), ("doc", os.path.join(out, name + ".doc")),
            ("pdf-fit", os.path.join(out, "fit", name + ".pdf")), ("pdf-lines", os.path.join(out, "lines", name + ".pdf"))]
