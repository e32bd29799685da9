"""Reading a report: bytes -> Source text -> normalised view -> chrome, metadata and outline.

``load_document`` is the one entry point; the steps are separate modules so that each can be
tested (and, later, replaced through the normaliser hook) on its own.
"""
from __future__ import annotations

import re

from ..readers import read_bytes
from ..readers.base import UnreadableInput
from .chrome import find_chrome
from .meta import published_date, report_year, unit_of
from .model import Document, Meta, Part
from .normalise import normalise
from .outline import build_outline

__all__ = ["Document", "Meta", "Part", "UnreadableInput", "build_document", "load_document"]


# Text extracted from PDF or pasted from a page often runs several parts into one physical line
# ("…营造良好氛围。二、存在的不足…"). A heading that follows a sentence end starts a logical line.
_INLINE_HEADING = re.compile(r"(?<=[。；;！!？?])[ \t]*(?=(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])\S)")


def logical_lines(text: str) -> list:
    """(start, end) of each logical line: physical lines, split again before inline headings."""
    spans, pos = [], 0
    for line in text.split("\n"):
        start = pos
        for m in _INLINE_HEADING.finditer(line):
            spans.append((start, pos + m.start()))
            start = pos + m.end()
        spans.append((start, pos + len(line)))
        pos += len(line) + 1
    return spans


def build_document(text: str, path: str = "<text>", encoding: str = "utf-8",
                   year=None, published=None, delete_patterns=(), reading=None) -> Document:
    """Build a Document from decoded text. ``year``/``published`` override what is read;
    ``delete_patterns`` (compiled regexes from plugins) are removed from the matching view;
    ``reading`` (a ``checker.readers.Reading``) maps the text back to a .docx/.pdf/… original."""
    norm = normalise(text, delete_patterns)
    spans = logical_lines(norm.text)
    doc = Document(path=path, original=text, encoding=encoding, norm=norm, line_spans=spans, reading=reading)
    lines = [norm.text[s:e] for s, e in spans]
    chrome = find_chrome(lines)
    doc.chrome_lines = chrome.chrome_lines
    doc.chrome_blocks = chrome.blocks
    doc.header_end_line = chrome.header_end
    title = lines[chrome.title_line].strip() if chrome.title_line is not None else None
    body_last = len(lines) - 1
    date, source = published_date(lines, chrome.chrome_lines, body_last)
    if published:
        date, source = published, "命令行 --published"
    doc.meta = Meta(
        title=title,
        unit=unit_of(title, lines, chrome.chrome_lines,
                     lines[chrome.title_prefix_line].strip() if chrome.title_prefix_line is not None else None),
        report_year=year or report_year(title, lines, chrome.chrome_lines, chrome.header_end, date),
        published=date,
        published_source=source,
        encoding=encoding,
        script=norm.script,
        title_line=chrome.title_line,
    )
    build_outline(doc)
    return doc


def load_document(path: str, year=None, published=None, max_bytes=None, delete_patterns=(),
                  readers=None, data=None) -> Document:
    """Read a report file of any supported format and analyse it. Raises UnreadableInput with a
    reason. ``data`` are the file's bytes when already read (standard input, a zip member);
    ``readers`` is the suffix table of ``checker.readers.reader_table``."""
    if data is None:
        from ..inputs import load_bytes

        data = load_bytes(path, max_bytes or 64 * 1024 * 1024)
    reading = read_bytes(data, path, readers)
    return build_document(reading.text, path=path, encoding=reading.encoding, year=year, published=published,
                          delete_patterns=delete_patterns, reading=reading if reading.locations else None)
