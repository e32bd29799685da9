"""What every reader returns, and the guarded ways readers open zip packages and XML.

A reader turns the bytes of one file into a :class:`Reading`: the document text the rules run
on, plus a map from offsets in that text back to a place in the original (a paragraph of a
.docx, a page and line of a .pdf, a source line of an .html page). Readers sit below the
document room: they know nothing of rules, outlines or findings.

.docx, .ofd and .zip inputs are zip packages that someone else made: they are opened with limits
on the number of members, the total uncompressed size and the compression ratio (a zip bomb is
refused before it is inflated), and their XML is parsed without DTDs, entities or network access
(an entity bomb or an external entity is refused, not expanded).
"""
from __future__ import annotations

import bisect
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from ..errors import UnreadableInput   # noqa: F401  (readers raise it; re-exported for plugins)

if TYPE_CHECKING:                      # only named in annotations; zipfile is imported where used
    import zipfile


# Limits for zip packages (.docx, .ofd, .zip of reports). A 20-page report .docx holds ~20 members
# and inflates to well under 5 MB; an OFD holds a few files per page.
MAX_MEMBERS = 5000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200            # per member, counted only above 1 MB inflated (small XML compresses well)


@dataclass(frozen=True)
class Reading:
    """The text of one report file and where each piece of it came from.

    ``locations`` is a sorted tuple of ``(offset, place)``: from ``offset`` in ``text`` on, the text
    comes from ``place`` (``{"paragraph": 12}``, ``{"page": 3, "line": 14}``, ``{"line": 80}``) until
    the next entry. Plain text files have none: their line/column are already the place.
    """

    text: str
    encoding: str = "utf-8"
    format: str = "txt"
    locations: tuple = ()
    published: Optional[str] = None      # ISO date the file itself states outside the text (a page's 发布时间)
    _starts: list = field(default=None, repr=False, compare=False)

    def location_at(self, offset: int) -> Optional[dict]:
        """The place in the original of text offset ``offset`` (None for plain text)."""
        if not self.locations:
            return None
        starts = self._starts
        if starts is None:
            starts = [start for start, _ in self.locations]
            object.__setattr__(self, "_starts", starts)
        i = bisect.bisect_right(starts, offset) - 1
        return dict(self.locations[max(i, 0)][1])


class TextBuilder:
    """Accumulates text piece by piece, recording the place each piece comes from."""

    def __init__(self):
        self.pieces, self.locations, self.length = [], [], 0

    def add(self, text: str, place: Optional[dict] = None) -> None:
        if place is not None and (not self.locations or self.locations[-1][1] != place):
            self.locations.append((self.length, place))
        self.pieces.append(text)
        self.length += len(text)

    def newline(self) -> None:
        if self.pieces and not self.pieces[-1].endswith("\n"):
            self.add("\n")

    def text(self) -> str:
        return "".join(self.pieces)


def _declared_members(handle) -> int:
    """How many members the zip's end record says it has (-1 when there is none to read): read
    before the central directory is parsed, so 1,000,000 entries are refused, not parsed."""
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(max(0, size - 22 - 65535))
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return -1
    count = int.from_bytes(tail[at + 10:at + 12], "little")
    locator = tail[at - 20:at] if at >= 20 else b""
    if count == 0xFFFF and locator.startswith(b"PK\x06\x07"):      # zip64: the count is in its own record
        handle.seek(int.from_bytes(locator[8:16], "little"))
        record = handle.read(56)
        if record.startswith(b"PK\x06\x06") and len(record) == 56:
            count = int.from_bytes(record[32:40], "little")
    return count


def open_zip(data, what: str) -> "zipfile.ZipFile":
    """A zip package (bytes, or a file open for reading) checked against the limits above; ``what``
    names the format in messages."""
    import zipfile      # here, not at the top: a plain-text run needs no zip (start-up time)

    handle = io.BytesIO(data) if isinstance(data, (bytes, bytearray, memoryview)) else data
    try:
        declared = _declared_members(handle)
        handle.seek(0)
    except (OSError, ValueError) as exc:
        raise UnreadableInput(f"{what}无法读取：{exc}") from None
    if declared > MAX_MEMBERS:
        raise UnreadableInput(f"{what}包内文件过多（{declared} 个，上限 {MAX_MEMBERS}），疑似压缩炸弹，拒绝读取")
    try:
        archive = zipfile.ZipFile(handle)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableInput(f"{what}已损坏（不是有效的 zip 包：{exc}）") from None
    if len(infos) > MAX_MEMBERS:
        raise UnreadableInput(f"{what}包内文件过多（{len(infos)} 个，上限 {MAX_MEMBERS}），疑似压缩炸弹，拒绝读取")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise UnreadableInput(f"{what}解压后过大（{total / 1e6:.0f} MB，上限 {MAX_UNCOMPRESSED / 1e6:.0f} MB），疑似压缩炸弹，拒绝读取")
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnreadableInput(f"{what}已加密（需要密码），无法读取")
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnreadableInput(f"{what}中的 {info.filename} 压缩比异常（{info.file_size // max(info.compress_size, 1)}:1），疑似压缩炸弹，拒绝读取")
    return archive


def read_member(archive: "zipfile.ZipFile", name: str, what: str) -> bytes:
    """One member's bytes, read no further than its declared size (a lying header cannot inflate more)."""
    import zipfile

    try:
        info = archive.getinfo(name)
        with archive.open(info) as handle:
            data = handle.read(info.file_size + 1)
    except KeyError:
        raise UnreadableInput(f"{what}缺少 {name}，文件不完整或不是这种格式") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise UnreadableInput(f"{what}中的 {name} 已损坏：{str(exc)[:200]}") from None
    if len(data) > info.file_size:
        raise UnreadableInput(f"{what}中的 {name} 实际大小超过声明，拒绝读取")
    return data


def _declaration_patterns():
    """``<!DOCTYPE`` and ``<!ENTITY`` in any letter case, as bytes of UTF-8 (or any ASCII superset)
    and of UTF-16 in either byte order."""
    import re

    out = []
    for codec in ("latin-1", "utf-16-le", "utf-16-be"):
        def one(ch):
            forms = {ch.lower().encode(codec), ch.upper().encode(codec)}
            return b"(?:" + b"|".join(re.escape(f) for f in sorted(forms)) + b")"
        out += [re.compile(b"".join(one(ch) for ch in mark)) for mark in ("<!doctype", "<!entity")]
    return out


_DECLARATIONS = []


def member_chunks(archive: "zipfile.ZipFile", name: str, what: str, size: int = 1 << 20):
    """A member's bytes in pieces of ``size`` (a large part is never held whole), no further than its
    declared size (a lying header cannot inflate more)."""
    import zipfile

    try:
        info = archive.getinfo(name)
        with archive.open(info) as handle:
            total = 0
            while True:
                chunk = handle.read(size)
                if not chunk:
                    return
                total += len(chunk)
                if total > info.file_size:
                    raise UnreadableInput(f"{what}中的 {name} 实际大小超过声明，拒绝读取")
                yield chunk
    except KeyError:
        raise UnreadableInput(f"{what}缺少 {name}，文件不完整或不是这种格式") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise UnreadableInput(f"{what}中的 {name} 已损坏：{str(exc)[:200]}") from None


def refuse_dtd_in_member(archive: "zipfile.ZipFile", name: str, what: str) -> None:
    """``refuse_dtd`` over a member read piece by piece (pieces overlap, so no declaration is cut)."""
    tail = b""
    for chunk in member_chunks(archive, name, what):
        refuse_dtd(tail + chunk, what)
        tail = chunk[-64:]


def refuse_dtd(xml: bytes, what: str) -> None:
    """Office and OFD XML never needs a DTD; one that declares entities is a bomb or a probe. The
    whole part is searched (a 70 KB comment before the DOCTYPE hides nothing), in any letter case
    and in UTF-16 too, at the speed of one regular-expression scan."""
    if not _DECLARATIONS:
        _DECLARATIONS.extend(_declaration_patterns())
    if any(pattern.search(xml) for pattern in _DECLARATIONS):
        raise UnreadableInput(f"{what}的 XML 含 DTD/实体声明（可能是实体炸弹或外部实体），拒绝读取")


def parse_xml(xml: bytes, what: str):
    """Parse package XML with lxml: no DTD, no entity expansion, no network, no huge trees."""
    from lxml import etree

    refuse_dtd(xml, what)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        return etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableInput(f"{what}的 XML 已损坏：{exc}") from None
