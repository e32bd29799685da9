"""``--fix`` and ``--diff`` over a batch of checked reports (the command line calls this).

Returns what happened per file, so the caller can re-check the fixed files (what remains) and
choose the exit code; messages go through the ``say`` callback (stderr).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import FixError
from ..toolrules import CAPPED_RULE, MAX_FINDINGS_PER_RULE
from .apply import describe, fixed_bytes, plan_fixes, read_report, unified_diff, write_atomically


@dataclass
class FixOutcome:
    fixed: dict = field(default_factory=dict)     # path -> number of edits made (or, for --diff, to make)
    failed: dict = field(default_factory=dict)    # path -> why it could not be fixed
    diffs: list = field(default_factory=list)     # unified diffs, in input order (--diff)


def _source(result, inputs: dict):
    """(file to write, bytes already read) for a result; FixError for what cannot be written back."""
    given = inputs.get(result.path)
    if given is None:
        return result.path, None
    if given.member is not None:
        raise FixError("压缩包中的报告不能写回，请解压后再修复")
    return given.path or result.path, given.data


def _capped_rules(result) -> list:
    """Rules whose findings on this report went past the findings cap (FZ-X07): their fixes beyond
    it were not listed, so not made."""
    return sorted({m.group(1) for f in result.findings if f.rule == CAPPED_RULE
                   for m in [re.search(r"规则 (\S+) ", f.message)] if m})


def fix_results(results, write: bool, say, inputs=(), texts=None) -> FixOutcome:
    """Plan and apply (``write``) or show (not ``write``) the fixes of every readable result.
    ``inputs`` (checker.inputs.Input) say where each result's report came from (a file, standard
    input, a zip member); ``texts`` (``inputs.Texts``) the text the check read: a report whose text
    is no longer that one changed after the check and is not written."""
    outcome = FixOutcome()
    by_name = {i.display: i for i in inputs}
    for result in results:
        if result.error is not None:
            continue
        plan = plan_fixes(result)
        if not plan.edits:
            continue
        try:
            path, given = _source(result, by_name)
            if write and given is not None:
                raise FixError("标准输入的报告不能写回；用 --diff 查看修改")
            before = read_report(path, given)
            old, new, data = fixed_bytes(path, plan, before)
            if texts is not None and result.path in texts and texts.text(result.path) != old:
                raise FixError("文件在检查之后被修改过，为免丢失内容未修改；请重新运行 --fix")
            if write and plan.edits:
                write_atomically(path, data, before)
        except (FixError, OSError) as exc:
            reason = str(exc) if isinstance(exc, FixError) else f"无法写回：{exc.strerror or exc}"
            outcome.failed[result.path] = reason
            say(f"{result.path}: 未修复（{reason}）")
            continue
        extra = f"；另有 {plan.skipped} 处无法自动修改（与其他修复重叠，或在 .docx 的表格、编号中），请手工修改" \
            if plan.skipped else ""
        capped = _capped_rules(result)
        if capped:
            extra += (f"；{'、'.join(capped)} 的问题超过每条规则每份报告 {MAX_FINDINGS_PER_RULE} 处的上限，"
                      f"只{'修复' if write else '列出'}了前 {MAX_FINDINGS_PER_RULE} 处，其余请再次运行 --fix")
        if not plan.edits:
            say(f"{result.path}: 未修复{extra}")
            continue
        outcome.fixed[result.path] = len(plan.edits)
        verb = "已修复" if write else "可修复"
        say(f"{result.path}: {verb} {len(plan.edits)} 处（{describe(plan.per_rule)}）{extra}")
        if not write:
            outcome.diffs.append(unified_diff(result.path, old, new))
    return outcome
