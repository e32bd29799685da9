"""The .docx reader: the body's paragraphs in order, tables row by row, automatic numbering
rendered, tracked changes resolved to the final text; headers, footers, footnotes and comments
stay out (they live in other parts of the package and are never read). Text a unit pasted in as an
``altChunk`` (a web page, a .docx or plain text embedded whole) is read where it stands; one in a
form that cannot be read here (RTF, …) makes the file unreadable with that reason, never a silent
gap in what is checked.

The package passes the zip limits and every XML part the DTD check of ``base``; the main part is
found through the package's relationships, and its body is read as a stream of its blocks (each
paragraph or table parsed, read and then dropped): memory follows the largest block, not the whole
document (python-docx's tree of a 24 MB .docx took 2.7 GB). Inserted text is kept and deleted or
moved-away text is not (python-docx's ``Paragraph.text`` does not tell them apart).
"""
from __future__ import annotations

import posixpath

from .base import (Reading, TextBuilder, UnreadableInput, member_chunks, open_zip, parse_xml, read_member,
                   refuse_dtd_in_member)
from .numbering import Numbering

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP = {W + "del", W + "moveFrom", W + "delText", W + "instrText", W + "rPr", W + "pPr",
         MC_FALLBACK, W + "footnoteReference", W + "endnoteReference", W + "commentReference"}
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def text_pieces(element, out: list) -> None:
    """(w:t node or None, text) of a paragraph's content in document order, skipping deleted and
    moved-away runs; the node is the ``w:t`` a piece comes from (None for a tab or a break), so that
    ``checker.fixing.docx`` can change the text where the reader found it."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W + "t":
            out.append((child, child.text or ""))
        elif tag == W + "tab":
            out.append((None, "\t"))
        elif tag in (W + "br", W + "cr"):
            out.append((None, "\n"))
        elif tag == W + "noBreakHyphen":
            out.append((None, "-"))
        elif tag != W + "p":        # text boxes nest whole paragraphs: their text joins this one
            text_pieces(child, out)
        else:
            text_pieces(child, out)
            out.append((None, "\n"))


def _run_text(element, out: list) -> None:
    """Text of a paragraph's content in document order (the texts of ``text_pieces``)."""
    pieces = []
    text_pieces(element, pieces)
    out.extend(text for _, text in pieces)


class DocxReader:
    """Word 2007+ documents (.docx, .docm)."""

    name = "docx"
    suffixes = (".docx", ".docm")
    library = "lxml (python-docx for --fix)"

    def read(self, data: bytes, name: str = "", depth: int = 0) -> Reading:
        if data.startswith(_CFB_MAGIC):
            if "EncryptedPackage".encode("utf-16-le") in data:
                raise UnreadableInput("Word 文档已加密（受密码保护），无法读取；请提交未加密的文件")
            from .office import LegacyOfficeReader   # an old .doc saved under a .docx name

            return LegacyOfficeReader().read(data, (name or "report") + ".doc")
        archive = open_zip(data, "Word 文档")
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                refuse_dtd_in_member(archive, info.filename, "Word 文档")
        package = _Package(archive)
        main = package.main_part()
        numbering = package.numbering(main)
        chunks = package.related(main, "/aFChunk")
        builder = TextBuilder()
        counter = [0]
        for block, pieces, label in _body_blocks(member_chunks(archive, main, "Word 文档"), numbering):
            if block.tag == W + "p":
                self._add_paragraph("".join(pieces).rstrip("\n"), label, builder, counter)
            elif block.tag == W + "tbl":
                self._table(block, builder, counter)
            elif block.tag == W + "altChunk":
                self._chunk(package, chunks.get(block.get(R_ID)), builder, counter, depth)
        text = builder.text()
        if not text.strip():
            raise UnreadableInput("Word 文档没有正文文字")
        return Reading(text=text, encoding="utf-8", format="docx", locations=tuple(builder.locations))

    @staticmethod
    def _chunk(package, part, builder, counter, depth) -> None:
        """The text of an altChunk, paragraph by paragraph, where it stands in the body."""
        kind = (part or "").rsplit(".", 1)[-1].lower()
        if part is None or part not in package.names:
            raise UnreadableInput("Word 文档中的嵌入内容（altChunk）缺失，文档不完整，未检查")
        data = read_member(package.archive, part, "Word 文档")
        if kind in ("htm", "html", "mht", "mhtml", "xhtml"):
            from .html import HtmlReader

            text = HtmlReader().read(data, "chunk." + kind).text
        elif kind in ("docx", "docm") and depth == 0:
            text = DocxReader().read(data, "chunk.docx", depth + 1).text
        elif kind == "txt":
            from .text import decode

            text = decode(data)[0]
        else:
            raise UnreadableInput(f"Word 文档中有一段以 .{kind} 形式嵌入的内容（altChunk），本工具无法读取，"
                                  "为免漏查，整份文档未检查；请在 Word 中把它转为普通正文后再提交")
        for line in text.split("\n"):
            if line.strip():
                counter[0] += 1
                builder.add(line.strip(), {"paragraph": counter[0]})
            builder.add("\n")

    @staticmethod
    def _paragraph(p, builder, numbering, counter) -> None:
        out = []
        _run_text(p, out)
        DocxReader._add_paragraph("".join(out).rstrip("\n"), numbering.label(p) if numbering else "", builder, counter)

    @staticmethod
    def _add_paragraph(text, label, builder, counter) -> None:
        if not (text.strip() or label):
            builder.add("\n")           # an empty paragraph: a blank line, as in the .txt
            return
        counter[0] += 1
        builder.add(label + text, {"paragraph": counter[0]})
        builder.add("\n")

    @staticmethod
    def _table(tbl, builder, counter) -> None:
        """A table row by row: one line per row, cells separated by a tab."""
        for row in tbl.iter(W + "tr"):
            cells = []
            for cell in row.iter(W + "tc"):
                out = []
                _run_text(cell, out)
                cells.append("".join(out).strip().replace("\n", " "))
            if any(cells):
                counter[0] += 1
                builder.add("\t".join(cells), {"paragraph": counter[0]})
                builder.add("\n")


class _Package:
    """The parts of an OPC package and their relationships (what python-docx reads to open one)."""

    def __init__(self, archive):
        self.archive = archive
        self.names = {i.filename for i in archive.infolist()}

    def _rels(self, part: str) -> list:
        """(type, absolute target) of the relationships of ``part`` ('' for the package)."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in self.names:
            return []
        root = parse_xml(read_member(self.archive, rels, "Word 文档"), "Word 文档")
        out = []
        for rel in root.iter(_RELS):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out.append((rel.get("Type") or "", rel.get("Id") or "", path))
        return out

    def main_part(self) -> str:
        for kind, _, path in self._rels(""):
            if kind.endswith("/officeDocument") and path in self.names:
                return path
        raise UnreadableInput("不是有效的 Word 文档：包中没有主文档部分（officeDocument）")

    def related(self, part: str, kind: str) -> dict:
        return {rid: path for k, rid, path in self._rels(part) if k.endswith(kind)}

    def numbering(self, part: str):
        for path in self.related(part, "/numbering").values():
            if path in self.names:
                return Numbering(parse_xml(read_member(self.archive, path, "Word 文档"), "Word 文档"))
        return None


MAX_TABLE_ELEMENTS = 500_000     # one table of a report: a few thousand; more is built to exhaust memory


def _body_blocks(chunks, numbering):
    """(block, pieces, label) for each block of the document body (w:p, w:tbl, w:altChunk), read
    as a stream of parser events from the part's bytes (``chunks``): a paragraph is read element by
    element and each element dropped once read (its pieces: the texts of ``text_pieces``, its label:
    its rendered numbering), a table is kept whole until it ends (at most ``MAX_TABLE_ELEMENTS``),
    so memory follows the largest table, never the document or a paragraph of a million runs."""
    from lxml import etree

    parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, no_network=True,
                                 load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)
    state = _Stream(numbering)
    try:
        for chunk in chunks:
            parser.feed(chunk)
            yield from state.take(parser.read_events())
        parser.close()
        yield from state.take(parser.read_events())
    except etree.XMLSyntaxError as exc:
        raise UnreadableInput(f"Word 文档的 XML 已损坏：{exc}") from None


class _Stream:
    """The state of ``_body_blocks`` between two pieces of the part."""

    def __init__(self, numbering):
        self.numbering, self.depth = numbering, 0
        self.block, self.pieces, self.label, self.skip, self.size, self.keep = None, [], "", 0, 0, False

    def take(self, events):
        for event, el in events:
            if event == "start":
                self.depth += 1
                if self.block is None:
                    if self.depth == 3 and el.getparent() is not None and el.getparent().tag == W + "body":
                        self.block, self.pieces, self.label, self.skip, self.size = el, [], "", 0, 0
                elif self.block.tag == W + "tbl":
                    self.size += 1
                    if self.size > MAX_TABLE_ELEMENTS:
                        raise UnreadableInput(f"Word 文档中有一个表格超过 {MAX_TABLE_ELEMENTS} 个 XML 元素，"
                                              "不像报告中的表格（疑似恶意构造），拒绝读取")
                elif self.skip:
                    self.skip += 1
                elif not isinstance(el.tag, str) or el.tag in _SKIP:
                    self.skip = 1                     # kept whole only for the paragraph's own pPr (its label)
                    self.keep = el.tag == W + "pPr" and el.getparent() is self.block
                continue
            self.depth -= 1
            block = self.block
            if block is None or el is block:
                if el is block:
                    yield block, self.pieces, self.label
                    self.block = None
                if self.depth >= 2:                       # a block, or what the body holds besides blocks
                    _drop(el)
                continue
            if block.tag == W + "tbl":
                continue                                  # a table is read whole when it ends
            if block.tag != W + "p":
                _drop(el)                                 # not read (a section's properties, a content control…)
                continue
            if self.skip:
                self.skip -= 1
                if self.keep and not self.skip and self.numbering is not None:
                    self.label = self.numbering.label(block)     # its numbering, once, in document order
            elif el.tag == W + "t":
                self.pieces.append(el.text or "")
            elif el.tag == W + "tab":
                self.pieces.append("\t")
            elif el.tag in (W + "br", W + "cr"):
                self.pieces.append("\n")
            elif el.tag == W + "noBreakHyphen":
                self.pieces.append("-")
            elif el.tag == W + "p":
                self.pieces.append("\n")                 # a text box's paragraph ends its line
            if not (self.skip and self.keep):
                _drop(el)


def _drop(el) -> None:
    """Free an element that has been read, and the siblings read before it."""
    el.clear(keep_tail=True)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]
