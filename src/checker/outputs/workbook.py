"""``--format xlsx -o review.xlsx``: the review as a workbook an office can sort, filter and print.

Sheets: 排名 (ranking), 要素 (units × statutory parts), 问题清单 (every finding, one row), 数据 (the
facts table of ``--format csv``). Each sheet has Chinese headers, a frozen header row, filters on
and set column widths.

Written with XlsxWriter: every report string goes through ``write_string``, so nothing is read as
a formula, and a string starting with = + - @ also gets Excel's quote prefix, so it stays text
even when someone edits the cell later (no formula injection from a report's text).
"""
from __future__ import annotations

import io

from . import desk
from .csv_format import rows as fact_rows

_FORMULA_START = ("=", "+", "-", "@")

RANKING = (("名次", 6), ("单位", 30), ("类别", 12), ("年度", 7), ("得分", 7), ("错误", 6), ("警告", 6),
           ("提示", 6), ("文件", 28), ("备注", 24))
FINDINGS = (("单位", 26), ("文件", 24), ("要素", 14), ("规则", 9), ("规则名称", 22), ("级别", 6), ("问题", 50),
            ("原文摘录", 36), ("位置", 12), ("行", 6), ("列", 6), ("修改建议", 50))
FACTS = (("文件", 24), ("单位", 26), ("年度", 7), ("类别", 14), ("事项", 24), ("数量", 8), ("计量单位", 8),
         ("约数", 6), ("行", 6), ("列", 6), ("原文", 60))


class _Sheet:
    """One worksheet written row by row, with the header, widths, frozen row and filter set up."""

    def __init__(self, book, name, columns, formats):
        self.ws, self.formats, self.row = book.add_worksheet(name), formats, 0
        self.width = len(columns)
        for col, (title, width) in enumerate(columns):
            self.ws.set_column(col, col, width)
        self.write([title for title, _ in columns], header=True)
        self.ws.freeze_panes(1, 0)

    def write(self, values, header=False):
        row, ws, quoted = self.row, self.ws, self.formats["header" if header else "quoted"]
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if type(value) in (int, float):
                ws.write_number(row, col, value)
            else:
                text = str(value)
                ws.write_string(row, col, text, quoted if header or text.startswith(_FORMULA_START) else None)
        self.row += 1

    def close(self):
        self.ws.autofilter(0, 0, max(self.row - 1, 0), self.width - 1)


def render_xlsx(results, context) -> bytes:
    import xlsxwriter

    ruleset = desk.rule_index(context.get("ruleset"))
    reports = [r for r in results if r.is_report]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    formats = {"header": book.add_format({"bold": True, "bg_color": "#F3F1EC", "border": 1}),
               "quoted": book.add_format({"quote_prefix": True})}

    sheet = _Sheet(book, "排名", RANKING, formats)
    for row in desk.ranking(reports):
        sheet.write([row["rank"], row["unit"], row["level"], row["year"], row["score"], row["errors"],
                     row["warnings"], row["infos"], row["path"], f"无法读取：{row['error']}" if row["error"] else ""])
    sheet.close()

    parts = [(label, 14) for _, label in desk.PARTS]
    sheet = _Sheet(book, "要素", (("单位", 30), *parts, ("缺少的要素", 30), ("文件", 28)), formats)
    for row in desk.matrix(reports):
        sheet.write([row["unit"], *("✓" if row["parts"][key] else "✗" for key, _ in desk.PARTS),
                     "、".join(row["missing"]), row["path"]])
    sheet.close()

    sheet = _Sheet(book, "问题清单", FINDINGS, formats)
    for result in reports:
        unit = desk.unit_name(result)
        for f in sorted(desk.shown_findings(result), key=lambda f: (f.line, f.column, f.rule)):
            part = desk.part_of(f, ruleset)
            sheet.write([unit, result.path, desk.PART_LABEL.get(part, desk.GENERAL_PART[1]), f.rule,
                         desk.rule_title(ruleset, f.rule), desk.severity_word(f.severity), f.message, f.excerpt,
                         desk.location_words(f), f.line, f.column, f.hint])
    sheet.close()

    sheet = _Sheet(book, "数据", FACTS, formats)
    for fact in fact_rows(reports):
        approx = {"true": "是", "false": "否"}.get(fact.get("approx"), "")
        sheet.write([fact.get("path"), fact.get("unit"), fact.get("year"), fact.get("kind"), fact.get("label"),
                     fact.get("count"), fact.get("measure"), approx, fact.get("line"), fact.get("column"),
                     fact.get("text")])
    sheet.close()
    book.close()
    return buffer.getvalue()
