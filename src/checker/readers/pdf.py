"""The .pdf reader (text layer): pypdfium2, character by character, rebuilt into paragraphs.

Why pypdfium2: on LibreOffice/Word exports of the seed reports it reads CJK text correctly and is
7-20x faster than pdfplumber (pdfminer) — 4 pages in 0.02 s against 0.15-0.29 s — and, unlike
PyMuPDF, it is not AGPL. Its ready-made page text follows the content stream, which puts
quotation marks set in a fallback font at the end of the line (“推进 八五 普法 “ ””) and adds
generated spaces between CJK and digits (“2023 年”); so the reader takes each character with its
position, drops generated characters, and orders a line by x.

Then: lines are grouped by baseline; a line that reaches the right margin continues on the next
line (also across a page break) unless the next one is indented or starts a numbered heading;
page numbers (“— 3 —”, “- 3 -”, “第3页”) and running headers/footers repeated on most pages are
dropped. Each line keeps its page and line number as its location. A PDF with no text layer but
images is a scan: it cannot be checked, and says so.
"""
from __future__ import annotations

import ctypes
import re

from .base import Reading, TextBuilder, UnreadableInput

MAX_PAGES = 300
# Characters a PDF may hold: a 300-page report has about 450,000. Each is placed one by one in
# Python, so a small file whose pages draw millions of glyphs (a 63 KB PDF ran into the 60 s reading
# budget) is refused as soon as its pages pass this, with the reason, instead of timing out.
MAX_CHARS = 1_000_000
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－―]+\s*\d{1,4}\s*[-—–－―]+|第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?"
                          r"|\d{1,4}\s*/\s*\d{1,4}|[-—–－―]?\s*\d{1,4}\s*[-—–－―]?|Page\s+\d+(?:\s+of\s+\d+)?)\s*$",
                          re.IGNORECASE)
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十]+[章节部分条]"
                            r"|\d{1,2}[、.．]\D|[（(]\d{1,2}[）)])")
_SENTENCE_END = "。！？；：!?;:"
SCAN_MESSAGE = "扫描件，没有文字层，无法检查"


class _Line:
    __slots__ = ("text", "x0", "x1", "y", "size", "number")

    def __init__(self, text, x0, x1, y, size):
        self.text, self.x0, self.x1, self.y, self.size, self.number = text, x0, x1, y, size, 0


def _page_text(tp, raw, count: int) -> str:
    """All characters of a text page in one call (one UTF-16 unit per character index), or, when a
    character lies outside the BMP and the units no longer match the indexes, one by one."""
    buffer = (ctypes.c_ushort * (count + 1))()
    raw.FPDFText_GetText(tp, 0, count, buffer)
    text = bytes(buffer)[:count * 2].decode("utf-16-le", errors="replace")
    if len(text) == count and not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return "".join(chr(raw.FPDFText_GetUnicode(tp, i)) for i in range(count))


def _page_lines(page, raw, room: int = MAX_CHARS) -> list:
    """The text lines of one page, top to bottom, each ordered left to right; UnreadableInput when
    the page holds more than ``room`` characters (what MAX_CHARS leaves after the pages before it)."""
    textpage = page.get_textpage()
    tp = textpage.raw
    count = raw.FPDFText_CountChars(tp)
    if count > room:
        textpage.close()
        raise UnreadableInput(f"PDF 中的文字超过 {MAX_CHARS} 个字符，不像一份年度报告（疑似恶意构造），未读取")
    text = _page_text(tp, raw, count) if count > 0 else ""
    x, y = ctypes.c_double(), ctypes.c_double()
    px, py = ctypes.byref(x), ctypes.byref(y)
    origin, generated = raw.FPDFText_GetCharOrigin, raw.FPDFText_IsGenerated
    chars = []
    for i, ch in enumerate(text):
        if ch in "\r\n\x00\ufffe\uffff":
            continue
        origin(tp, i, px, py)
        # A space pdfium made up (from a gap between glyphs) is marked "\0" and judged by its gap later.
        chars.append((y.value, x.value, i, "\0" if ch == " " and generated(tp, i) else ch))
    lines, current, tolerance = [], [], 0.0
    size_of = raw.FPDFText_GetFontSize
    chars.sort(key=lambda c: -c[0])
    for char in chars:
        if current and abs(current[0][0] - char[0]) > tolerance:
            lines.append(current)
            current = []
        if not current:
            tolerance = 0.4 * max(size_of(tp, char[2]), 4.0)
        current.append(char)
    if current:
        lines.append(current)
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    out = []
    for chars_of_line in lines:
        chars_of_line.sort(key=lambda c: (c[1], c[3] != "\0"))
        chars_of_line = _real_spaces(chars_of_line, tp, raw)
        if not chars_of_line:
            continue
        last = chars_of_line[-1][2]
        raw.FPDFText_GetCharBox(tp, last, left, right, bottom, top)
        text = "".join(c[3] for c in chars_of_line)
        out.append(_Line(text, chars_of_line[0][1], max(right.value, chars_of_line[-1][1]),
                         chars_of_line[0][0], size_of(tp, chars_of_line[0][2]) or 10.0))
    textpage.close()
    for number, line in enumerate(out, 1):
        line.number = number
    return out


def _wide(char: str) -> bool:
    return char >= "\u2e80"


def _real_spaces(chars: list, tp, raw) -> list:
    """Keep a generated space where the glyphs around it stand apart (a space the author typed
    but the PDF producer drew as a gap): 0.2 em between two CJK or two Latin characters; between
    a CJK character and a digit or letter the font switch alone leaves such a gap (“2023 年”,
    “1 次”), so there it takes more than 0.6 em."""
    out = []
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    for k, char in enumerate(chars):
        if char[3] != "\0":
            out.append(char)
            continue
        if not out or k + 1 >= len(chars) or out[-1][3] == " ":
            continue
        raw.FPDFText_GetCharBox(tp, out[-1][2], left, right, bottom, top)
        size = raw.FPDFText_GetFontSize(tp, out[-1][2]) or 10.0
        mixed = _wide(out[-1][3]) != _wide(chars[k + 1][3])
        if chars[k + 1][1] - right.value > (0.6 if mixed else 0.2) * size:
            out.append((char[0], char[1], char[2], " "))
    return out


def _strip_furniture(pages: list, heights: list) -> None:
    """Drop page numbers and running headers/footers (text repeated near the same edge on most pages)."""
    def in_margin(line, height):
        return line.y > height * 0.90 or line.y < height * 0.10

    repeated = {}
    for lines, height in zip(pages, heights):
        for line in {re.sub(r"\d+", "#", ln.text.strip()) for ln in lines if in_margin(ln, height)}:
            repeated[line] = repeated.get(line, 0) + 1
    running = {t for t, n in repeated.items() if len(pages) >= 2 and n >= max(2, len(pages) * 0.5)}
    for index, (lines, height) in enumerate(zip(pages, heights)):
        pages[index] = [ln for ln in lines if not (in_margin(ln, height) and (
            _PAGE_NUMBER.match(ln.text) or re.sub(r"\d+", "#", ln.text.strip()) in running))]


_CLOSING = "，。、；：？！”’）》」』】〕,.;:?!)]%"
_OPENING = "“‘（《「『【〔([<"


def _first_unit_width(text: str, size: float) -> float:
    """Width of what could not be split from the start of ``text``: a Latin/digit run, or one
    CJK character with the opening marks before it and the closing marks after it."""
    i = 0
    while i < len(text) and text[i] in _OPENING:
        i += 1
    if i < len(text) and text[i].isascii() or (i < len(text) and "\u00c0" <= text[i] <= "\u024f"):
        j = i
        while j < len(text) and (text[j].isascii() or "\u00c0" <= text[j] <= "\u024f") and not text[j].isspace():
            j += 1
        return i * size + (j - i) * 0.55 * size
    j = i + 1
    while j < len(text) and text[j] in _CLOSING:
        j += 1
    return j * size


def _centred(line: _Line, left: float, right: float) -> bool:
    return abs((line.x0 - left) - (right - line.x1)) <= line.size


def _continues(prev: _Line, line: _Line, right: float, left: float) -> bool:
    """Does ``line`` continue the paragraph of ``prev``, broken there only by the page width?

    It does when its first unbreakable piece would not have fitted in the room left at the end of
    ``prev``: a line-breaking program moved it down. If it would have fitted, the author ended the
    paragraph. A numbered heading, or a line set in another size (a title in 2号 above a body in
    3号: the title fills its line, but the body does not run on from it), always starts a new one;
    so does an indented line, except the centred second line of a centred title that filled the
    first (“…关于2023年度法治政府建设” / “情况的报告”)."""
    if abs(line.size - prev.size) > 0.12 * max(line.size, prev.size) or _HEADING_START.match(line.text):
        return False
    if line.x0 > left + 0.9 * line.size and not (_centred(line, left, right) and _centred(prev, left, right)):
        return False
    room = right - prev.x1
    return _first_unit_width(line.text.lstrip(), line.size) > room - 0.6 * line.size


def _join(prev_text: str, text: str) -> str:
    """What goes between two joined lines: a space only between two Latin words (a number broken
    by the page width is one number)."""
    if prev_text and text and prev_text[-1].isascii() and prev_text[-1].isalpha() and text[0].isascii() and text[0].isalpha():
        return " "
    return ""


class PdfReader:
    """PDF files with a text layer (exported from Word, WPS or LibreOffice)."""

    name = "pdf"
    suffixes = (".pdf",)
    library = "pypdfium2"

    def read(self, data: bytes, name: str = "") -> Reading:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise UnreadableInput("PDF 已加密（需要密码），无法读取；请提交未加密的文件") from None
            raise UnreadableInput(f"PDF 文件已损坏，无法打开：{exc}") from None
        try:
            if len(document) > MAX_PAGES:
                raise UnreadableInput(f"PDF 页数过多（{len(document)} 页，上限 {MAX_PAGES} 页），不像一份年度报告，未读取")
            pages, heights, images, room = [], [], 0, MAX_CHARS
            for page in document:
                heights.append(page.get_height())
                try:
                    pages.append(_page_lines(page, raw, room))
                except UnreadableInput:
                    page.close()
                    raise
                room -= sum(len(line.text) for line in pages[-1])
                if not pages[-1]:
                    images += sum(1 for obj in page.get_objects(max_depth=1) if obj.type == raw.FPDF_PAGEOBJ_IMAGE)
                page.close()
        finally:
            document.close()
        if sum(len(ln.text.strip()) for lines in pages for ln in lines) < 10:
            raise UnreadableInput(SCAN_MESSAGE if images else "PDF 没有文字内容，无法检查")
        _strip_furniture(pages, heights)
        builder = _paragraphs(pages)
        return Reading(text=builder.text(), encoding="utf-8", format="pdf", locations=tuple(builder.locations))


def _paragraphs(pages: list) -> TextBuilder:
    """Lines joined into paragraphs (one per text line), each piece located by page and line."""
    builder, prev = TextBuilder(), None
    body = [ln for lines in pages for ln in lines]
    left = min((ln.x0 for ln in body), default=0.0)
    right = max((ln.x1 for ln in body), default=0.0)
    for page_no, lines in enumerate(pages, 1):
        for line in lines:
            text = line.text.rstrip()
            if prev is not None:
                if _continues(prev, line, right, left):
                    builder.add(_join(prev.text, text))
                else:
                    builder.add("\n")
            builder.add(text, {"page": page_no, "line": line.number})
            prev = line
    builder.add("\n")
    return builder
