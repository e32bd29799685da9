"""``check --fix`` / ``check --diff``: apply (or show) the mechanical fixes rules declare."""
from __future__ import annotations

import copy
import dataclasses

import click

from ..errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from .common import err


def fix_reports(results, ruleset, waivers, write: bool, recheck, inputs=()):
    """--fix (``write``) or --diff: returns the results to report and the files not fixed.
    --diff prints the diffs and ends the run (exit 1 when there is something to fix)."""
    from ..fixing.run import fix_results
    from ..waivers.gate import apply_waivers
    from .check import Stop

    marked = copy.deepcopy(results)        # suppressed findings are not fixed; the real pass comes later
    apply_waivers(marked, ruleset, dataclasses.replace(waivers, write_baseline=None))
    outcome = fix_results(marked, write, err, inputs)
    failed = [f"{path}: {why}" for path, why in outcome.failed.items()]
    total = sum(outcome.fixed.values())
    if not write:
        click.echo("".join(outcome.diffs), nl=False)
        err(f"共 {total} 处可自动修复（{len(outcome.fixed)} 个文件）；用 --fix 写回")
        raise Stop(EXIT_USAGE if failed else (EXIT_FINDINGS if total else EXIT_OK))
    err(f"共修复 {total} 处（{len(outcome.fixed)} 个文件）；以下是剩余的问题")
    return (recheck() if outcome.fixed else results), failed
