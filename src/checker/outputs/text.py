"""``--format text``: ``path:line:col: RULE severity message (提示: hint)``, then a summary."""
from __future__ import annotations

from .summary import summarise

_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
_LABEL_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def where(finding, lang: str = "zh") -> str:
    """``[第3页第14行 “excerpt”] `` for a finding in a .docx/.pdf/.html…, "" for a text file (whose
    line:col already point into the file as given)."""
    label = finding.location_label(lang)
    if not label:
        return ""
    return f"[{label} “{finding.excerpt}”] " if finding.excerpt else f"[{label}] "


def render_text(results, context) -> str:
    import click

    colour = context.get("colour", False)
    lang = context.get("lang", "zh")
    style = (lambda s, **kw: click.style(s, **kw)) if colour else (lambda s, **kw: s)
    out = []
    for result in results:
        if result.error:
            out.append(f"{result.path}: {style('无法检查', fg='red', bold=True)}: {result.error}")
            continue
        for f in result.findings:
            if f.suppressed is not None:
                continue
            hint_label, basis_label = ("hint", "basis") if lang == "en" else ("提示", "依据")
            out.append(f"{style(result.path, bold=True)}:{f.line}:{f.column}: "
                       f"{style(f.rule, fg=_COLOURS[f.severity], bold=True)} "
                       f"{style(f.severity, fg=_COLOURS[f.severity])} {where(f, lang)}{f.message} ({hint_label}: {f.hint}) "
                       + style(f"[{basis_label}: {f.basis}]", dim=True))
        if context.get("show_scores", True) and result.score is not None:
            label = "score" if lang == "en" else "得分"
            out.append(f"{result.path}: {label} {result.score:g}/100")
    s = summarise(results)
    if lang == "en":
        line = (f"Checked {s['files']} report(s): {s['errors']} error(s), {s['warnings']} warning(s), "
                f"{s['infos']} info(s)")
        if s["unreadable"]:
            line += f", {s['unreadable']} unreadable"
        if s["mean_score"] is not None:
            line += f"; mean score {s['mean_score']:g}"
    else:
        line = f"共检查 {s['files']} 个报告：{s['errors']} 个错误，{s['warnings']} 个警告，{s['infos']} 个提示"
        if s["unreadable"]:
            line += f"，{s['unreadable']} 个无法读取"
        if s["mean_score"] is not None:
            line += f"；平均得分 {s['mean_score']:g}"
    out.append(style(line, bold=True))
    return "\n".join(out) + "\n"
