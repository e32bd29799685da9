"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=F,line=L,col=C,endLine=…,endColumn=…,title=FZ-S03 不足的原因::message（提示：…）``.
Severity maps to ``error`` / ``warning`` / ``notice``. Suppressed findings are left out; a report
that could not be read is an ``error`` annotation on that file. The last line is the plain summary.
"""
from __future__ import annotations

from ..toolrules import TOOL_RULES
from .escape import one_line
from .summary import summarise

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message as the runner expects (%, CR, LF); other line breaks (U+2028,
    NEL…) and terminal escapes in report text are made visible first (they would end or
    garble the command)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return one_line(text)


def escape_property(text: str) -> str:
    """Escape a command property value (also ':' and ',')."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _title(rule_id: str, rules: dict) -> str:
    rule = rules.get(rule_id)
    if rule is not None:
        return f"{rule_id} {rule.title}"
    tool_rule = TOOL_RULES.get(rule_id)
    return f"{rule_id} {tool_rule.title}" if tool_rule else rule_id


def render_github(results, context) -> str:
    rules = {r.id: r for r in context["ruleset"].rules}
    lines = []
    for result in results:
        path = escape_property(result.path.replace("\\", "/"))
        if result.error:
            lines.append(f"::error file={path},title={escape_property('无法检查')}::{escape_data(result.error)}")
            continue
        for f in result.findings:
            if f.suppressed is not None:
                continue
            props = [f"file={path}", f"line={f.line}", f"col={f.column}",
                     f"endLine={max(f.end_line, f.line)}"]
            if f.end_line == f.line and f.end_column > f.column:
                props.append(f"endColumn={f.end_column}")
            props.append(f"title={escape_property(_title(f.rule, rules))}")
            message = f"{f.message}（提示：{f.hint}；依据：{f.basis}）"
            lines.append(f"::{COMMANDS[f.severity]} {','.join(props)}::{escape_data(message)}")
    s = summarise(results)
    lines.append(f"fazhi-lint：共检查 {s['files']} 个报告：{s['errors']} 个错误，{s['warnings']} 个警告，{s['infos']} 个提示")
    return "\n".join(lines) + "\n"
