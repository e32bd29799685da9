"""``--fix`` and ``--diff`` over a batch of checked reports (the command line calls this).

Returns what happened per file, so the caller can re-check the fixed files (what remains) and
choose the exit code; messages go through the ``say`` callback (stderr).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .apply import FixError, describe, fixed_bytes, plan_fixes, unified_diff, write_atomically


@dataclass
class FixOutcome:
    fixed: dict = field(default_factory=dict)     # path -> number of edits made (or, for --diff, to make)
    failed: dict = field(default_factory=dict)    # path -> why it could not be fixed
    diffs: list = field(default_factory=list)     # unified diffs, in input order (--diff)


def fix_results(results, write: bool, say) -> FixOutcome:
    """Plan and apply (``write``) or show (not ``write``) the fixes of every readable result."""
    outcome = FixOutcome()
    for result in results:
        if result.error is not None:
            continue
        plan = plan_fixes(result)
        if not plan.edits:
            continue
        try:
            old, new, data = fixed_bytes(result.path, plan)
            if write:
                write_atomically(result.path, data)
        except (FixError, OSError) as exc:
            reason = str(exc) if isinstance(exc, FixError) else f"无法写回：{exc.strerror or exc}"
            outcome.failed[result.path] = reason
            say(f"{result.path}: 未修复（{reason}）")
            continue
        outcome.fixed[result.path] = len(plan.edits)
        verb = "已修复" if write else "可修复"
        extra = f"；另有 {plan.skipped} 处与其他修复重叠，未改" if plan.skipped else ""
        say(f"{result.path}: {verb} {len(plan.edits)} 处（{describe(plan.per_rule)}）{extra}")
        if not write:
            outcome.diffs.append(unified_diff(result.path, old, new))
    return outcome
