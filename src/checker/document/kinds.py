"""Is this file an annual report at all? A document-level classification with its reason.

Every inbox holds files that are not reports: the cover letter (报送函) a unit sends with its report,
a notice (通知) about the reports, a scanned PDF whose only text is a print header and a page
number. Checked as reports they score 0 and drag the mean and the ranking down. ``classify`` says
which of them a document is, and why, from what the rule pack's policy gives (``not_a_report:`` in
rules/national/policy.yaml, which a province may extend):

- ``report_parts``: a document holding this many of the statutory parts is a report, whatever its
  title says (a report with its cover letter on top is a report);
- ``min_chars``: a file of a paged format (``scan_formats``: .pdf, .ofd) with fewer Chinese characters
  in its body than this is a scan whose text layer holds only a print header or a page number (a
  short .txt or a piped snippet is still checked: checking a paragraph is a use of its own);
- ``types``: other document types, each with patterns for its title (or, without one, its first
  line) and for phrases of its text; the text alone decides only in a body shorter than
  ``short_chars``.

The reasons are written for the office that reads the list: what the file looks like, and what it
lacks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ConfigError
from ..records import ELEMENTS

_CJK = re.compile(r"[\u4e00-\u9fff]")
NOT_A_REPORT = "not_report"          # Result.kind of a file that is not an annual report


@dataclass(frozen=True)
class DocType:
    name: str
    title: object             # compiled pattern or None
    text: object              # compiled pattern or None


@dataclass(frozen=True)
class NotAReport:
    report_parts: int = 3
    min_chars: int = 100
    short_chars: int = 1500
    types: tuple = ()
    scan_formats: tuple = ("pdf", "ofd")


def _pattern(value, what: str, where: str):
    if value is None:
        return None
    patterns = [value] if isinstance(value, str) else value
    if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
        raise ConfigError(f"{where}: not_a_report.{what} 应是正则表达式的列表")
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.MULTILINE) if patterns else None
    except re.error as exc:
        raise ConfigError(f"{where}: not_a_report.{what} 中有无效的正则表达式：{exc}") from None


def _count(data: dict, key: str, default: int, where: str) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{where}: not_a_report.{key} 应是非负整数，而不是 {value!r}")
    return value


def parse_not_a_report(data, where: str = "policy.yaml") -> NotAReport:
    """The classifier's settings from a policy's ``not_a_report`` mapping; ConfigError names ``where``."""
    if data is None:
        return NotAReport()
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: not_a_report 应是映射（report_parts、min_chars、short_chars、types）")
    unknown = set(data) - {"report_parts", "min_chars", "short_chars", "types", "scan_formats"}
    if unknown:
        raise ConfigError(f"{where}: not_a_report 的未知字段 {', '.join(sorted(map(str, unknown)))}"
                          "（可用：report_parts、min_chars、short_chars、scan_formats、types）")
    scan_formats = data.get("scan_formats", ["pdf", "ofd"])
    if not isinstance(scan_formats, list) or not all(isinstance(f, str) and f for f in scan_formats):
        raise ConfigError(f"{where}: not_a_report.scan_formats 应是文件格式的列表（如 [pdf, ofd]）")
    types, seen = [], set()
    items = data.get("types") or []
    if not isinstance(items, list):
        raise ConfigError(f"{where}: not_a_report.types 应是列表：[{{name, title, text}}]")
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip() \
                or set(item) - {"name", "title", "text"} or not (item.get("title") or item.get("text")):
            raise ConfigError(f"{where}: not_a_report.types[{i}] 应是 {{name: 文种, title: [正则…], text: [正则…]}}")
        if item["name"] in seen:
            continue                  # a province's own entry comes first and wins over the inherited one
        seen.add(item["name"])
        types.append(DocType(item["name"].strip(), _pattern(item.get("title"), f"types[{i}].title", where),
                             _pattern(item.get("text"), f"types[{i}].text", where)))
    return NotAReport(report_parts=_count(data, "report_parts", 3, where), min_chars=_count(data, "min_chars", 100, where),
                      short_chars=_count(data, "short_chars", 1500, where), types=tuple(types),
                      scan_formats=tuple(f.lower().lstrip(".") for f in scan_formats))


def _body(doc) -> str:
    return "\n".join(doc.text[s:e] for s, e in doc.scope_spans("report"))


def _heading_line(doc) -> str:
    """The title, else the first non-empty line that is not page chrome."""
    if doc.meta.title:
        return doc.meta.title
    for i in range(len(doc.line_spans)):
        if i not in doc.chrome_lines and doc.line_text(i).strip():
            return doc.line_text(i).strip()[:80]
    return ""


def _short(text: str, limit: int = 40) -> str:
    text = re.sub(r"\s+", "", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def classify(doc, settings: NotAReport = None):
    """None for an annual report; else the reason it is not one, in words (``settings``: the pack's,
    by default those the document was read with)."""
    settings = settings or getattr(getattr(doc, "vocabulary", None), "not_a_report", None) or NotAReport()
    parts = sum(1 for element in ELEMENTS if doc.element_spans(element))
    if parts >= settings.report_parts:
        return None
    body = _body(doc)
    chars = len(_CJK.findall(body))
    lacking = "没有年度报告的法定内容" if parts == 0 else f"法定内容只找到 {parts} 项"
    heading = _heading_line(doc)
    for kind in settings.types:
        if kind.title is not None and heading and kind.title.search(heading):
            return f"这是{kind.name}（标题“{_short(heading)}”），{lacking}"
    if chars < settings.short_chars:
        for kind in settings.types:
            m = kind.text.search(body) if kind.text is not None else None
            if m:
                return f"这是{kind.name}（正文写“{_short(m.group(0))}”），{lacking}"
    paged = getattr(getattr(doc, "reading", None), "format", None) in settings.scan_formats
    if paged and chars < settings.min_chars:
        return (f"正文只有 {chars} 个字，{lacking}；如果是扫描件（只有页眉、页码等零星文字），"
                "请提交有文字层的文件")
    return None


def not_a_report(doc):
    """The reason ``doc`` is not an annual report, with its rule pack's settings; None for a report."""
    return classify(doc)
