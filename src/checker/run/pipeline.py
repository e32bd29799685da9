"""``run(request) -> RunResult``: the one pipeline every command calls.

    load rules ─▶ collect inputs ─▶ companions (last year's reports, the batch's peers)
        ─▶ check (every rule, comparing rules included, in guarded workers)
        ─▶ fix loop (write the mechanical fixes, then the whole pipeline again)
        ─▶ waive (selection, per-file ignores, suppressions, baseline)

Each stage takes values and returns new ones. Outputs are the caller's (the command line renders
them; the served desk stores them): the pipeline writes nothing but what the request asks it to
change (``--fix``'s edits, ``--write-baseline``).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import CONFIG, INPUT, ConfigError, Problem, UsageError
from ..inputs import collect, start_folder
from ..records import Result
from ..rules.selection import Selection, check_known, ignoring, parse_ids
from ..waivers import baseline as baseline_mod
from ..waivers import suppressions as suppressions_mod
from ..waivers.gate import Waivers, apply_waivers
from .checking import check_inputs
from .request import FixReport, RunRequest, RunResult


@dataclass(frozen=True)
class Loaded:
    plugins: object
    ruleset: object
    selection: Selection
    problems: tuple


def load(request: RunRequest) -> Loaded:
    """The plugins and the rule set a request names. Anything unknown stops the run here, before a
    report is read: a province or plugin not installed, a ``--rules`` path that does not exist, a
    rule id in select/ignore/per-file-ignores no rule has, a rule set with no rules."""
    import os

    from ..plugins import build_plugins
    from ..rules import load_ruleset
    from ..rules.thresholds import apply_thresholds

    for path in request.rule_paths:
        if not os.path.exists(path):
            raise ConfigError(f"--rules {path}：文件或目录不存在；未检查任何报告")
    plugins = build_plugins(request.plugins)
    plugins.output_formats()          # every hook called once before the rule set takes its failures
    ruleset = load_ruleset(plugins, request.province or "national", request.rule_paths)
    if not ruleset.rules:
        raise ConfigError(f"规则包 {ruleset.pack} 没有可用的规则；未检查任何报告")
    selection = Selection(parse_ids(list(request.select), "select"), parse_ids(list(request.ignore), "ignore"))
    known = ruleset.known_ids
    check_known(selection.select, known, "select")
    check_known(selection.ignore, known, "ignore")
    for glob, ids in request.per_file_ignores.items():
        check_known(ids, known, f"per-file-ignores[{glob}]")
    ruleset, threshold_problems = apply_thresholds(ruleset, request.thresholds, selection.active)
    problems = tuple(Problem(CONFIG, str(m)) for m in (*plugins.errors, *ruleset.errors, *threshold_problems))
    return Loaded(plugins, ruleset, selection, problems)


def build_waivers(request: RunRequest, selection: Selection) -> Waivers:
    """The run's waivers; a broken suppressions or baseline file raises its FazhiError (exit 2),
    except a baseline that is about to be written anew."""
    from ..errors import BaselineError

    suppressions = None
    if not request.no_suppressions:
        path = request.suppressions or suppressions_mod.find_suppressions(start_folder(request.paths))
        if path:
            suppressions = suppressions_mod.load_suppressions(path)
    baseline = None
    if request.baseline:
        try:
            baseline = baseline_mod.load_baseline(request.baseline)
        except BaselineError:
            if not request.write_baseline:
                raise
    return Waivers(selection=selection if selection.active else None,
                   per_file_ignores=tuple((glob, ignoring(ids).ignores) for glob, ids in request.per_file_ignores.items()),
                   root=request.root, suppressions=suppressions, baseline=baseline,
                   write_baseline=request.write_baseline)


def collect_inputs(request: RunRequest, ruleset):
    """The inputs of the request (``inputs.Collection``)."""
    return collect(request.paths, readers=ruleset.readers, include=request.include, exclude=request.exclude,
                   stdin_name=request.stdin_name, max_bytes=request.max_bytes)


def _fix(request, ruleset, checked, waivers, inputs) -> FixReport:
    """Plan the fixes of the unsuppressed findings and write them (``write``) or show them (``diff``)."""
    from dataclasses import replace

    from ..fixing.run import fix_results

    notes = []
    shown = apply_waivers(checked.results, replace(waivers, write_baseline=None), checked.texts).results
    outcome = fix_results(shown, request.fix == "write", notes.append, inputs, checked.texts)
    return FixReport(fixed=dict(outcome.fixed), failed=dict(outcome.failed), diffs=tuple(outcome.diffs),
                     notes=tuple(notes))


def run(request: RunRequest, progress=None, loaded: Loaded = None) -> RunResult:
    """Check the reports of ``request``; see the module's doc. Raises ``FazhiError`` (with its exit
    code) for what stops a run before any report is checked. ``loaded``: what ``load(request)``
    returned, when the caller needed the rule set first (to check its output formats)."""
    loaded = loaded or load(request)
    found = collect_inputs(request, loaded.ruleset)
    _refuse_outputs_over_inputs(request, found.inputs, loaded.ruleset.readers)
    waivers = build_waivers(request, loaded.selection)
    checked = check_inputs(request, loaded.ruleset, found.inputs, progress)
    fixes = None
    if request.fix != "none":
        fixes = _fix(request, loaded.ruleset, checked, waivers, found.inputs)
        if request.fix == "write" and fixes.fixed:
            checked = check_inputs(request, loaded.ruleset, found.inputs, progress)     # the whole pipeline again
    missing = tuple(Result(path=p, error=found.reasons.get(p, "文件或目录不存在")) for p in found.missing)
    try:
        waived = apply_waivers(checked.results + missing, waivers, checked.texts)
    except OSError as exc:
        raise UsageError(f"无法写入基线 {request.write_baseline}：{exc.strerror or exc}") from None
    problems = loaded.problems + tuple(Problem(INPUT, p) for p in found.problems)
    if fixes is not None:
        problems += tuple(Problem(INPUT, f"{path}: {why}") for path, why in fixes.failed.items())
    notes = checked.notes
    if waived.baseline_written is not None:
        notes += (f"已写入基线 {request.write_baseline}：{waived.baseline_written} 条问题",)
    return RunResult(request=request, results=waived.results, ruleset=loaded.ruleset, plugins=loaded.plugins,
                     problems=problems, skipped=tuple(found.skipped), pairs=checked.pairs, notes=notes,
                     missing=tuple((p, found.reasons.get(p, "文件或目录不存在")) for p in found.missing),
                     inputs=tuple(found.inputs),
                     fixes=fixes, baseline_written=waived.baseline_written, texts=checked.texts)


def _refuse_outputs_over_inputs(request, inputs, readers) -> None:
    """No output of the run (the caller's ``outputs``, ``--write-baseline``) may be one of its inputs:
    this year's reports or last year's (``--previous``)."""
    from ..outputs.targets import refuse_overwriting_reports

    import os

    from ..readers import reader_table

    paths = [i.path for i in inputs if i.path]
    folders = [p for p in request.paths if p != "-" and os.path.isdir(p)]
    if request.previous:
        paths += [i.path for i in collect([request.previous], readers=readers, max_bytes=request.max_bytes).inputs if i.path]
        folders.append(request.previous)
    refuse_overwriting_reports([*request.outputs, request.write_baseline], paths, folders, readers or reader_table())
