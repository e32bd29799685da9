"""Recognise web-page chrome (site headers, 索引号 blocks, 字体/打印, ICP footers) and the title line.

Chrome is kept out of the report body: rules scoped to the body never see it, and the outline
starts after the header zone. Lines are judged in three zones: the header (before the first body
paragraph), the footer (after the last body paragraph) and anywhere (unmistakable furniture).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import lexicon
from .outline import heading_level

_MAX_CHROME_LINE = 200
_ORG_LINE = re.compile(r"(人民政府|政府|办公室|办公厅|委员会|管委会|局|厅|委|办|中心|街道办事处|镇|乡|院)$")


@dataclass(frozen=True)
class ChromeResult:
    chrome_lines: frozenset
    blocks: list               # [(first_line, last_line)], 0-based, blank lines inside a block allowed
    header_end: int            # first line index that belongs to the body proper
    title_line: object         # int or None
    title_prefix_line: object  # a line such as "××县农业农村局" directly above a "关于…的报告" title


def _is_body_paragraph(text: str) -> bool:
    """A line that reads as report prose rather than a title or a page furniture line."""
    if len(text) >= 90:
        return True
    return len(text) >= 40 and ("。" in text or text.count("，") + text.count(",") >= 2)


def _is_title(text: str, lex) -> bool:
    return (len(text) <= 80 and "。" not in text and bool(lex["title_subject"].search(text))
            and bool(lex["title_doctype"].search(text)))


def find_chrome(lines: list) -> ChromeResult:
    lex = lexicon()
    header_re, footer_re, anywhere_re = lex["chrome_header"], lex["chrome_footer"], lex["chrome_anywhere"]
    chrome = set()
    for i, line in enumerate(lines):
        if line and anywhere_re.search(line):
            chrome.add(i)

    # Header zone.
    header_end = len(lines)
    title_line = None
    short_before_title = []
    for i, line in enumerate(lines):
        text = line.strip()
        if not text or i in chrome:
            continue
        if len(text) <= _MAX_CHROME_LINE and header_re.search(text) and not _is_body_paragraph_only(text):
            chrome.add(i)
            continue
        if heading_level(text) or _is_body_paragraph(text):
            header_end = i
            break
        if title_line is None and _is_title(text, lex):
            title_line = i
        elif title_line is None:
            short_before_title.append(i)
    title_prefix = None
    if title_line is not None:
        above = next((j for j in range(title_line - 1, -1, -1) if lines[j].strip()), None)
        if above in short_before_title and _ORG_LINE.search(lines[above].strip()):
            title_prefix = above
        # Other short lines above the title are the site's name or a banner ("大鹏新区").
        for i in short_before_title:
            if i != title_prefix and len(lines[i].strip()) <= 20:
                chrome.add(i)

    # Footer zone: walk back from the end while lines are furniture.
    for i in range(len(lines) - 1, header_end - 1, -1):
        text = lines[i].strip()
        if not text:
            continue
        if len(text) <= _MAX_CHROME_LINE and (footer_re.search(text) or header_re.search(text)) \
                and not _is_body_paragraph_only(text):
            chrome.add(i)
            continue
        if i in chrome:
            continue
        break

    return ChromeResult(frozenset(chrome), _blocks(chrome, lines), min(header_end, len(lines)), title_line,
                        title_prefix)


def _is_body_paragraph_only(text: str) -> bool:
    """Prose that merely mentions a chrome word (e.g. "…研究发布日期调整等事项。") is not chrome."""
    return text.endswith(("。", "；", ";")) and len(text) >= 15


def _blocks(chrome: set, lines: list) -> list:
    blocks = []
    for i in sorted(chrome):
        if blocks:
            last = blocks[-1][1]
            if all(not lines[j].strip() for j in range(last + 1, i)):
                blocks[-1] = (blocks[-1][0], i)
                continue
        blocks.append((i, i))
    return blocks
