"""``--format html -o review.html``: the office's review of a batch as one self-contained page.

Overview, ranking, units × statutory parts, the most frequent problems, the files not checked
(not an annual report, skipped), then one section per report with its findings (errors first, then
warnings; the hints folded under one line unless ``--min-severity info``) and its text with every
finding highlighted where it is (a finding in the list links to its place). Written with Jinja2
with autoescape on: every string from a report (unit, text, excerpt, message) is escaped, and the
marked-up text is built here from escaped pieces.

The page loads nothing: CSS and the small script are inline, the icon is a ``data:`` URL, so it
opens from a USB stick; it reads on a phone (390 px: the ranking keeps 名次, 单位 and 得分 in view).
Without JavaScript every table and text is readable; with it the ranking sorts and findings filter
by severity and rule. Its words are Chinese, or English with ``--lang en``.

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

LABELS = {
    "zh": {"title": "法治政府建设年度报告审查结果", "reports_n": "共 {n} 份报告", "pack": "规则包",
           "overview": "一、总体情况", "checked": "检查报告（份）", "unreadable": "无法读取（份）",
           "not_reports": "不是年度报告（份）", "mean": "平均得分", "errors_n": "错误（条）", "warnings_n": "警告（条）",
           "infos_n": "提示（条）", "band": "得分区间", "band_reports": "报告数", "spread": "分布",
           "ranking": "二、得分排名", "rank": "名次", "unit": "单位", "level": "类别", "year": "年度", "score": "得分",
           "unreadable_note": "无法读取", "matrix": "三、法定要素", "missing_part": "缺少", "problems": "四、常见问题",
           "problems_note": "只计错误和警告", "rule": "规则", "problem": "问题", "severity": "级别",
           "reports_hit": "涉及报告（份）", "findings_n": "问题（条）", "not_checked": "五、未纳入审查的文件",
           "file": "文件", "reason": "原因", "per_report": "六、逐份报告", "points": "分",
           "all_parts": "法定要素齐全", "cannot_check": "无法检查", "where": "位置", "problem_fix": "问题与修改建议",
           "fix": "修改建议：", "none_found": "未发现问题。", "more_hints": "另有 {n} 条提示（点开查看）",
           "show": "显示", "all_rules": "全部规则", "text_problem": "正文无法显示",
           "foot": "本页由 fazhi-lint 离线生成，不含任何外部资源。得分与问题为辅助审查意见，以人工审核为准。"},
    "en": {"title": "Annual reports on law-based government: review", "reports_n": "{n} report(s)", "pack": "rule pack",
           "overview": "1. Overview", "checked": "reports checked", "unreadable": "unreadable",
           "not_reports": "not an annual report", "mean": "mean score", "errors_n": "errors", "warnings_n": "warnings",
           "infos_n": "hints", "band": "score band", "band_reports": "reports", "spread": "spread",
           "ranking": "2. Ranking", "rank": "rank", "unit": "unit", "level": "type", "year": "year", "score": "score",
           "unreadable_note": "unreadable", "matrix": "3. Statutory parts", "missing_part": "missing",
           "problems": "4. Most frequent problems", "problems_note": "errors and warnings only", "rule": "rule",
           "problem": "problem", "severity": "severity", "reports_hit": "reports", "findings_n": "findings",
           "not_checked": "5. Files not reviewed", "file": "file", "reason": "reason", "per_report": "6. Each report",
           "points": "points", "all_parts": "all statutory parts present", "cannot_check": "cannot be checked",
           "where": "where", "problem_fix": "problem and fix", "fix": "fix: ", "none_found": "No problem found.",
           "more_hints": "{n} more hint(s) (open to see)", "show": "show", "all_rules": "all rules",
           "text_problem": "the text cannot be shown",
           "foot": "Generated offline by fazhi-lint; no external resource. Scores and findings assist a human review."},
}


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


def _report_view(index, result, rules, source_text, show_info, lang):
    findings = desk.in_review_order(desk.shown_findings(result))
    ids = [f"r{index}-f{n}" for n in range(1, len(findings) + 1)]
    text, text_problem = None, None
    if source_text is not None and not result.error:
        try:
            text = marked_text(source_text(result.path), findings, ids)
        except Exception as exc:          # the text is a courtesy; the findings are listed anyway
            text_problem = f"{LABELS[lang]['text_problem']}：{exc}"
    rows = [{"id": fid, "rule": f.rule, "severity": f.severity, "severity_word": desk.severity_word(f.severity, lang),
             "where": desk.location_words(f, lang), "message": f.message, "hint": f.hint, "excerpt": f.excerpt,
             "part": desk.part_label(desk.part_of(f, rules), rules, lang)}
            for f, fid in zip(findings, ids)]
    shown = [row for row in rows if show_info or row["severity"] != "info"]
    return {"id": f"r{index}", "unit": desk.unit_name(result, lang), "known_unit": desk.has_unit(result),
            "file": desk.file_label(result), "title": (result.meta or {}).get("title") or "", "score": result.score,
            "error": result.error, "missing": desk.missing_parts(result, rules, lang) if not result.error else [],
            "findings": shown, "folded": [row for row in rows if row not in shown],
            "text": text, "text_problem": text_problem}


def review_model(results, ruleset=None, source_text=None, show_info: bool = False, lang: str = "zh", skipped=()) -> dict:
    """Everything the page shows, as plain data (the tests compare it with the JSON of the run)."""
    lang = "en" if lang == "en" else "zh"
    reports = [r for r in results if r.is_report]
    rules = desk.rules_of(ruleset)
    ranking = desk.ranking(reports, lang)
    by_path = {}
    for n, r in enumerate(reports, 1):
        by_path.setdefault(r.path, n)
    for row in ranking:
        row["anchor"] = f"r{by_path[row['path']]}"
    matrix = desk.matrix(reports, rules, lang)
    for row in matrix:
        row["anchor"] = f"r{by_path[row['path']]}"
    severities = Counter(f.severity for r in reports for f in desk.shown_findings(r))
    rule_ids = sorted({f.rule for r in reports for f in desk.shown_findings(r)})
    scores = [r.score for r in reports if r.score is not None and not r.error]
    not_checked = [{"file": os.path.basename(path) or path, "reason": reason}
                   for path, reason in desk.not_checked(results, skipped)]
    return {
        "overview": {"reports": len(reports), "unreadable": sum(1 for r in reports if r.error),
                     "not_reports": sum(1 for r in results if desk.is_not_a_report(r)),
                     "mean": round(sum(scores) / len(scores), 1) if scores else None,
                     "lowest": min(scores) if scores else None, "highest": max(scores) if scores else None,
                     "errors": severities["error"], "warnings": severities["warning"], "infos": severities["info"],
                     "distribution": desk.score_distribution(reports, lang)},
        "ranking": ranking, "parts": desk.parts_of(rules, lang), "matrix": matrix,
        "problems": desk.frequent_problems(reports, rules, lang=lang),
        "not_checked": not_checked,
        "rules": [(rid, desk.rule_title(rules, rid, lang)) for rid in rule_ids],
        "reports": [_report_view(n, r, rules, source_text, show_info, lang) for n, r in enumerate(reports, 1)],
    }


def render_html(results, context) -> str:
    lang = "en" if context.get("lang") == "en" else "zh"
    model = review_model(results, context.get("ruleset"), context.get("source_text"), desk.shows_info(context), lang,
                         context.get("skipped", ()))
    return _environment().get_template("review.html.j2").render(
        **model, version=context.get("version", ""), pack=context.get("pack", ""), lang=lang, t=LABELS[lang],
        generated=datetime.date.today().isoformat(),
        severity_words={s: desk.severity_word(s, lang) for s in desk.SEVERITY_ORDER})
