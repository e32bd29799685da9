"""``--format text`` in three styles (``--output-format``, after ruff):

- ``concise`` (the default): ``path:line:col: RULE 级别 message`` and a score line per report;
- ``full``: concise plus the hint and the legal basis of each finding;
- ``grouped``: one block per report (unit, score, statutory parts present and missing), then its
  findings as ``  line:col RULE 级别 message``.

Every style ends with the same summary line. Severity words are Chinese in Chinese output.
"""
from __future__ import annotations

from .escape import one_line
from .desk import PARTS, basis_text, severity_word, shown_findings, unit_name
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
    style_name = context.get("output_format") or "concise"
    style = (lambda s, **kw: click.style(s, **kw)) if colour else (lambda s, **kw: s)

    def finding_line(prefix, f):
        head = (f"{prefix}{style(f.rule, fg=_COLOURS.get(f.severity), bold=True)} "
                f"{style(severity_word(f.severity, lang), fg=_COLOURS.get(f.severity))} {one_line(where(f, lang))}{one_line(f.message)}")
        if style_name != "full":
            return head
        hint_label, basis_label = ("hint", "basis") if lang == "en" else ("提示", "依据")
        return f"{head} ({hint_label}: {one_line(f.hint)}) " + style(f"[{basis_label}: {one_line(basis_text(f.basis))}]", dim=True)

    out = []
    score_label = "score" if lang == "en" else "得分"
    for result in results:
        path = one_line(result.path)
        if result.error:
            out.append(f"{path}: {style('无法检查', fg='red', bold=True)}: {one_line(result.error)}")
            continue
        findings = shown_findings(result)
        if style_name == "grouped":
            out.extend(_block_head(result, style, lang))
            out.extend(finding_line(f"  {f.line}:{f.column} ", f) for f in findings)
            out.append("")
            continue
        out.extend(finding_line(f"{style(path, bold=True)}:{f.line}:{f.column}: ", f) for f in findings)
        if context.get("show_scores", True) and result.score is not None:
            out.append(f"{path}: {score_label} {result.score:g}/100")
    skipped = context.get("skipped", ())
    for path, reason in skipped:             # files found but not checked: one line each, with why
        out.append(f"{one_line(path)}: {style('skipped' if lang == 'en' else '已跳过', fg='yellow')}: {one_line(reason)}")
    out.append(style(_summary_line(summarise(results, skipped), lang), bold=True))
    return "\n".join(out) + "\n"


def _block_head(result, style, lang) -> list:
    """The first lines of a report's block in the grouped style."""
    elements = result.elements or {}
    have = [label for key, label in PARTS if elements.get(key)]
    missing = [label for key, label in PARTS if not elements.get(key)]
    score = f"{result.score:g}/100" if result.score is not None else "—"
    if lang == "en":
        head = f"{one_line(result.path)} — {one_line(unit_name(result))} — score {score}"
        parts = f"  parts present: {len(have)}/{len(PARTS)}" + (f"; missing: {', '.join(missing)}" if missing else "")
    else:
        head = f"{one_line(result.path)} — {one_line(unit_name(result))} — 得分 {score}"
        parts = f"  法定要素 {len(have)}/{len(PARTS)}" + (f"；缺少：{'、'.join(missing)}" if missing else "；齐全")
    return [style(head, bold=True), style(parts, fg="red") if missing else parts]


SUMMARY_WORDS = {
    "zh": ("共检查 {files} 个报告：{errors} 个错误，{warnings} 个警告，{infos} 个提示", "，{unreadable} 个无法读取",
           "，跳过 {skipped} 个文件", "；平均得分 {mean_score:g}"),
    "en": ("Checked {files} report(s): {errors} error(s), {warnings} warning(s), {infos} info(s)",
           ", {unreadable} unreadable", ", {skipped} file(s) skipped", "; mean score {mean_score:g}"),
}


def _summary_line(s, lang) -> str:
    head, unreadable, skipped, mean = SUMMARY_WORDS["en" if lang == "en" else "zh"]
    line = head.format(**s)
    if s["unreadable"]:
        line += unreadable.format(**s)
    if s["skipped"]:
        line += skipped.format(**s)
    if s["mean_score"] is not None:
        line += mean.format(**s)
    return line
    line = f"共检查 {s['files']} 个报告：{s['errors']} 个错误，{s['warnings']} 个警告，{s['infos']} 个提示"
    if s["unreadable"]:
        line += f"，{s['unreadable']} 个无法读取"
    if s["skipped"]:
        line += f"，跳过 {s['skipped']} 个文件"
    if s["mean_score"] is not None:
        line += f"；平均得分 {s['mean_score']:g}"
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
