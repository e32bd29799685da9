"""Reading a report: bytes -> Source text -> normalised view -> chrome, metadata and outline.

``load_document`` is the one entry point; the steps are separate modules so that each can be
tested (and, later, replaced through the normaliser hook) on its own.
"""
from __future__ import annotations

import dataclasses
import re

from ..readers import read_bytes
from ..readers.base import UnreadableInput
from .chrome import find_chrome, split_run_on_title
from .evidence import settle_unit, settle_year, signature, subject_of, year_evidence
from .meta import page_unit, published_date, report_year, unit_of, valid_iso, years_in
from .model import Document, Meta, Part
from .normalise import normalise
from .vocabulary import default_vocabulary
from .outline import build_outline
from ..toolrules import MAX_BYTES

__all__ = ["Document", "Meta", "Part", "UnreadableInput", "build_document", "load_document"]


# Text extracted from PDF or pasted from a page often runs several parts into one physical line
# ("…营造良好氛围。二、存在的不足…"). A heading that follows a sentence end starts a logical line.
# The sentence end is matched (not looked behind), so re finds candidates by it: group 1 is the gap.
_INLINE_HEADING = re.compile(r"[。；;！!？?]([ \t]*)(?=(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])\S)")


def logical_lines(text: str) -> list:
    """(start, end) of each logical line: physical lines, split again before inline headings."""
    spans, pos = [], 0
    for line in text.split("\n"):
        start = pos
        for m in _INLINE_HEADING.finditer(line):
            spans.append((start, pos + m.start(1)))
            start = pos + m.end()
        spans.append((start, pos + len(line)))
        pos += len(line) + 1
    return spans


def build_document(text: str, path: str = "<text>", encoding: str = "utf-8",
                   year=None, published=None, delete_patterns=(), reading=None, subject=None,
                   vocabulary=None) -> Document:
    """Build a Document from decoded text. ``year``/``published``/``subject`` override what is read;
    ``delete_patterns`` (compiled regexes from plugins) are removed from the matching view;
    ``reading`` (a ``checker.readers.Reading``) maps the text back to a .docx/.pdf/… original;
    ``vocabulary`` (``document.vocabulary.Vocabulary``) holds the rule pack's words (the national
    pack's when None)."""
    vocabulary = vocabulary or default_vocabulary()
    norm = normalise(text, delete_patterns)
    spans = split_run_on_title(tuple(logical_lines(norm.text)), norm.text)
    lines = [norm.text[s:e] for s, e in spans]
    chrome = find_chrome(lines)
    title = chrome.title
    body_last = len(lines) - 1
    date, source = published_date(lines, chrome.chrome_lines, body_last)
    page_date = valid_iso(getattr(reading, "published", None))     # an impossible date is no date
    if page_date and source in (None, "落款"):     # the page's own info bar outranks a signature, as in a pasted page
        date, source = page_date, "网页发布时间"
    if published:
        date, source = published, "命令行 --published"
    signed_unit, signed, _ = signature(lines, chrome.chrome_lines, body_last)
    prefix = lines[chrome.title_prefix_line].strip() if chrome.title_prefix_line is not None else None
    unit, unit_source = _unit(title, lines, chrome.chrome_lines, prefix, signed_unit)
    guess = year or report_year(title, lines, chrome.chrome_lines, chrome.header_end, date)
    meta = Meta(title=title, unit=unit, report_year=guess, published=date, published_source=source,
                encoding=encoding, script=norm.script, title_line=chrome.title_line, signed=signed,
                title_first_line=chrome.title_first_line)
    doc = Document(path=path, original=text, encoding=encoding, norm=norm, line_spans=spans,
                   chrome_lines=chrome.chrome_lines, chrome_blocks=tuple(chrome.blocks),
                   header_end_line=chrome.header_end, meta=meta, reading=reading, vocabulary=vocabulary)
    doc = doc.with_outline(build_outline(doc))
    doc, year_sources = _settle(doc, lines, chrome, year, date, source, signed, guess)
    found, read_from = subject_of(unit, title, signed_unit, vocabulary=vocabulary)
    sources = {**year_sources, "unit": unit_source, "published": source,
               "subject": "命令行 --subject 或配置" if subject else (f"单位名称“{read_from}”" if found else "未能识别")}
    return doc.with_meta(dataclasses.replace(doc.meta, subject=subject or found or "other", sources=sources))


def _unit(title, lines, chrome_lines, prefix, signed_unit):
    """(unit, source): the title's, the signature's and the page's names weighed (``settle_unit``)."""
    from_title = unit_of(title, [], frozenset(), None) if title else None
    return settle_unit([("标题", from_title), ("标题上方一行", prefix if not from_title else None),
                        ("落款", signed_unit), ("网页发布机构", page_unit(lines, chrome_lines))])


def _title_year(doc, lines, chrome):
    if doc.meta.title:
        years = years_in(doc.meta.title)
        if years:
            return years[0]
    for i in sorted(chrome.chrome_lines):
        if re.search(r"标\s*题", lines[i]):
            years = years_in(lines[i])
            if years:
                return years[0]
    return None


def _settle(doc, lines, chrome, year, date, source, signed, guess):
    """(document, sources of the year): the year evidence weighed; when the settled year differs
    from the first guess, the document is read again with it (a new Document and outline)."""
    evidence = tuple(year_evidence(doc, _title_year(doc, lines, chrome), signed, date, source))
    doc = doc.with_meta(dataclasses.replace(doc.meta, year_evidence=evidence))
    if year:
        return doc, {"report_year": "命令行 --year"}
    settled, why, conflict = settle_year(evidence)
    doc = doc.with_meta(dataclasses.replace(doc.meta, year_conflict=conflict))
    if settled is None:
        return doc, {"report_year": "发布日期推算" if guess else None}
    if settled != guess:
        doc = doc.with_meta(dataclasses.replace(doc.meta, report_year=settled))
        doc = doc.with_outline(build_outline(doc))
    return doc, {"report_year": why}


def load_document(path: str, year=None, published=None, max_bytes=None, delete_patterns=(),
                  readers=None, data=None, subject=None, vocabulary=None) -> Document:
    """Read a report file of any supported format and analyse it. Raises UnreadableInput with a
    reason. ``data`` are the file's bytes when already read (standard input, a zip member);
    ``readers`` is the suffix table of ``checker.readers.reader_table``."""
    if data is None:
        from ..inputs import load_bytes

        data = load_bytes(path, max_bytes or MAX_BYTES)
    reading = read_bytes(data, path, readers)
    return build_document(reading.text, path=path, encoding=reading.encoding, year=year, published=published,
                          delete_patterns=delete_patterns, reading=reading,
                          subject=subject, vocabulary=vocabulary)
