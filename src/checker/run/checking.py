"""The check stage: each report read, given its companions and evaluated, in guarded workers.

Companions are inputs of the engine, attached before evaluation: with ``--previous DIR`` each report
gets the same unit's report of the year before (paired by unit and year, else by file name), with
``--copies`` the batch's ``PeerIndex`` (built from a first pass that sketches every report). The
comparing rules (FZ-Y…, and any plugin kind that reads a companion) then run like every other rule.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from ..compare.companions import Described, index_previous
from ..document.kinds import NOT_A_REPORT, not_a_report
from ..engine.batch import Limits, report_budget, run_jobs
from ..engine.evaluate import evaluate, failed_result, read_document, rule_budget, run_guarded, warm_up
from ..errors import INPUT, Problem, UnreadableInput
from ..inputs import Texts, collect, pack_text
from ..records import Result


@dataclass(frozen=True)
class Checked:
    results: tuple
    pairs: Mapping = field(default_factory=dict)      # report path -> last year's report path
    notes: tuple = ()
    texts: Texts = field(default_factory=Texts)       # each report's text as read (inputs.Texts)


def _size(item) -> int:
    import os

    try:
        return os.path.getsize(getattr(item, "path", item) or "")
    except (OSError, TypeError, ValueError):
        return len(getattr(item, "data", None) or b"")


def _limits(ruleset, failed) -> Limits:
    return Limits(rule_ids=tuple(r.id for r in ruleset.rules),
                  rule_budget=lambda item: rule_budget(_size(item)) + 1.0,
                  report_budget=report_budget, failed=failed)


def _read(item, ruleset, request, overrides: bool = True):
    if overrides:
        return read_document(item, ruleset, request.year, request.published, request.max_bytes, request.subject)
    return read_document(item, ruleset, max_bytes=request.max_bytes)


def _describe_work(ruleset, request, want_sketch: bool, overrides: bool):
    """Work of a first pass: what pairing (and copy detection) needs of a report, or a Problem."""
    def work(item, _timed_out, _watch):
        try:
            doc = _read(item, ruleset, request, overrides)
        except (UnreadableInput, OSError) as exc:
            return Problem(INPUT, f"{getattr(item, 'display', item)}: {exc}")
        except Exception as exc:               # a plugin reader's failure: that report is left out of pairing
            return Problem(INPUT, f"{getattr(item, 'display', item)}: {type(exc).__name__}: {exc}")
        sketch = None
        if want_sketch:
            from ..compare.copy_index import sketch as sketch_of

            sketch = sketch_of(doc)
        return Described(item, doc.meta.unit, doc.meta.report_year, sketch)
    return work


def _describe(items, ruleset, request, want_sketch: bool, overrides: bool):
    limits = _limits(ruleset, lambda item, problem: problem)
    values = run_jobs(items, _describe_work(ruleset, request, want_sketch, overrides), limits, request.jobs)
    return [v for v in values if isinstance(v, Described)], [v for v in values if isinstance(v, Problem)]


def _check_work(ruleset, request, previous, peers):
    def attempt(item, timed_out, watch):
        try:
            doc = _read(item, ruleset, request)
        except (UnreadableInput, OSError) as exc:
            return Result(path=item.display, error=str(exc)), None, None
        reason = not_a_report(doc)
        if reason:                 # a cover letter, a notice, a header-only scan: listed, not scored
            return Result(path=item.display, error=f"不是年度报告（{reason}）", kind=NOT_A_REPORT,
                          meta=doc.meta.to_json()), None, None
        paired = previous.find(doc.meta.unit, doc.meta.report_year, item.display) if previous else None
        if paired is not None:
            try:
                doc = doc.with_companions(previous=_read(paired.item, ruleset, request, overrides=False))
            except (UnreadableInput, OSError):
                paired = None
        if peers is not None:
            doc = doc.with_companions(peers=peers)
        result = evaluate(doc, ruleset, request.lang, timed_out=timed_out, on_rule=watch.rule)
        return result, (paired.display if paired else None), pack_text(doc.original)

    def work(item, timed_out, watch):
        outcome = run_guarded(item, lambda: attempt(item, timed_out, watch))
        return (outcome, None, None) if isinstance(outcome, Result) else outcome
    return work


def check_inputs(request, ruleset, inputs, progress=None) -> Checked:
    """The Result of every input (in order) with its companions; see the module's doc."""
    notes, previous, peers, pairs_known = [], None, None, {}
    if request.previous:
        found = collect([request.previous], readers=ruleset.readers, include=request.include,
                        exclude=request.exclude, max_bytes=request.max_bytes)
        described, problems = _describe(found.inputs, ruleset, request, request.copies, overrides=False)
        previous = index_previous(described, [p.message for p in problems])
        notes += [f"--previous {p}" for p in previous.problems]
    if request.copies:
        from ..compare.copy_index import peer_index

        described, _ = _describe(inputs, ruleset, request, True, overrides=True)
        sketches = {d.display: d.sketch for d in described}
        for d in described:
            paired = previous.find(d.unit, d.year, d.display) if previous else None
            if paired is not None:
                pairs_known[d.display] = paired.display
        if previous is not None:           # last year's reports of other units count as peers too
            for d in previous.reports():
                sketches.setdefault(d.display, d.sketch)
        peers = peer_index(sketches, exclude=pairs_known)
    limits = _limits(ruleset, lambda item, problem: (failed_result(item, problem), None, None))
    values = run_jobs(inputs, _check_work(ruleset, request, previous, peers), limits, request.jobs, progress,
                      before_fork=lambda: warm_up(ruleset))
    results = tuple(result for result, _, _ in values)
    pairs = {result.path: paired for result, paired, _ in values if paired}
    texts = Texts({result.path: text for result, _, text in values if text is not None})
    if previous is not None:
        unpaired = sum(1 for r in results if r.error is None and r.is_report and r.path not in pairs)
        if unpaired:
            notes.append(f"--previous：{unpaired} 份报告没有找到同一单位上一年度的报告"
                         "（按单位名称和年度配对，其次按去掉数字后相同的文件名）")
    return Checked(results, pairs, tuple(notes), texts)
