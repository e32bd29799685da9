"""Run the comparing rules (FZ-Y…) on reports that have companions and fold their findings into the
ordinary results, so that they reach every output format (text, JSON, JUnit, SARIF, CSV …).

``--previous DIR`` pairs each report with the report of the same unit for the year before, read
from DIR; ``--copies`` gives each report of the batch the peers it shares text with
(``copy_index``). The comparing rules are skipped during the ordinary check (no companions yet);
here they run again with companions and replace their "skipped" outcome, and the score is
computed again.
"""
from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass, field

from ..document import UnreadableInput, load_document
from ..engine import evaluate, score, subscores
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
    result.score = score(result.outcomes, ruleset)
    result.subscores = subscores(result.outcomes, ruleset)


def unit_key(unit) -> str:
    return re.sub(r"\s+", "", unit or "")


@dataclass
class PreviousIndex:
    """Last year's reports of a folder, by (unit, report year)."""

    by_key: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    def find(self, unit, year):
        if not unit or not year:
            return None
        return self.by_key.get((unit_key(unit), year - 1))


def index_previous(paths, max_bytes=None) -> PreviousIndex:
    index = PreviousIndex()
    for path in paths:
        try:
            doc = load_document(path, max_bytes=max_bytes)
        except (UnreadableInput, OSError) as exc:
            index.problems.append(f"{path}: {exc}")
            continue
        if doc.meta.unit and doc.meta.report_year:
            index.by_key.setdefault((unit_key(doc.meta.unit), doc.meta.report_year), doc)
        else:
            index.problems.append(f"{path}: 读不出单位或年度，无法配对")
    return index


def link_previous(results, ruleset, index: PreviousIndex, lang="zh", **load_options) -> list:
    """Run the previous-year rules on each report with a match in ``index``; return the paths of
    reports that found none (said on standard error by the caller, never silently dropped)."""
    view = comparing_ruleset(ruleset, "previous")
    unpaired = []
    for result in results:
        if result.error or result.meta.get("kind"):
            continue
        previous = index.find(result.meta.get("unit"), result.meta.get("report_year"))
        if previous is None or os.path.abspath(previous.path) == os.path.abspath(result.path):
            unpaired.append(result.path)
            continue
        try:
            doc = load_document(result.path, **load_options)
        except (UnreadableInput, OSError):
            continue
        doc.companions["previous"] = previous
        merge(result, evaluate(doc, view, lang), ruleset)
    return unpaired


def link_peers(results, ruleset, peers_of: dict, lang="zh", **load_options) -> None:
    """Run the peer rules on each report that shares text with others (``peers_of``: path -> paths)."""
    view = comparing_ruleset(ruleset, "peers")
    docs = {}

    def load(path):
        if path not in docs:
            try:
                docs[path] = load_document(path, **load_options)
            except (UnreadableInput, OSError):
                docs[path] = None
        return docs[path]

    for result in results:
        others = [load(p) for p in peers_of.get(result.path, ())]
        others = [o for o in others if o is not None]
        doc = load(result.path) if others else None
        if doc is None:
            continue
        doc.companions["peers"] = others
        merge(result, evaluate(doc, view, lang), ruleset)
