"""``--format csv``: the facts table, one row per fact, so an office can compare its units in a
spreadsheet. UTF-8 with a byte-order mark (Excel then reads the Chinese text correctly).

Columns: path, unit (the reporting body), year (report year), kind, label, count, measure (unit of
measure), approx, line, column, text. A report with no facts gets one row with only path, unit and
year (and ``text`` saying why), so every checked report appears in the sheet.
"""
from __future__ import annotations

import csv
import io

COLUMNS = ("path", "unit", "year", "kind", "label", "count", "measure", "approx", "line", "column", "text")
BOM = "\ufeff"


def _count(value):
    return int(value) if float(value).is_integer() else value


def rows(results):
    """The table as dictionaries (also used by tests)."""
    for result in results:
        meta = result.meta or {}
        base = {"path": result.path, "unit": meta.get("unit") or "", "year": meta.get("report_year") or ""}
        if result.error:
            yield {**base, "text": f"无法读取：{result.error}"}
            continue
        if not result.facts:
            yield {**base, "text": "未找到量化事实"}
            continue
        for fact in result.facts:
            yield {**base, "kind": fact.kind, "label": fact.label, "count": _count(fact.count),
                   "measure": fact.unit, "approx": "true" if fact.approx else "false",
                   "line": fact.line, "column": fact.column, "text": fact.text}


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(value):
    """A text cell that a spreadsheet would run as a formula (=HYPERLINK(…), +1, -2, @SUM) is
    written with a leading apostrophe, which spreadsheets show as text (OWASP's advice for CSV
    injection). Numbers stay numbers."""
    if not isinstance(value, str):
        return value
    if "\r" in value:               # a lone CR would not be quoted (the line terminator is \n) and split the row
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + value if value.startswith(FORMULA_START) else value


def render_csv(results, context) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows(results):
        writer.writerow({key: as_text_cell(value) for key, value in row.items()})
    return BOM + buffer.getvalue()
