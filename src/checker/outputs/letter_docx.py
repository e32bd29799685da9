"""Feedback letters as Word documents laid out as a 公文 (after GB/T 9704-2012), fast enough for a
batch of a thousand.

The page: A4 (210 × 297 mm), 版心 156 × 225 mm (top margin 37 mm, left 28 mm, right 26 mm,
bottom 35 mm); the body in 3号 (16 pt) 仿宋_GB2312 on a grid of 22 lines of 28 characters (an exact
line pitch of 28.95 pt and a character pitch of 15.79 pt, Word's ``docGrid``); the title in 2号
(22 pt) 方正小标宋简体, centred; first-level headings (一、) in 3号 黑体; page numbers in 4号 (14 pt)
宋体 as “— 1 —”, 7 mm under the text block, right on odd pages and left on even pages, one
character in from the edge. The fonts are named with the fallbacks a machine without them uses
(``w:altName`` in the font table: 仿宋, 华文中宋, 宋体, SimHei; digits and Latin letters in Times New
Roman), so the letter keeps its layout on an office computer that lacks the GB fonts.

python-docx builds the template once per office (page setup, styles, footers, one sample paragraph
of each kind); each letter then fills those samples with its own escaped text and appends that body
to a copy of the template's other parts. Opening and saving a package with python-docx for every
letter cost ~20 ms a letter; filling costs well under 1 ms.
"""
from __future__ import annotations

import functools
import io
import re
import zipfile
from xml.sax.saxutils import escape

KINDS = ("title", "blank", "addressee", "body", "heading", "signature", "date")
_MARK = "\u2063{}\u2063"                  # a placeholder no letter contains (invisible separator)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BODY = "word/document.xml"
_FONT_TABLE = "word/fontTable.xml"

PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
BODY_PT, TITLE_PT, PAGE_NUMBER_PT = 16, 22, 14
LINES, CHARS = 22, 28
LINE_PITCH_PT = int(225 / 25.4 * 72 / LINES * 20) / 20      # 28.95 pt: 22 lines fill the 225 mm text block
CHAR_PITCH_PT = 156 / 25.4 * 72 / CHARS                     # 15.79 pt
# Character spacing of the body, in twentieths of a point: 16 pt glyphs condensed by 0.25 pt, so that
# 28 of them (441 pt) fit the 156 mm (442.2 pt) line.
CONDENSE_TWIPS = -int((BODY_PT - CHAR_PITCH_PT) * 20 + 1)
# Fonts, with what a computer without them uses instead (w:altName), and the digits' font.
BODY_FONT, TITLE_FONT, HEADING_FONT, NUMBER_FONT, LATIN_FONT = "仿宋_GB2312", "方正小标宋简体", "黑体", "宋体", "Times New Roman"
FALLBACKS = {BODY_FONT: "仿宋", TITLE_FONT: "华文中宋", HEADING_FONT: "SimHei", NUMBER_FONT: "SimSun"}


def _fonts(run_or_style, east_asia: str, size: float = None, condense: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = LATIN_FONT
    if size:
        font.size = Pt(size)
    element = getattr(run_or_style, "_r", None)
    rpr = (element if element is not None else run_or_style.element).get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")
    if condense:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        rpr.append(parse_xml(f'<w:spacing {nsdecls("w")} w:val="{CONDENSE_TWIPS}"/>'))


def _page_number_footer(footer, align_right: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align_right else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    if align_right:
        fmt.right_indent = Pt(PAGE_NUMBER_PT)        # 单页码居右空一字
    else:
        fmt.left_indent = Pt(PAGE_NUMBER_PT)         # 双页码居左空一字
    _fonts(paragraph.add_run("— "), NUMBER_FONT, PAGE_NUMBER_PT)
    field = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:rPr><w:rFonts w:ascii="{NUMBER_FONT}" '
                      f'w:hAnsi="{NUMBER_FONT}" w:eastAsia="{NUMBER_FONT}"/><w:sz w:val="{PAGE_NUMBER_PT * 2}"/></w:rPr>'
                      '<w:t>1</w:t></w:r></w:fldSimple>')
    paragraph._p.append(field)
    _fonts(paragraph.add_run(" —"), NUMBER_FONT, PAGE_NUMBER_PT)


def _grid(section) -> None:
    """The 22-line grid: Word's document grid with the line pitch (the 28 characters of a line come
    from the body's character spacing, ``CONDENSE_TWIPS``, which every word processor honours)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    sect.append(parse_xml(f'<w:docGrid {nsdecls("w")} w:type="lines" w:linePitch="{round(LINE_PITCH_PT * 20)}"/>'))


@functools.lru_cache(maxsize=8)
def _template(office: str, heading: str):
    """(a zip of the parts other than the body, body head, {kind: (before, after)}, body tail)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    document = docx.Document()
    core = document.core_properties
    core.author, core.title, core.last_modified_by, core.comments = office, heading, "", ""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(MARGINS_MM["bottom"] - 7 - 5)     # the number's top 7 mm under the text block
    _grid(section)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer, align_right=True)
    _page_number_footer(section.even_page_footer, align_right=False)

    normal = document.styles["Normal"]
    _fonts(normal, BODY_FONT, BODY_PT)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PITCH_PT)

    def sample(kind, align=None, indent=None, right=None, font=None, size=None):
        paragraph = document.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if indent is not None:
            paragraph.paragraph_format.first_line_indent = Pt(indent)
        if right is not None:
            paragraph.paragraph_format.right_indent = Pt(right)
        run = paragraph.add_run(_MARK.format(kind))
        _fonts(run, font or BODY_FONT, size or BODY_PT, condense=(size or BODY_PT) == BODY_PT)
        return paragraph

    title = sample("title", WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=TITLE_PT)
    title.paragraph_format.line_spacing = Pt(LINE_PITCH_PT * 1.2)
    sample("blank")
    sample("addressee", WD_ALIGN_PARAGRAPH.LEFT)
    sample("body", WD_ALIGN_PARAGRAPH.JUSTIFY, indent=2 * BODY_PT)
    sample("heading", WD_ALIGN_PARAGRAPH.LEFT, indent=2 * BODY_PT, font=HEADING_FONT)
    sample("signature", WD_ALIGN_PARAGRAPH.RIGHT, right=2 * BODY_PT)
    sample("date", WD_ALIGN_PARAGRAPH.RIGHT, right=4 * BODY_PT)       # 成文日期右空四字
    buffer = io.BytesIO()
    document.save(buffer)
    others = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as package, \
            zipfile.ZipFile(others, "w", zipfile.ZIP_DEFLATED) as rest:
        for info in package.infolist():
            if info.filename == _BODY:
                continue
            data = package.read(info.filename)
            if info.filename == _FONT_TABLE:
                data = _with_fallbacks(data.decode("utf-8")).encode("utf-8")
            rest.writestr(info.filename, data)
        body = package.read(_BODY).decode("utf-8")
    parts = others.getvalue()
    samples, first, last = {}, None, None
    for kind in KINDS:
        mark = _MARK.format(kind)
        at = body.index(mark)
        start = body.rindex("<w:p>", 0, at) if body.rfind("<w:p>", 0, at) > body.rfind("<w:p ", 0, at) else body.rindex("<w:p ", 0, at)
        end = body.index("</w:p>", at) + len("</w:p>")
        samples[kind] = (body[start:at], body[at + len(mark):end])
        first = start if first is None else min(first, start)
        last = end if last is None else max(last, end)
    return parts, body[:first], samples, body[last:]


def _with_fallbacks(table: str) -> str:
    """The font table with an entry for each GB font, naming the font used where it is missing."""
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{"swiss" if name == HEADING_FONT else "roman"}"/><w:pitch w:val="variable"/></w:font>'
        for name, alt in FALLBACKS.items() if f'w:name="{name}"' not in table)
    return table.replace("</w:fonts>", entries + "</w:fonts>")


def _text(value: str) -> str:
    return escape(_XML_ILLEGAL.sub("", value or ""))


def render_docx(paragraphs, office: str = "", heading: str = "") -> bytes:
    """A .docx of ``paragraphs`` (a list of (kind, text), kind one of ``KINDS``)."""
    parts, head, samples, tail = _template(office, heading)
    body = head + "".join(samples[kind][0] + _text(text) + samples[kind][1] for kind, text in paragraphs) + tail
    buffer = io.BytesIO(parts)
    with zipfile.ZipFile(buffer, "a") as package:
        package.writestr(_BODY, body.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
