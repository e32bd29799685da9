"""The CI gate: after the engine, --select/--ignore, per-file ignores, supervisor suppressions and
the baseline, in that order; then the exit code.

Each waiver step only marks or drops findings of a Result; then a rule whose every finding is
suppressed becomes "skipped" with the suppression's reason (so JUnit shows it as skipped). The
score is not touched: it judges the report, and waivers only change what is shown and the exit code.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from . import baseline as baseline_mod
from . import suppressions as suppressions_mod
from ..errors import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from ..records import SEVERITY_RANK, RuleOutcome
from .fingerprint import ContextReader

FAIL_ON = ("error", "warning", "info", "never")


@dataclass
class Waivers:
    """What to apply to the engine's results."""

    selection: object = None            # --select/--ignore: predicate(rule_id) True -> shown
    per_file_ignores: list = None       # [(glob, predicate)]: predicate(rule_id) True -> dropped for that file
    root: str = "."                     # folder the per-file globs are relative to
    suppressions: object = None         # SuppressionSet
    baseline: object = None             # Baseline
    write_baseline: str = None          # path
    today: datetime.date = None


def _drop_rules(result, chooser) -> None:
    result.findings = [f for f in result.findings if not chooser(f.rule)]
    result.outcomes = [o for o in result.outcomes if not chooser(o.rule_id)]


def _settle_outcomes(result) -> None:
    """A failed rule whose findings are all suppressed is reported as skipped, with the reason."""
    if not any(f.suppressed for f in result.findings):
        return                      # the usual case: nothing suppressed, nothing to settle
    by_rule = {}
    for f in result.findings:
        by_rule.setdefault(f.rule, []).append(f)
    outcomes = []
    for outcome in result.outcomes:
        findings = by_rule.get(outcome.rule_id, [])
        if outcome.status == "failed" and findings and all(f.suppressed for f in findings):
            outcome = RuleOutcome(outcome.rule_id, "skipped", f"已豁免：{findings[0].suppressed}")
        outcomes.append(outcome)
    result.outcomes = outcomes


def apply_waivers(results, ruleset, waivers: Waivers):
    """Apply ``waivers`` to report results in place; return extra results (suppression problems)
    and the number of baseline entries written (or None)."""
    reader = ContextReader()
    today = waivers.today or datetime.date.today()
    reports = [r for r in results if r.error is None]
    for result in reports:
        if waivers.selection is not None:
            _drop_rules(result, lambda rule_id: not rule_id.startswith("FZ-X") and not waivers.selection(rule_id))
        for glob, chooser in waivers.per_file_ignores or ():
            if suppressions_mod.covers(glob, result.path, waivers.root):
                _drop_rules(result, chooser)
        if waivers.suppressions is not None:
            suppressions_mod.apply(waivers.suppressions, result, reader, today)
    written = None
    if waivers.write_baseline:
        written = baseline_mod.write_baseline(waivers.write_baseline, reports, reader)
        if waivers.baseline is None:
            waivers.baseline = baseline_mod.load_baseline(waivers.write_baseline)
    for result in reports:
        if waivers.baseline is not None:
            baseline_mod.apply(waivers.baseline, result, reader)
        _settle_outcomes(result)          # the score stays the engine's: waivers change what is shown
    extra = []
    if waivers.suppressions is not None:
        problem = suppressions_mod.problems(waivers.suppressions, today)
        if problem is not None:
            extra.append(problem)
    return extra, written


def exit_code(results, fail_on: str, min_score, usage_problem: bool) -> int:
    """3 when a plugin or pattern failed, 2 for a usage problem or an unread report, 1 for an active
    finding at or above ``fail_on`` or a score below ``min_score``, else 0."""
    if any(r.internal_errors for r in results):
        return EXIT_INTERNAL
    if usage_problem or any(r.error for r in results):
        return EXIT_USAGE
    if fail_on != "never":
        floor = SEVERITY_RANK[fail_on]
        if any(SEVERITY_RANK[f.severity] >= floor for r in results for f in r.findings if f.suppressed is None):
            return EXIT_FINDINGS
    if min_score is not None and any(r.score is not None and r.score < min_score for r in results):
        return EXIT_FINDINGS
    return EXIT_OK
