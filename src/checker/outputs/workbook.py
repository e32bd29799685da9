"""``--format xlsx -o review.xlsx``: the review as a workbook an office can sort, filter and print.

Sheets: 排名 (ranking), 要素 (units × statutory parts), 问题清单 (one row per error and warning, each
report's rows in review order: errors, then warnings, each in the order of the text; its hints in one
row "另有 N 条提示" unless ``--min-severity info`` lists them), 数据 (the facts table of ``--format
csv``), and, when there are any, 未检查的文件 (not an annual report, skipped, with the reason). Each
sheet has headers in the run's language, a frozen header row, filters on and set column widths, and
prints on A4 landscape, one page wide, the header row repeated on every page, long text wrapped.

Written with XlsxWriter: every report string goes through ``write_string``, so nothing is read as
a formula, and a string starting with = + - @ also gets Excel's quote prefix, so it stays text
even when someone edits the cell later (no formula injection from a report's text).
"""
from __future__ import annotations

import io
import os

from . import desk
from .csv_format import rows as fact_rows

_FORMULA_START = ("=", "+", "-", "@")
_WRAP_FROM = 30                     # columns this wide or wider wrap their text

HEADERS = {
    "zh": {"ranking": "排名", "matrix": "要素", "findings": "问题清单", "facts": "数据", "not_checked": "未检查的文件",
           "rank": "名次", "unit": "单位", "level": "类别", "year": "年度", "score": "得分", "file": "文件",
           "note": "备注", "missing": "缺少的要素", "part": "要素", "rule": "规则", "rule_title": "规则名称",
           "severity": "级别", "problem": "问题", "excerpt": "原文摘录", "where": "位置", "line": "行", "column": "列",
           "hint": "修改建议", "kind": "类别", "label": "事项", "count": "数量", "measure": "计量单位", "approx": "约数",
           "text": "原文", "reason": "原因", "unreadable": "无法读取", "yes": "是", "no": "否",
           "folded": "另有 {n} 条提示（加 --min-severity info 列出）"},
    "en": {"ranking": "ranking", "matrix": "parts", "findings": "findings", "facts": "facts", "not_checked": "not checked",
           "rank": "rank", "unit": "unit", "level": "type", "year": "year", "score": "score", "file": "file",
           "note": "note", "missing": "missing parts", "part": "part", "rule": "rule", "rule_title": "rule title",
           "severity": "severity", "problem": "problem", "excerpt": "excerpt", "where": "where", "line": "line",
           "column": "column", "hint": "fix", "kind": "kind", "label": "item", "count": "count", "measure": "measure",
           "approx": "approx.", "text": "text", "reason": "reason", "unreadable": "unreadable", "yes": "yes", "no": "no",
           "folded": "{n} more hint(s) (--min-severity info lists them)"},
}
# The facts table's kinds (document/facts/lexicon.py FACT_KINDS) as an office reads them.
FACT_KINDS = {
    "zh": {"study": "学法用法", "responsibility": "第一责任人", "litigation": "复议诉讼", "documents": "文件与决策",
           "publicity": "普法宣传", "enforcement": "行政执法", "other": "其他"},
    "en": {"study": "study of law", "responsibility": "responsibility", "litigation": "review and litigation",
           "documents": "documents and decisions", "publicity": "legal publicity", "enforcement": "enforcement",
           "other": "other"},
}
RANKING = (("rank", 6), ("unit", 30), ("level", 12), ("year", 7), ("score", 7), ("error", 6), ("warning", 6),
           ("info", 6), ("file", 28), ("note", 24))
FINDINGS = (("unit", 26), ("file", 24), ("part", 14), ("rule", 9), ("rule_title", 22), ("severity", 6),
            ("problem", 50), ("excerpt", 36), ("where", 12), ("line", 6), ("column", 6), ("hint", 50))
FACTS = (("file", 24), ("unit", 26), ("year", 7), ("kind", 14), ("label", 24), ("count", 8), ("measure", 8),
         ("approx", 6), ("line", 6), ("column", 6), ("text", 60))


class _Sheet:
    """One worksheet written row by row, with the header, widths, frozen row, filter and print setup."""

    def __init__(self, book, name, columns, formats):
        self.ws, self.formats, self.row = book.add_worksheet(name), formats, 0
        self.width = len(columns)
        self.wrapped = set()
        for col, (title, width) in enumerate(columns):
            wrap = width >= _WRAP_FROM
            if wrap:
                self.wrapped.add(col)
            self.ws.set_column(col, col, width, formats["wrap"] if wrap else None)
        self.write([title for title, _ in columns], header=True)
        self.ws.freeze_panes(1, 0)
        ws = self.ws
        ws.set_paper(9)                      # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)                # one page wide, as many pages tall as it takes
        ws.repeat_rows(0)                    # the header row on every printed page
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.set_footer("&C&P / &N")

    def write(self, values, header=False):
        row, ws, quoted = self.row, self.ws, self.formats["header" if header else "quoted"]
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if type(value) in (int, float):
                ws.write_number(row, col, value)
            else:
                text = str(value)
                fmt = quoted if header or text.startswith(_FORMULA_START) else None
                if not header and col in self.wrapped:
                    fmt = self.formats["wrap_quoted" if fmt is not None else "wrap"]
                ws.write_string(row, col, text, fmt)
        self.row += 1

    def close(self):
        self.ws.autofilter(0, 0, max(self.row - 1, 0), self.width - 1)


def _titles(columns, words, lang):
    return [(words.get(key) or desk.severity_word(key, lang), width) for key, width in columns]


def render_xlsx(results, context) -> bytes:
    import xlsxwriter

    lang = "en" if context.get("lang") == "en" else "zh"
    words = HEADERS[lang]
    rules = desk.rules_of(context.get("ruleset"))
    show_info = desk.shows_info(context)
    reports = [r for r in results if r.is_report]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    formats = {"header": book.add_format({"bold": True, "bg_color": "#F3F1EC", "border": 1, "text_wrap": True,
                                          "valign": "top"}),
               "quoted": book.add_format({"quote_prefix": True, "valign": "top"}),
               "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
               "wrap_quoted": book.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})}

    sheet = _Sheet(book, words["ranking"], _titles(RANKING, words, lang), formats)
    for row in desk.ranking(reports, lang):
        sheet.write([row["rank"], row["unit"], row["level"], row["year"], row["score"], row["errors"],
                     row["warnings"], row["infos"], row["path"],
                     f"{words['unreadable']}：{row['error']}" if row["error"] else ""])
    sheet.close()

    parts = desk.parts_of(rules, lang)
    sheet = _Sheet(book, words["matrix"], ((words["unit"], 30), *((label, 14) for _, label in parts),
                                           (words["missing"], 30), (words["file"], 28)), formats)
    for row in desk.matrix(reports, rules, lang):
        sheet.write([row["unit"], *("✓" if row["parts"][key] else "✗" for key, _ in parts),
                     "、".join(row["missing"]), row["path"]])
    sheet.close()

    sheet = _Sheet(book, words["findings"], _titles(FINDINGS, words, lang), formats)
    for result in reports:
        unit = desk.unit_name(result, lang)
        shown, hidden = desk.folded(desk.in_review_order(desk.shown_findings(result)), show_info)
        for f in shown:
            part = desk.part_label(desk.part_of(f, rules), rules, lang)
            sheet.write([unit, result.path, part, f.rule, desk.rule_title(rules, f.rule, lang),
                         desk.severity_word(f.severity, lang), f.message, f.excerpt, desk.location_words(f, lang),
                         f.line, f.column, f.hint])
        if hidden:
            sheet.write([unit, result.path, "", "", "", desk.severity_word("info", lang), words["folded"].format(n=hidden)])
    sheet.close()

    sheet = _Sheet(book, words["facts"], _titles(FACTS, words, lang), formats)
    for fact in fact_rows(reports):
        approx = {"true": words["yes"], "false": words["no"]}.get(fact.get("approx"), "")
        kind = FACT_KINDS[lang].get(fact.get("kind"), fact.get("kind"))
        sheet.write([fact.get("path"), fact.get("unit"), fact.get("year"), kind, fact.get("label"),
                     fact.get("count"), fact.get("measure"), approx, fact.get("line"), fact.get("column"),
                     fact.get("text")])
    sheet.close()

    not_checked = desk.not_checked(results, context.get("skipped", ()))
    if not_checked:
        sheet = _Sheet(book, words["not_checked"], ((words["file"], 40), (words["reason"], 70)), formats)
        for path, reason in not_checked:
            sheet.write([os.path.basename(path) or path, reason])
        sheet.close()
    book.close()
    return buffer.getvalue()
