"""Build each seed report in the formats reports arrive in: .docx (python-docx, with a running
header and a page-number footer), .pdf and .doc (LibreOffice, several files in one call), .html
pages in the style of saved Chinese government pages (UTF-8 and GB2312), and .ofd (zip + XML
written here, laid out line by line with a page number at the foot of each page)."""
from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from xml.sax.saxutils import escape

from checker.document import build_document


def write_docx(text: str, path: str, header: str = "") -> None:
    """One paragraph per line of ``text``; the header and a “— PAGE —” footer on every page."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    footer = section.footer.paragraphs[0]
    footer.text = "— "
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    footer.add_run(" —")
    document.save(path)


def soffice_convert(paths: list, target: str, outdir: str) -> None:
    """Convert ``paths`` with LibreOffice in one call (``target``: pdf, doc…), own profile."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    profile = "file://" + os.path.join(outdir, ".lo-profile")
    subprocess.run([program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                    "--convert-to", target, "--outdir", outdir, *paths],
                   capture_output=True, timeout=300, check=False, stdin=subprocess.DEVNULL)


_NAV = "首页 | 政务公开 | 政务服务 | 互动交流 | 走进本区 | 无障碍 | 繁体 | 长者模式"
_FOOTER = ("主办单位：区人民政府办公室 承办：区大数据中心 网站标识码：3700000001 "
           "鲁ICP备00000000号 公网安备 37000002000001号 建议使用1920×1080分辨率")


def html_page(text: str, charset: str = "utf-8", container: str = "TRS_Editor") -> bytes:
    """A saved government page: navigation, breadcrumb, <h1> title, info bar with 发布时间 (the
    seed's own publish date), the report's body lines as <p> in ``container``, share bar, footer.

    The split between page chrome and report body is the one the .txt reading finds."""
    doc = build_document(text)
    lines = text.split("\n")
    title = doc.meta.title or ""
    start = doc.meta.title_line + 1 if doc.meta.title_line is not None else doc.header_end_line
    body = [line for i, line in enumerate(lines) if i >= start and i not in doc.chrome_lines and line.strip()]
    published = doc.meta.published
    info = (f"发布时间：{published} 10:30　来源：区政府办公室　浏览次数：" if published else "来源：区政府办公室　浏览次数：")
    inner = "\n".join(f"<p style=\"text-indent:2em\">{escape(line.strip())}</p>" for line in body)
    wrapper = (f'<div class="TRS_Editor"><div class="Custom_UnionStyle">{inner}</div></div>' if container == "TRS_Editor"
               else f'<div class="{container}">{inner}</div>')
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<meta name="ArticleTitle" content="{escape(title)}" />
<title>{escape(title)}_区人民政府门户网站</title>
<script type="text/javascript">var _hmt = _hmt || []; document.write("统计");</script>
<style>.nav {{ color: red }}</style>
</head><body>
<div class="header"><div class="nav"><a href="/">{_NAV}</a></div></div>
<div class="position">您现在的位置：<a href="/">首页</a> &gt; <a href="#">政务公开</a> &gt; <a href="#">法治政府建设</a></div>
<div class="main">
<h1 class="title">{escape(title)}</h1>
<div class="info">{escape(info)}<span>【字体：大 中 小】</span></div>
{wrapper}
<div class="bdshare">分享到：微信 微博 QQ空间</div>
<div class="related">相关文章：关于印发2024年普法工作要点的通知</div>
</div>
<div class="footer">{_FOOTER}</div>
</body></html>
"""
    return page.encode("gb18030" if charset.lower() in ("gb2312", "gbk") else charset)


def write_ofd(text: str, path: str, per_line: int = 38, per_page: int = 40) -> None:
    """A minimal OFD package (OFD.xml, Document.xml, one Content.xml per page): each paragraph
    wrapped at ``per_line`` characters, one TextObject per line, “- N -” at the foot of each page."""
    size, left, top, step = 4.0, 20.0, 25.0, 6.0
    rows = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        rows.extend(paragraph[i:i + per_line] for i in range(0, len(paragraph), per_line))
    pages = [rows[i:i + per_page] for i in range(0, len(rows), per_page)] or [[]]
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.1" DocType="OFD">'
                              '<ofd:DocBody><ofd:DocInfo><ofd:DocID>fixture</ofd:DocID></ofd:DocInfo>'
                              '<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        page_refs = "".join(f'<ofd:Page ID="{i + 10}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
        z.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData>'
                                         '<ofd:MaxUnitID>9999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297'
                                         f'</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>{page_refs}'
                                         '</ofd:Pages></ofd:Document>')
        for number, page in enumerate(pages):
            objects = []
            for k, row in enumerate(page + [f"- {number + 1} -"]):
                footer = k == len(page)
                y = 280.0 if footer else top + k * step
                x = 95.0 if footer else left
                width = len(row) * size
                objects.append(f'<ofd:TextObject ID="{number * 100 + k + 1}" Boundary="{x} {y} {width:.1f} {size + 1}" '
                               f'Font="1" Size="{size}"><ofd:TextCode X="0" Y="{size}">{escape(row)}</ofd:TextCode>'
                               '</ofd:TextObject>')
            z.writestr(f"Doc_0/Pages/Page_{number}/Content.xml",
                       f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content><ofd:Layer ID="1">'
                       + "".join(objects) + "</ofd:Layer></ofd:Content></ofd:Page>")
