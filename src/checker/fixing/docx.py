"""Fixes in a .docx: only the text of the runs a fix touches changes; formatting stays.

The findings' offsets index the text the .docx reader built (paragraphs in order, numbering
labels rendered, tables row by row). The document is opened again, walked in the same order, and
each edit is located in the ``w:t`` text nodes of its paragraph. A fix inside one run changes that
run's text only; a fix across runs writes the new text into the first run and removes the old
characters from the next ones (so the new word takes the first run's formatting). Table cells are
fixed the same way; fixes that fall into a numbering label or across cells are left alone. The result is read back with the reader
and must give exactly the expected text, or nothing is written.
"""
from __future__ import annotations

import bisect
import io

from ..errors import FixError
from ..readers.docx import W, DocxReader
from ..readers.docx import text_pieces as _pieces
from ..readers.numbering import Numbering

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _paragraphs(document) -> dict:
    """Paragraph number (as in the reader's locations) -> a paragraph ``(w:p element, label length)``
    or a table row ``[(w:tc element, raw text), ...]``."""
    numbering = Numbering.of(document)
    found, counter = {}, 0
    for block in document.element.body.iterchildren():
        if block.tag == W + "p":
            pieces = []
            _pieces(block, pieces)
            text = "".join(t for _, t in pieces).rstrip("\n")
            label = numbering.label(block) if numbering else ""
            if text.strip() or label:
                counter += 1
                found[counter] = (block, len(label))
        elif block.tag == W + "tbl":
            for row in block.iter(W + "tr"):
                cells = []
                for cell in row.iter(W + "tc"):
                    pieces = []
                    _pieces(cell, pieces)
                    cells.append((cell, "".join(t for _, t in pieces)))
                if any(raw.strip() for _, raw in cells):
                    counter += 1
                    found[counter] = cells
    return found


def _locate(target, local: int, length: int):
    """(element, offset in its raw text) of an edit at ``local`` in a paragraph's or a row's text as
    read, or None when it falls into a numbering label or across table cells."""
    if isinstance(target, tuple):
        paragraph, label = target
        return (paragraph, local - label) if local >= label else None
    at = 0
    for cell, raw in target:               # the reader: cells stripped, joined by a tab
        shown = raw.strip()
        if at <= local and local + length <= at + len(shown):
            return cell, local - at + len(raw) - len(raw.lstrip())
        at += len(shown) + 1
    return None


def _apply_in_paragraph(paragraph, start: int, end: int, new: str) -> bool:
    """Replace characters [start, end) of the paragraph's text by ``new``; False when they are not
    all in text runs."""
    pieces = []
    _pieces(paragraph, pieces)
    at, touched = 0, []
    for node, text in pieces:
        lo, hi = max(start, at), min(end, at + len(text))
        if lo < hi:
            if node is None:
                return False
            touched.append((node, lo - at, hi - at))
        at += len(text)
    if not touched:
        return False
    for i, (node, lo, hi) in enumerate(touched):
        text = node.text or ""
        node.text = text[:lo] + (new if i == 0 else "") + text[hi:]
        if node.text != node.text.strip():
            node.set(_XML_SPACE, "preserve")
    return True


def fix_docx(data: bytes, edits) -> tuple:
    """(old text, new text, new .docx bytes, edits made) for ``edits`` (sorted, not overlapping)."""
    import docx

    reader = DocxReader()
    reading = reader.read(data)
    old_text = reading.text
    offsets = [offset for offset, _ in reading.locations]
    places = [place for _, place in reading.locations]
    document = docx.Document(io.BytesIO(data))
    if document.element.body.find(f".//{W}altChunk") is not None:
        raise FixError("文档中有嵌入的内容（altChunk），暂不支持自动修复，请按提示手工修改")
    paragraphs = _paragraphs(document)
    done = []
    for edit in reversed(edits):      # from the end, so earlier offsets in a paragraph stay valid
        if old_text[edit.start:edit.end] != edit.old:
            raise FixError("文件在检查之后被修改过，请重新运行")
        i = bisect.bisect_right(offsets, edit.start) - 1
        target = paragraphs.get(places[i].get("paragraph")) if i >= 0 else None
        where = _locate(target, edit.start - offsets[i], edit.end - edit.start) if target else None
        if where is None or not _apply_in_paragraph(where[0], where[1], where[1] + edit.end - edit.start, edit.new):
            continue
        done.append(edit)
    pieces, at = [], 0
    for edit in reversed(done):
        pieces += [old_text[at:edit.start], edit.new]
        at = edit.end
    new_text = "".join(pieces) + old_text[at:]
    out = io.BytesIO()
    document.save(out)
    if reader.read(out.getvalue()).text != new_text:
        raise FixError("修改后重新读取的文字与预期不符，未写回")
    return old_text, new_text, out.getvalue(), done[::-1]
