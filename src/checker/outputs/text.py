"""``--format text`` in three styles (``--output-format``, after ruff):

- ``concise`` (the default): ``path:line:col: RULE 级别 message`` and a score line per report;
- ``full``: concise plus the hint and the legal basis of each finding;
- ``grouped``: one block per report (unit, score, statutory parts present and missing), then its
  findings as ``  line:col RULE 级别 message``: an office's view, so errors come first, then
  warnings, each in the order of the text, and the hints are folded into one line ("另有 N 条提示")
  unless ``--min-severity info`` asked for them.

A file that is not an annual report (a cover letter, a notice) gets one line, ``不是年度报告（原因）``.
Every style ends with the same summary line. Words are Chinese, or English with ``--lang en``.
"""
from __future__ import annotations

from .desk import (basis_text, folded, in_review_order, is_not_a_report, missing_parts, parts_of, severity_word,
                   shown_findings, shows_info, unit_name)
from .escape import one_line
from .summary import summarise

STYLES = ("concise", "full", "grouped")
_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def where(finding, lang: str = "zh") -> str:
    """``[第3页第14行 “excerpt”] `` for a finding in a .docx/.pdf/.html…, "" for a text file (whose
    line:col already point into the file as given)."""
    label = finding.location_label(lang) if hasattr(finding, "location_label") else ""
    if not label:
        return ""
    return f"[{label} “{finding.excerpt}”] " if finding.excerpt else f"[{label}] "


def render_text(results, context) -> str:
    import click

    colour = context.get("colour", False)
    lang = context.get("lang", "zh")
    en = lang == "en"
    style_name = context.get("output_format") or "concise"
    style = (lambda s, **kw: click.style(s, **kw)) if colour else (lambda s, **kw: s)

    def finding_line(prefix, f):
        head = (f"{prefix}{style(f.rule, fg=_COLOURS.get(f.severity), bold=True)} "
                f"{style(severity_word(f.severity, lang), fg=_COLOURS.get(f.severity))} {one_line(where(f, lang))}{one_line(f.message)}")
        if style_name != "full":
            return head
        hint_label, basis_label = ("hint", "basis") if en else ("提示", "依据")
        return f"{head} ({hint_label}: {one_line(f.hint)}) " + style(f"[{basis_label}: {one_line(basis_text(f.basis))}]", dim=True)

    out = []
    score_label = "score" if en else "得分"
    for result in results:
        path = one_line(result.path)
        if is_not_a_report(result):
            out.append(f"{path}: {style('not an annual report' if en else '不是年度报告', fg='red', bold=True)}"
                       f"{one_line(_reason(result.error))}")
            continue
        if result.error:
            out.append(f"{path}: {style('cannot be checked' if en else '无法检查', fg='red', bold=True)}: {one_line(result.error)}")
            continue
        findings = shown_findings(result)
        if style_name == "grouped":
            out.extend(_block_head(result, style, lang, context.get("ruleset")))
            shown, hidden = folded(in_review_order(findings), shows_info(context))
            out.extend(finding_line(f"  {f.line}:{f.column} ", f) for f in shown)
            if hidden:
                out.append(style(f"  {hidden} more hint(s) (--min-severity info lists them)" if en
                                 else f"  另有 {hidden} 条提示（加 --min-severity info 列出）", dim=True))
            out.append("")
            continue
        out.extend(finding_line(f"{style(path, bold=True)}:{f.line}:{f.column}: ", f) for f in findings)
        if context.get("show_scores", True) and result.score is not None:
            out.append(f"{path}: {score_label} {result.score:g}/100")
    skipped = context.get("skipped", ())
    for path, reason in skipped:             # files found but not checked: one line each, with why
        out.append(f"{one_line(path)}: {style('skipped' if en else '已跳过', fg='yellow')}: {one_line(reason)}")
    out.append(style(summary_line(summarise(results, skipped), lang), bold=True))
    return "\n".join(out) + "\n"


def _reason(error) -> str:
    """The reason of a not-a-report result as ``（…）`` after the words 不是年度报告."""
    text = error or ""
    return text[len("不是年度报告"):] if text.startswith("不是年度报告") else f"（{text}）"


def _block_head(result, style, lang, ruleset=None) -> list:
    """The first lines of a report's block in the grouped style."""
    parts = parts_of(ruleset, lang)
    missing = missing_parts(result, ruleset, lang)
    have = len(parts) - len(missing)
    score = f"{result.score:g}/100" if result.score is not None else "—"
    if lang == "en":
        head = f"{one_line(result.path)} — {one_line(unit_name(result, lang))} — score {score}"
        line = f"  parts present: {have}/{len(parts)}" + (f"; missing: {', '.join(missing)}" if missing else "")
    else:
        head = f"{one_line(result.path)} — {one_line(unit_name(result, lang))} — 得分 {score}"
        line = f"  法定要素 {have}/{len(parts)}" + (f"；缺少：{'、'.join(missing)}" if missing else "；齐全")
    return [style(head, bold=True), style(line, fg="red") if missing else line]


SUMMARY_WORDS = {
    "zh": ("共检查 {files} 个报告：{errors} 个错误，{warnings} 个警告，{infos} 个提示", "，{unreadable} 个无法读取",
           "，{not_reports} 个不是年度报告", "，跳过 {skipped} 个文件", "；平均得分 {mean_score:g}"),
    "en": ("Checked {files} report(s): {errors} error(s), {warnings} warning(s), {infos} info(s)",
           ", {unreadable} unreadable", ", {not_reports} not an annual report", ", {skipped} file(s) skipped",
           "; mean score {mean_score:g}"),
}


def summary_line(s, lang: str = "zh") -> str:
    """The one-line summary of a run (``summary.summarise``)."""
    head, unreadable, not_reports, skipped, mean = SUMMARY_WORDS["en" if lang == "en" else "zh"]
    line = head.format(**s)
    if s["unreadable"]:
        line += unreadable.format(**s)
    if s.get("not_reports"):
        line += not_reports.format(**s)
    if s["skipped"]:
        line += skipped.format(**s)
    if s["mean_score"] is not None:
        line += mean.format(**s)
    return line


def render_breakdown(results) -> str:
    """--explain-score: per report, what cost points (missing statutory parts first, then rules)."""
    out = []
    for result in results:
        if result.error or result.score is None:
            continue
        out.append(f"{result.path}: 得分 {result.score:g}/100")
        rows = [(what, points) for what, points in result.breakdown if points >= 0.05]
        out.extend(f"  -{points:4.1f}  {what}" for what, points in rows)
        if not rows:
            out.append("  （没有扣分）")
    return "\n".join(out) + "\n" if out else ""
