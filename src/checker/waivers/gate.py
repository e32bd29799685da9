"""The CI gate: after the engine, --select/--ignore, per-file ignores, supervisor suppressions and
the baseline, in that order; then the exit code.

Each waiver step returns new Results that mark or drop findings; then a rule whose every finding is
suppressed becomes "skipped" with the suppression's reason (so JUnit shows it as skipped). The
score is not touched: it judges the report, and waivers only change what is shown and the exit code.
"""
from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, replace
from typing import Optional

from . import baseline as baseline_mod
from . import suppressions as suppressions_mod
from ..errors import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from ..records import SEVERITY_RANK, RuleOutcome
from .fingerprint import ContextReader

FAIL_ON = ("error", "warning", "info", "never")


@dataclass(frozen=True)
class Waivers:
    """What to apply to the engine's results."""

    selection: object = None            # --select/--ignore: predicate(rule_id) True -> shown
    per_file_ignores: tuple = ()        # ((glob, predicate), ...): predicate(rule_id) True -> dropped for that file
    root: str = "."                     # folder the per-file globs are relative to
    suppressions: object = None         # SuppressionSet
    baseline: object = None             # Baseline
    write_baseline: str = None          # path
    today: datetime.date = None


@dataclass(frozen=True)
class Waived:
    """What the gate made of the engine's results."""

    results: tuple                      # the reports' results (then the suppressions file's, if it has findings)
    baseline_written: Optional[int] = None   # entries written to ``Waivers.write_baseline``


def _drop_rules(result, chooser):
    return replace(result, findings=tuple(f for f in result.findings if not chooser(f.rule)),
                   outcomes=tuple(o for o in result.outcomes if not chooser(o.rule_id)))


def _settle_outcomes(result):
    """A failed rule whose findings are all suppressed is reported as skipped, with the reason."""
    if not any(f.suppressed for f in result.findings):
        return result               # the usual case: nothing suppressed, nothing to settle
    by_rule = {}
    for f in result.findings:
        by_rule.setdefault(f.rule, []).append(f)
    outcomes = []
    for outcome in result.outcomes:
        findings = by_rule.get(outcome.rule_id, [])
        if outcome.status == "failed" and findings and all(f.suppressed for f in findings):
            outcome = RuleOutcome(outcome.rule_id, "skipped", f"已豁免：{findings[0].suppressed}")
        outcomes.append(outcome)
    return replace(result, outcomes=tuple(outcomes))


def _selected(result, waivers: Waivers):
    if waivers.selection is not None:
        result = _drop_rules(result, lambda rule_id: not rule_id.startswith("FZ-X") and not waivers.selection(rule_id))
    for glob, chooser in waivers.per_file_ignores or ():
        if suppressions_mod.covers(glob, result.path, waivers.root):
            result = _drop_rules(result, chooser)
    return result


def apply_waivers(results, waivers: Waivers, texts=None) -> Waived:
    """The results as the gate shows them: selection and per-file ignores drop findings, suppressions
    and the baseline mark them ``suppressed``; the score stays the engine's. Writes the baseline when
    ``waivers.write_baseline`` is set (which then also applies). ``texts`` (``inputs.Texts``): the
    reports' text as the run read it, so that no report is read again for its fingerprints."""
    reader = ContextReader(texts)
    today = waivers.today or datetime.date.today()
    use = suppressions_mod.Use()
    out = []
    for result in results:
        if result.error is None:
            result = _selected(result, waivers)
            if waivers.suppressions is not None:
                result, used = suppressions_mod.apply(waivers.suppressions, result, reader, today)
                use = use | used
        out.append(result)
    written, baseline = None, waivers.baseline
    if waivers.write_baseline:
        written = baseline_mod.write_baseline(waivers.write_baseline, [r for r in out if r.error is None], reader)
        if baseline is None:
            baseline = baseline_mod.load_baseline(waivers.write_baseline)
    if baseline is not None:
        remaining = Counter(baseline.counts)
        out = [baseline_mod.apply(baseline, r, reader, remaining) if r.error is None else r for r in out]
    out = [_settle_outcomes(r) if r.error is None else r for r in out]
    if waivers.suppressions is not None:
        problem = suppressions_mod.problems(waivers.suppressions, today, use)
        if problem is not None:
            out.append(problem)
    return Waived(tuple(out), written)


def exit_code(results, fail_on: str, min_score, problems=()) -> int:
    """3 when the tool or a plugin failed (a problem of kind timeout/plugin/internal, on a report or
    in ``problems``), 2 for a problem of the user's files or settings or an unread report, 1 for an
    active finding at or above ``fail_on`` or a score below ``min_score``, else 0. ``problems`` may
    hold ``errors.Problem`` values or, for a plain usage problem, ``True``."""
    codes = [p.exit_code if hasattr(p, "exit_code") else EXIT_USAGE for p in problems if p]
    codes += [p.exit_code for r in results for p in r.problems]
    if EXIT_INTERNAL in codes:
        return EXIT_INTERNAL
    if EXIT_USAGE in codes or any(r.error for r in results):
        return EXIT_USAGE
    if fail_on != "never":
        floor = SEVERITY_RANK[fail_on]
        if any(SEVERITY_RANK[f.severity] >= floor for r in results for f in r.findings if f.suppressed is None):
            return EXIT_FINDINGS
    if min_score is not None and any(r.score is not None and r.score < min_score for r in results):
        return EXIT_FINDINGS
    return EXIT_OK
