"""The facts lexicon: units and what is not a fact (lexicon.yaml next to this module, compiled once per
process), with the labels the rule pack gives (``facts.labels`` of its policy, see document/vocabulary.py)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ...helpers.yamlio import load_yaml_file_cached
from ...numbers import COUNT_NUMBER, RANGE_SEP
from ...helpers.literals import required_literals

FACT_KINDS = ("study", "responsibility", "litigation", "documents", "publicity", "enforcement", "other")
_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lexicon.yaml")


@dataclass(frozen=True)
class LabelEntry:
    label: str
    kind: str
    pattern: object          # compiled regex
    generic: bool = False    # a last resort: look for a specific label earlier in the sentence


@dataclass(frozen=True)
class FactLexicon:
    candidate: object        # number (or range) followed by a unit
    units: tuple
    time_units: frozenset
    not_facts: tuple
    not_facts_literals: tuple  # per not_facts pattern: the strings one of which a match needs, or None
    not_after: object
    label_noise: object
    labels: tuple
    # (segment, sentence before) -> (label, kind), filled by extract._lexicon_label: clauses recur
    # across a batch, and the answer depends on this lexicon only
    label_memo: dict = field(default_factory=dict, compare=False, repr=False)


def _compile(source: str, what: str, where: str = _PATH):
    try:
        pattern = re.compile(source)     # the lexicon and the packs' labels use the stdlib engine
    except (re.error, TypeError) as exc:
        raise ValueError(f"{where}: {what} 不是有效的正则表达式：{exc}") from None
    return pattern


@lru_cache(maxsize=1)
def _base() -> dict:
    """The lexicon's own parts (units, what is not a fact), compiled once per process."""
    data = load_yaml_file_cached(_PATH)
    units = tuple(sorted(data["units"], key=len, reverse=True))
    unit_alt = "|".join(re.escape(u) for u in units)
    # n1 (and n2 for a range), then the unit. Percent also as 百分之X without a unit.
    # The lookahead names every character a candidate can start with (a digit, 百 of 百分之, a Chinese
    # numeral of COUNT_NUMBER): it lets the engine skip the other characters quickly (-30 % scan time).
    candidate = _compile(
        rf"(?=[\d百一二两三四五六七八九十])(?:(?P<n1>{COUNT_NUMBER})(?:{RANGE_SEP}(?P<n2>{COUNT_NUMBER}))?\s*(?P<unit>{unit_alt})"
        rf"|(?P<pct>百分之[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?))",
        "units")
    return dict(
        candidate=candidate,
        units=units,
        time_units=frozenset(data.get("time_units") or ()),
        not_facts=tuple(_compile(p, "not_facts") for p in data.get("not_facts") or ()),
        not_facts_literals=tuple(required_literals(p, min_length=1) for p in data.get("not_facts") or ()),
        not_after=_compile(f"(?:{data['not_after']})$", "not_after"),
        label_noise=_compile(data["label_noise"], "label_noise"),
    )


def fact_lexicon(labels, where: str = "policy.yaml") -> FactLexicon:
    """The facts lexicon with ``labels`` (the rule pack's ``facts.labels``: dicts with label, kind,
    pattern and optional generic); ValueError naming ``where`` for a label that is not valid."""
    entries = []
    for i, entry in enumerate(labels or ()):
        if not isinstance(entry, dict) or not isinstance(entry.get("label"), str) or "pattern" not in entry:
            raise ValueError(f"{where}: facts.labels[{i}] 应是 {{label, kind, pattern}}")
        if entry.get("kind") not in FACT_KINDS:
            raise ValueError(f"{where}: facts.labels[{i}] 的 kind {entry.get('kind')!r} 不在 {FACT_KINDS} 中")
        entries.append(LabelEntry(entry["label"], entry["kind"],
                                  _compile(entry["pattern"], f"facts.labels[{i}]", where),
                                  bool(entry.get("generic", False))))
    return FactLexicon(labels=tuple(entries), **_base())
