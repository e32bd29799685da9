"""The .docx reader: the body's paragraphs in order, tables row by row, automatic numbering
rendered, tracked changes resolved to the final text; headers, footers, footnotes and comments
stay out (they live in other parts of the package and are never read).

python-docx opens the package (content types, relationships, the main part whatever its name),
after the package has passed the zip limits and every XML part the DTD check of ``base``; the
body is then walked as XML so that inserted text is kept and deleted or moved-away text is not
(python-docx's ``Paragraph.text`` does not tell them apart).
"""
from __future__ import annotations

import io

from .base import Reading, TextBuilder, UnreadableInput, open_zip, read_member, refuse_dtd
from .numbering import Numbering

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
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
    library = "python-docx + lxml"

    def read(self, data: bytes, name: str = "") -> Reading:
        if data.startswith(_CFB_MAGIC):
            if "EncryptedPackage".encode("utf-16-le") in data:
                raise UnreadableInput("Word 文档已加密（受密码保护），无法读取；请提交未加密的文件")
            from .office import LegacyOfficeReader   # an old .doc saved under a .docx name

            return LegacyOfficeReader().read(data, (name or "report") + ".doc")
        archive = open_zip(data, "Word 文档")
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                refuse_dtd(read_member(archive, info.filename, "Word 文档"), "Word 文档")
        import docx
        from docx.opc.exceptions import PackageNotFoundError

        try:
            document = docx.Document(io.BytesIO(data))
        except (PackageNotFoundError, KeyError, ValueError) as exc:
            raise UnreadableInput(f"不是有效的 Word 文档：{exc}") from None
        except Exception as exc:   # python-docx raises bare lxml / zip errors on damaged parts
            raise UnreadableInput(f"Word 文档已损坏：{type(exc).__name__}: {exc}") from None
        numbering = Numbering.of(document)
        builder = TextBuilder()
        counter = [0]
        for block in document.element.body.iterchildren():
            if block.tag == W + "p":
                self._paragraph(block, builder, numbering, counter)
            elif block.tag == W + "tbl":
                self._table(block, builder, counter)
        text = builder.text()
        if not text.strip():
            raise UnreadableInput("Word 文档没有正文文字")
        return Reading(text=text, encoding="utf-8", format="docx", locations=tuple(builder.locations))

    @staticmethod
    def _paragraph(p, builder, numbering, counter) -> None:
        out = []
        _run_text(p, out)
        text = "".join(out).rstrip("\n")
        label = numbering.label(p) if numbering else ""
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
