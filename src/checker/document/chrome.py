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
    title_line: object         # int or None: the (last) line of the title
    title_prefix_line: object  # a line such as "××县农业农村局" directly above a "关于…的报告" title
    title_first_line: object = None     # int or None: the first line of a title set on two lines
    title: object = None       # the title as one string (its lines joined, a field label such as 名称： cut)


# A field label before the title in a pasted page's information block ("名  称：…报告").
_FIELD_LABEL = re.compile(r"^\W*(?:(?:信\s*息|文\s*件|文\s*章|公\s*文)\s*)?(?:名\s*称|题\s*名|标\s*题)\s*[:：]\s*")
# A line that cannot be the first half of a title: a sentence, an addressee ("市委、市政府：").
_NOT_TITLE_PART = re.compile(r"[。，,；;：:！!？?]")
# The first half of a title broken before its subject ("××县人民政府关于2023年度").
_TITLE_START = re.compile(r"关于|20\d\d\s*年度?$|的$")
# A title run on into the first body line, as a PDF reader may join them ("…年度报告2023年，我局…").
_RUN_ON_TITLE = re.compile(r"^(\s*[^。，,；;！!？?\n]{6,70}?报告)(?!如下|了|书|会|期|显示|中|的|和|与|及|并)(?=\S)")


# What follows a title run on into the body: a sentence, an addressee ("2023年，…", "区委：") or the
# document's number (富政报〔2024〕7号).
_SENTENCE_START = re.compile(r"^\s*(?:[^，,。：:；;\n]{0,60}[，,。：:；;]|[\u4e00-\u9fff]{1,8}〔20\d\d〕\d+号)")


def split_run_on_title(spans, text: str, look: int = 6) -> tuple:
    """``spans`` (logical lines) with a title that runs on into the first body line split off it:
    among the first ``look`` non-empty lines, one that begins with a whole title and goes on becomes
    two lines. Offsets are unchanged; only the line boundaries move."""
    lex = lexicon()
    out, seen = list(spans), 0
    for k, (start, end) in enumerate(spans):
        line = text[start:end]
        if not line.strip():
            continue
        seen += 1
        if seen > look:
            break
        m = _RUN_ON_TITLE.match(line)
        rest = line[m.end():] if m else ""
        if m and len(rest) > 1 and _is_title(title_text(m.group(1)), lex) and (
                _SENTENCE_START.match(rest) or _is_title(rest.strip(), lex)):
            out[k:k + 1] = [(start, start + m.end()), (start + m.end(), end)]
            break
        if _is_title(title_text(line), lex):
            break
    return tuple(out)


def title_text(text: str) -> str:
    """A title line as the title: stripped, without a field label before it."""
    return _FIELD_LABEL.sub("", text.strip())


def _is_body_paragraph(text: str) -> bool:
    """A line that reads as report prose rather than a title or a page furniture line."""
    if len(text) >= 90:
        return True
    return len(text) >= 40 and ("。" in text or text.count("，") + text.count(",") >= 2)


def _is_title(text: str, lex) -> bool:
    return (len(text) <= 80 and "。" not in text and bool(lex["title_subject"].search(text))
            and bool(lex["title_doctype"].search(text)))


def _title_part(text: str) -> bool:
    """Could this line be one line of a title set on two lines?"""
    return 2 <= len(text) <= 50 and not _NOT_TITLE_PART.search(text)


def _title_lines(lines, candidates, title_line, lex):
    """(first, last) lines of the title among the header's short lines ``candidates``: a title line
    and, directly above it, the unit or the first half of the title ("××县人民政府关于2023年度" /
    "法治政府建设情况的报告"); or, without a title line, two adjacent lines that make one together
    ("…关于2022年度法治政府建设" / "情况的报告"). ``(None, None)`` when there is no title."""
    def adjacent(a, b):
        return b == a + 1 and a in candidates

    if title_line is not None:
        above = title_line - 1
        head = lines[above].strip() if above >= 0 else ""
        if adjacent(above, title_line) and _title_part(head) and (_ORG_LINE.search(head) or _TITLE_START.search(head)) \
                and not lex["title_doctype"].search(head) and _is_title(head + title_text(lines[title_line]), lex):
            return above, title_line
        return title_line, title_line
    for a in candidates:
        if adjacent(a, a + 1) and a + 1 in candidates and _title_part(lines[a].strip()) \
                and _title_part(lines[a + 1].strip()) and _is_title(title_text(lines[a]) + lines[a + 1].strip(), lex):
            return a, a + 1
    return None, None


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
        if title_line is None and _is_title(title_text(text), lex):
            title_line = i
        elif title_line is None:
            short_before_title.append(i)
    first, last = _title_lines(lines, short_before_title, title_line, lex)
    title_prefix = None
    if last is not None:
        title_line = last
        if first != last and _ORG_LINE.search(lines[first].strip()):
            title_prefix = first
        # Other short lines above the title are the site's name or a banner ("大鹏新区").
        for i in short_before_title:
            if i not in (first, last) and i < first and len(lines[i].strip()) <= 20:
                chrome.add(i)
    title = None
    if last is not None:
        title = "".join(title_text(lines[i]) if i == first else lines[i].strip() for i in range(first, last + 1))

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
                        title_prefix, first, title)


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
