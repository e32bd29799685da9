"""Run the comparing rules (FZ-Y…) on reports that have companions and fold their findings into the
ordinary results, so that they reach every output format (text, JSON, JUnit, SARIF, CSV …).

``--previous DIR`` pairs each report with the report of the same unit for the year before, read
from DIR, and runs the previous-year rules with it as companion; ``--copies`` finds the parts the
reports of the batch share (``copy_index``, from sketches the batch workers made) for FZ-Y03.
The comparing rules are skipped during the ordinary check (no companions yet); here their
outcome replaces "skipped", and the score is computed again.
"""
from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass, field

from ..document import UnreadableInput, load_document
from ..engine import evaluate, render, score, subscores
from ..engine.scoring import explain
from .kinds import KINDS

COMPARING_KINDS = frozenset(kind.name for kind in KINDS)


def comparing_ruleset(ruleset, need: str = None):
    """A view of ``ruleset`` holding only its comparing rules (``need``: only those whose companion
    is ``previous`` or ``peers``). Plugin failures are left to the ordinary check, which reports them."""
    view = copy.copy(ruleset)
    rules = [r for r in ruleset.rules if r.check in COMPARING_KINDS]
    if need == "peers":
        rules = [r for r in rules if r.params.get("source") == "peers"]
    elif need == "previous":
        rules = [r for r in rules if r.params.get("source", "previous") == "previous"]
    view.rules = rules
    view.plugin_failures = []
    return view


def merge(result, extra, ruleset) -> None:
    """Fold the findings and outcomes of ``extra`` (comparing rules only) into ``result``."""
    ran = {o.rule_id: o for o in extra.outcomes if o.status != "skipped"}
    if not ran and not extra.findings:
        return
    result.findings = sorted(result.findings + extra.findings, key=lambda f: (f.line, f.column, f.rule))
    result.outcomes = [ran.pop(o.rule_id, o) for o in result.outcomes] + list(ran.values())
    result.internal_errors += extra.internal_errors
    result.score = score(result.outcomes, ruleset, result.elements)
    result.subscores = subscores(result.outcomes, ruleset, result.elements)
    result.breakdown = explain(result.outcomes, ruleset, result.elements)


def unit_key(unit) -> str:
    return re.sub(r"\s+", "", unit or "")


def name_key(path) -> str:
    """A file's name without folder, extension, digits and separators: 2023/hedong.docx and
    2024年/hedong-2024.txt are the same unit's reports filed the same way."""
    stem = os.path.splitext(os.path.basename(str(path)))[0]
    return re.sub(r"[\d\s_\-.年度（）()]+", "", stem)


@dataclass
class PreviousIndex:
    """Last year's reports of a folder, by (unit, report year), and by file name as a fallback."""

    by_key: dict = field(default_factory=dict)
    by_name: dict = field(default_factory=dict)       # name_key -> [Document]
    problems: list = field(default_factory=list)

    def find(self, unit, year, path=None):
        """Last year's report of the same unit: same unit name, the year before; else the one
        report filed under the same name (digits aside) that is not known to be of another year."""
        if unit and year and (unit_key(unit), year - 1) in self.by_key:
            return self.by_key[(unit_key(unit), year - 1)]
        same_name = [d for d in self.by_name.get(name_key(path), ()) if path is not None and
                     (not year or not d.meta.report_year or d.meta.report_year == year - 1)]
        return same_name[0] if len(same_name) == 1 and name_key(path) else None


def read_report(item, ruleset, max_bytes=None):
    """The Document of a report given as a path or a ``checker.inputs.Input`` (any format the
    rule set's readers know, as the ordinary check reads it). Raises UnreadableInput/OSError."""
    from ..inputs import Input, load_bytes

    item = item if isinstance(item, Input) else Input(display=item, path=item)
    data = load_bytes(item, max_bytes or 64 * 1024 * 1024)
    return load_document(item.display, data=data, readers=getattr(ruleset, "readers", None),
                         delete_patterns=getattr(ruleset, "delete_patterns", ()))


def index_previous(items, ruleset, max_bytes=None) -> PreviousIndex:
    index = PreviousIndex()
    for item in items:
        path = getattr(item, "display", item)
        try:
            doc = read_report(item, ruleset, max_bytes)
        except (UnreadableInput, OSError) as exc:
            index.problems.append(f"{path}: {exc}")
            continue
        index.by_name.setdefault(name_key(path), []).append(doc)
        if doc.meta.unit and doc.meta.report_year:
            index.by_key.setdefault((unit_key(doc.meta.unit), doc.meta.report_year), doc)
    return index


def link_previous(results, ruleset, index: PreviousIndex, lang="zh", inputs=None, max_bytes=None) -> tuple:
    """Run the previous-year rules on each report with a match in ``index``; return the paths of
    reports that found none (said on standard error by the caller, never silently dropped) and
    {path: path of last year's report} of those that did."""
    view = comparing_ruleset(ruleset, "previous")
    unpaired, pairs = [], {}
    for result in results:
        if result.error or not result.is_report:
            continue
        previous = index.find(result.meta.get("unit"), result.meta.get("report_year"), result.path)
        if previous is None or os.path.abspath(previous.path) == os.path.abspath(result.path):
            unpaired.append(result.path)
            continue
        try:
            doc = read_report((inputs or {}).get(result.path, result.path), ruleset, max_bytes)
        except (UnreadableInput, OSError):
            continue
        doc.companions["previous"] = previous
        pairs[result.path] = previous.path
        merge(result, evaluate(doc, view, lang), ruleset)
    return unpaired, pairs


def link_copies(results, ruleset, sketches: dict, lang="zh", own_previous=None) -> None:
    """FZ-Y03 (and any rule of kind ``copied_parts`` with ``source: peers``) on the batch, from the
    sketches the workers made (``copy_index``); every report with a sketch counts as compared.
    ``own_previous`` ({path: path}): a report's own last year, which is FZ-Y02's, not another unit's."""
    from ..records import Finding, Result, RuleOutcome
    from .copy_index import find_copies

    for rule in comparing_ruleset(ruleset, "peers").rules:
        min_share = float(rule.params.get("min_share", 0.5))
        min_chars = int(rule.params.get("min_chars", 80))
        targets = [r.path for r in results if r.sketch is not None]
        copies = find_copies(sketches, targets, min_share, min_chars, exclude=own_previous)
        message = rule.message_en if lang == "en" and rule.message_en else rule.message
        hint = rule.hint_en if lang == "en" and rule.hint_en else rule.hint
        for result in results:
            if result.sketch is None:
                continue
            findings = []
            for shared in copies.get(result.path, ()):
                values = {"part": shared.part.title, "share": f"{100 * shared.share:.0f}%", "other": shared.other}
                findings.append(Finding(rule=rule.id, severity=rule.severity, message=render(message, values),
                                        hint=render(hint, values), basis=rule.basis, **shared.part.where))
            outcome = RuleOutcome(rule.id, "failed", severity=rule.severity) if findings else RuleOutcome(rule.id, "passed")
            merge(result, Result(path=result.path, findings=findings, outcomes=[outcome]), ruleset)


def compare_batch(results, ruleset, previous_files, copies: bool, lang="zh", max_bytes=None, inputs=None) -> list:
    """``check --previous`` (``previous_files``: last year's reports, paths or Inputs) and
    ``check --copies``; the results get the comparing rules' findings; returns notes for standard
    error. ``inputs`` maps a result's path to the Input it was read from."""
    from .copy_index import sketch

    notes = []
    index, pairs = None, {}
    if previous_files is not None:
        index = index_previous(previous_files, ruleset, max_bytes)
        notes += [f"--previous {p}" for p in index.problems]
        unpaired, pairs = link_previous(results, ruleset, index, lang, inputs, max_bytes)
        if unpaired:
            notes.append(f"--previous：{len(unpaired)} 份报告没有找到同一单位上一年度的报告"
                         "（按单位名称和年度配对，其次按去掉数字后相同的文件名）")
    if copies:
        sketches = {r.path: r.sketch for r in results if r.sketch}
        if index is not None:           # last year's reports of other units count as peers too
            for docs in index.by_name.values():
                for doc in docs:
                    sketches.setdefault(doc.path, sketch(doc))
        link_copies(results, ruleset, sketches, lang, pairs)
    for result in results:
        result.sketch = None
    return notes
