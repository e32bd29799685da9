"""``--format html -o review.html``: the office's review of a batch as one self-contained page.

Overview, ranking, units × statutory parts, the most frequent problems, then one section per
report with its text and every finding highlighted where it is (a finding in the list links to
its place). Written with Jinja2 with autoescape on: every string from a report (unit, text,
excerpt, message) is escaped, and the marked-up text is built here from escaped pieces.

The page loads nothing: CSS and the small script are inline, the icon is a ``data:`` URL, so it
opens from a USB stick. Without JavaScript every table and text is readable; with it the ranking
sorts and findings filter by severity and rule.

The report text comes from ``context["source_text"](path)`` (the CLI passes the reader that
checked the file), so this module never reads files itself.
"""
from __future__ import annotations

import datetime
import os
from collections import Counter
from typing import TYPE_CHECKING

from . import desk

if TYPE_CHECKING:                      # only named in annotations
    from markupsafe import Markup

_TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
_ENV = None


def _environment():
    global _ENV
    if _ENV is None:
        import jinja2

        _ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=True,
                                  trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    return _ENV


def _line_starts(text: str) -> list:
    starts, pos = [0], 0
    while True:
        pos = text.find("\n", pos)
        if pos < 0:
            return starts
        pos += 1
        starts.append(pos)


def _offsets(finding, starts, length):
    """Character offsets of a finding in the text; a zero-width one covers the rest of its line."""
    def at(line, column):
        if not line or line < 1 or line > len(starts):
            return None
        return min(starts[line - 1] + max(column, 1) - 1, length)
    start = at(finding.line, finding.column)
    if start is None:
        return None
    end = at(finding.end_line, finding.end_column) or start
    if end <= start:
        line_end = starts[finding.line] - 1 if finding.line < len(starts) else length
        end = max(line_end, start)
    return start, end


def marked_text(text: str, findings, ids) -> "Markup":
    """The report text, escaped, with ``<mark>`` around each finding and an anchor where it starts.

    Overlapping findings are cut at every boundary: each piece carries the classes of all the
    findings covering it, so hiding one severity (by CSS class) never hides another's highlight.
    Built as a plain string from escaped pieces (``str(escape(...))``), then marked safe once.
    """
    from markupsafe import Markup, escape

    def esc(value) -> str:
        return str(escape(value))

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    starts, spans = _line_starts(text), []
    for f, fid in zip(findings, ids):
        where = _offsets(f, starts, len(text))
        if where:
            spans.append((where[0], where[1], f, esc(fid)))
    cuts = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    begins = {}
    for s, _, f, fid in spans:
        begins.setdefault(s, []).append(fid)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        out.extend(f'<span class="anchor" id="{fid}"></span>' for fid in begins.get(a, ()))
        piece = esc(text[a:b])
        covering = [f for s, e, f, _ in spans if s <= a and b <= e]
        if covering:
            classes = " ".join(sorted({f"sev-{f.severity}" for f in covering} | {f"rule-{f.rule}" for f in covering}))
            title = "；".join(f"{f.rule} {f.message}" for f in covering)
            out.append(f'<mark class="{esc(classes)}" title="{esc(title)}">{piece}</mark>')
        else:
            out.append(piece)
    return Markup("".join(out))


def _report_view(index, result, ruleset, source_text):
    findings = sorted(desk.shown_findings(result), key=lambda f: (f.line, f.column, f.rule))
    ids = [f"r{index}-f{n}" for n in range(1, len(findings) + 1)]
    text, text_problem = None, None
    if source_text is not None and not result.error:
        try:
            text = marked_text(source_text(result.path), findings, ids)
        except Exception as exc:          # the text is a courtesy; the findings are listed anyway
            text_problem = f"正文无法显示：{exc}"
    rows = [{"id": fid, "rule": f.rule, "severity": f.severity, "severity_word": desk.severity_word(f.severity),
             "where": desk.location_words(f), "message": f.message, "hint": f.hint, "excerpt": f.excerpt,
             "part": desk.PART_LABEL.get(desk.part_of(f, ruleset), desk.GENERAL_PART[1])}
            for f, fid in zip(findings, ids)]
    elements = result.elements or {}
    return {"id": f"r{index}", "unit": desk.unit_name(result), "file": desk.file_label(result),
            "title": (result.meta or {}).get("title") or "", "score": result.score, "error": result.error,
            "missing": [label for key, label in desk.PARTS if not elements.get(key)] if not result.error else [],
            "findings": rows, "text": text, "text_problem": text_problem}


def review_model(results, ruleset=None, source_text=None) -> dict:
    """Everything the page shows, as plain data (the tests compare it with the JSON of the run)."""
    reports = [r for r in results if r.is_report]
    ruleset = desk.rule_index(ruleset)
    ranking = desk.ranking(reports)
    index = {id(r): n for n, r in enumerate(reports, 1)}
    by_path = {}
    for n, r in enumerate(reports, 1):
        by_path.setdefault(r.path, n)
    for row in ranking:
        row["anchor"] = f"r{by_path[row['path']]}"
    matrix = desk.matrix(reports)
    for row in matrix:
        row["anchor"] = f"r{by_path[row['path']]}"
    severities = Counter(f.severity for r in reports for f in desk.shown_findings(r))
    rules = sorted({f.rule for r in reports for f in desk.shown_findings(r)})
    scores = [r.score for r in reports if r.score is not None and not r.error]
    return {
        "overview": {"reports": len(reports), "unreadable": sum(1 for r in reports if r.error),
                     "mean": round(sum(scores) / len(scores), 1) if scores else None,
                     "lowest": min(scores) if scores else None, "highest": max(scores) if scores else None,
                     "errors": severities["error"], "warnings": severities["warning"], "infos": severities["info"],
                     "distribution": desk.score_distribution(reports)},
        "ranking": ranking, "parts": desk.PARTS, "matrix": matrix,
        "problems": desk.frequent_problems(reports, ruleset),
        "rules": [(rid, desk.rule_title(ruleset, rid)) for rid in rules],
        "reports": [_report_view(index[id(r)], r, ruleset, source_text) for r in reports],
    }


def render_html(results, context) -> str:
    model = review_model(results, context.get("ruleset"), context.get("source_text"))
    return _environment().get_template("review.html.j2").render(
        **model, version=context.get("version", ""), pack=context.get("pack", ""),
        generated=datetime.date.today().isoformat(), severity_zh=desk.SEVERITY_ZH)
