"""The words a document is read with that belong to the rule pack, not to the code: who reports (the
subject classifier's words) and the labels of the facts table. They come from the pack's policy
(rules/national/policy.yaml, extended by a province pack's ``policy:``), given to ``build_document``
as a ``Vocabulary``; a document read without a rule set uses the national pack's.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..errors import ConfigError
from .facts.lexicon import fact_lexicon

# The subject classifier's categories, each a list of patterns in the policy's ``subjects``.
SUBJECT_CATEGORIES = ("joint", "zone_body", "zone_words", "town", "government", "department", "place")


@dataclass(frozen=True, eq=False)
class Vocabulary:
    subjects: dict            # category -> compiled pattern (the category's patterns joined)
    facts: object             # facts.lexicon.FactLexicon (its labels from the policy)
    part_names: dict          # statutory element -> its name in full (the policy's parts[].long or name)
    not_a_report: object = None    # kinds.NotAReport: what a file that is not an annual report looks like


def _joined(patterns, category: str, where: str):
    if isinstance(patterns, str):
        patterns = [patterns]
    if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
        raise ConfigError(f"{where}: subjects.{category} 应是正则表达式的列表")
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else re.compile(r"(?!)")
    except re.error as exc:
        raise ConfigError(f"{where}: subjects.{category} 中有无效的正则表达式：{exc}") from None


def vocabulary_from(policy: dict, where: str = "policy.yaml") -> Vocabulary:
    """The Vocabulary of a (merged) pack policy; ConfigError naming ``where`` for a bad entry."""
    subjects = policy.get("subjects") or {}
    if not isinstance(subjects, dict):
        raise ConfigError(f"{where}: subjects 应是 {{类别: [正则, ...]}}")
    unknown = set(subjects) - set(SUBJECT_CATEGORIES)
    if unknown:
        raise ConfigError(f"{where}: subjects 的未知类别 {', '.join(sorted(map(str, unknown)))}（可用：{', '.join(SUBJECT_CATEGORIES)}）")
    facts = policy.get("facts") or {}
    try:
        lexicon = fact_lexicon((facts.get("labels") if isinstance(facts, dict) else None) or (), where)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    parts = {p["element"]: p.get("long") or p.get("name") for p in policy.get("parts") or ()
             if isinstance(p, dict) and p.get("element")}
    from .kinds import parse_not_a_report

    return Vocabulary({c: _joined(subjects.get(c, []), c, where) for c in SUBJECT_CATEGORIES}, lexicon, parts,
                      parse_not_a_report(policy.get("not_a_report"), where))


@functools.lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The national pack's vocabulary (a document read without a rule set)."""
    from ..helpers.packdata import national_policy, national_rules_dir

    return vocabulary_from(national_policy(), f"{national_rules_dir()}/policy.yaml")
