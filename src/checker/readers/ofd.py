"""The .ofd reader (GB/T 33190, the national fixed-layout document format): the text objects of
every page, in reading order, rebuilt into paragraphs like a PDF's lines.

An OFD file is a zip package of XML: ``OFD.xml`` names each document's root (``DocRoot``), whose
``Document.xml`` lists the pages (``Pages/Page/@BaseLoc``) and the page size; each page's
``Content.xml`` holds ``TextObject`` elements (position ``Boundary``, font ``Size``) with
``TextCode`` runs (``X``/``Y`` offsets inside the object). The package is opened with the zip limits
and every XML part with the hardened parser of ``base`` (no DTD, no entities, no network).
"""
from __future__ import annotations

import posixpath

from .base import Reading, UnreadableInput, member_chunks, open_zip, parse_xml, read_member, refuse_dtd_in_member
from .pdf import MAX_CHARS, _Line, _paragraphs, _strip_furniture

WHAT = "OFD 文件"
MAX_PAGES = 300
MAX_PAGE_ELEMENTS = 200_000     # a page of a report: a few thousand; more is built to exhaust memory


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str) -> list:
    return [el for el in element.iter() if _local(el.tag) == name]


def _numbers(value: str) -> list:
    try:
        return [float(v) for v in (value or "").split()]
    except ValueError:
        return []


def _resolve(base: str, loc: str) -> str:
    loc = (loc or "").strip()
    if loc.startswith("/"):
        return loc.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), loc))


def _page_lines(content, page_height: float) -> list:
    """Text lines of one page (y measured upwards, like PDF, so the PDF paragraph logic applies)."""
    runs = []
    for obj in _children(content, "TextObject"):
        box = _numbers(obj.get("Boundary", ""))
        if len(box) < 4:
            continue
        size = float(obj.get("Size", "3.5") or 3.5)
        for code in _children(obj, "TextCode"):
            text = code.text or ""
            if not text.strip():
                continue
            x = box[0] + float(code.get("X", "0") or 0)
            y = box[1] + float(code.get("Y", "0") or 0)
            runs.append((y, x, text, size, box[0] + box[2]))
    runs.sort(key=lambda r: (r[0], r[1]))
    lines, current = [], []
    for run in runs:
        if current and abs(run[0] - current[0][0]) > 0.4 * run[3]:
            lines.append(current)
            current = []
        current.append(run)
    if current:
        lines.append(current)
    out = []
    for number, line in enumerate(lines, 1):
        line.sort(key=lambda r: r[1])
        text = "".join(r[2] for r in line)
        x1 = max(r[1] + len(r[2]) * r[3] for r in line)
        ln = _Line(text, line[0][1], min(x1, max(r[4] for r in line)) if x1 > 0 else 0.0,
                   page_height - line[0][0], line[0][3])
        ln.number = number
        out.append(ln)
    return out


def _page_xml(archive, name: str):
    """A page's content parsed piece by piece, refused past MAX_PAGE_ELEMENTS elements (the zip limits
    allow 200 MB of XML, whose tree would take gigabytes)."""
    from lxml import etree

    refuse_dtd_in_member(archive, name, WHAT)
    parser = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True, load_dtd=False,
                                 huge_tree=False, remove_comments=True, remove_pis=True)
    count = 0
    try:
        for chunk in member_chunks(archive, name, WHAT):
            parser.feed(chunk)
            count += sum(1 for _ in parser.read_events())
            if count > MAX_PAGE_ELEMENTS:
                raise UnreadableInput(f"{WHAT}的一页有超过 {MAX_PAGE_ELEMENTS} 个 XML 元素，不像报告的一页"
                                      "（疑似恶意构造），拒绝读取")
        return parser.close()
    except etree.XMLSyntaxError as exc:
        raise UnreadableInput(f"{WHAT}的 XML 已损坏：{exc}") from None


class OfdReader:
    """OFD documents (版式文档, GB/T 33190)."""

    name = "ofd"
    suffixes = (".ofd",)
    library = "zipfile + lxml"

    def read(self, data: bytes, name: str = "") -> Reading:
        archive = open_zip(data, WHAT)
        root = parse_xml(read_member(archive, "OFD.xml", WHAT), WHAT)
        doc_roots = [el.text.strip() for el in _children(root, "DocRoot") if el.text]
        if not doc_roots:
            raise UnreadableInput(f"{WHAT} 的 OFD.xml 中没有 DocRoot，不是有效的 OFD 文件")
        pages, heights = [], []
        for doc_root in doc_roots[:1]:
            doc_path = _resolve("OFD.xml", doc_root)
            document = parse_xml(read_member(archive, doc_path, WHAT), WHAT)
            box = next((_numbers(el.text) for el in _children(document, "PhysicalBox") if el.text), [0, 0, 210, 297])
            page_refs = _children(document, "Page")
            if len(page_refs) > MAX_PAGES:
                raise UnreadableInput(f"OFD 页数过多（{len(page_refs)} 页，上限 {MAX_PAGES} 页），未读取")
            room = MAX_CHARS
            for page in page_refs:
                content = _page_xml(archive, _resolve(doc_path, page.get("BaseLoc", "")))
                own_box = next((_numbers(el.text) for el in _children(content, "PhysicalBox") if el.text), box)
                height = own_box[3] if len(own_box) >= 4 else 297.0
                heights.append(height)
                pages.append(_page_lines(content, height))
                room -= sum(len(line.text) for line in pages[-1])
                if room < 0:
                    raise UnreadableInput(f"OFD 中的文字超过 {MAX_CHARS} 个字符，不像一份年度报告（疑似恶意构造），未读取")
        if sum(len(ln.text.strip()) for lines in pages for ln in lines) < 10:
            raise UnreadableInput("OFD 文件没有文字内容（可能是扫描件），无法检查")
        _strip_furniture(pages, heights)
        builder = _paragraphs(pages)
        return Reading(text=builder.text(), encoding="utf-8", format="ofd", locations=tuple(builder.locations))
