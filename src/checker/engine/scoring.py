"""The score of a report and its per-element subscores (documented in docs/scoring.md).

score     = 100 x (credit of rules evaluated) / (weight of rules evaluated); skipped rules do not count.
            A passed rule earns its weight; a failed rule earns nothing, except when its findings
            are less severe than the rule (a kind may report a weaker case, e.g. "not mentioned at
            all", as info): then it loses only weight x severity factor of the finding / factor of
            the rule (factors error 10, warning 4, info 1), e.g. a warning rule with weight 2 that
            fires at info level loses 0.5.
subscores = the same ratio inside each checklist group (structure, responsibility, study, ...);
            ``None`` for a group none of whose rules was evaluated on the report.

A rule belongs to the group named by one of its ``tags`` (e.g. ``tags: [study]``), else to the
group of the longest matching id prefix in ``GROUP_BY_PREFIX``, else to ``other``.
"""
from __future__ import annotations

# The reviewer's checklist, in the order a reviewer reads a report.
GROUPS = ("structure", "responsibility", "study", "problems", "plan", "evidence", "wording", "timing", "text")

GROUP_BY_PREFIX = {
    "FZ-S": "structure",        # the statutory parts and the title
    "FZ-S03": "problems",       # causes belong with the shortcomings
    "FZ-R": "responsibility",   # first-responsible-person duties
    "FZ-L": "study",            # 学法用法 counts
    "FZ-P": "problems",         # depth of the shortcomings part
    "FZ-N": "plan",             # next-year plan: year, answers the problems, concreteness
    "FZ-Q": "evidence",         # quantitative evidence, core indicators, plausibility
    "FZ-W": "wording",          # outdated terms, names, boilerplate
    "FZ-T": "timing",           # publication date and deadline
    "FZ-C": "text",             # chrome, script, mojibake, placeholders
}


def group_of(rule) -> str:
    for tag in rule.tags or ():
        if tag in GROUPS:
            return tag
    best = max((p for p in GROUP_BY_PREFIX if rule.id.startswith(p)), key=len, default=None)
    return GROUP_BY_PREFIX[best] if best else "other"


SEVERITY_FACTOR = {"error": 10, "warning": 4, "info": 1}


def _credit(outcome, weight: float, rule_severity: str) -> float:
    if outcome.status == "passed":
        return weight
    found = SEVERITY_FACTOR.get(outcome.severity or rule_severity, 0)
    full = SEVERITY_FACTOR.get(rule_severity, 1)
    if found >= full:
        return 0.0
    return weight * (1 - found / full)


def _ratio(outcomes, weights, severities) -> float | None:
    evaluated = [o for o in outcomes if o.status in ("passed", "failed")]
    total = sum(weights.get(o.rule_id, 0) for o in evaluated)
    if total == 0:
        return None
    earned = sum(_credit(o, weights.get(o.rule_id, 0), severities.get(o.rule_id, "error")) for o in evaluated)
    return round(100.0 * earned / total, 1)


def score(outcomes, ruleset) -> float:
    """100 x (credit earned) / (weight of rules evaluated); 100 when nothing was evaluated."""
    value = _ratio(outcomes, {r.id: r.weight for r in ruleset.rules}, {r.id: r.severity for r in ruleset.rules})
    return 100.0 if value is None else value


def _rule_maps(ruleset):
    """Weights, severities and groups of a rule set's rules, kept on the rule set until its rules
    change (the key is the identity of the rule records, which an override replaces)."""
    key = tuple(map(id, ruleset.rules))
    cached = getattr(ruleset, "_score_maps", None)
    if cached is None or cached[0] != key:
        cached = (key, ({r.id: r.weight for r in ruleset.rules}, {r.id: r.severity for r in ruleset.rules},
                        {r.id: group_of(r) for r in ruleset.rules}))
        ruleset._score_maps = cached
    return cached[1]


def subscores(outcomes, ruleset) -> dict:
    """{group: 0-100 or None} for every checklist group (and ``other`` when a rule falls in it)."""
    weights, severities, groups = _rule_maps(ruleset)
    names = list(GROUPS) + (["other"] if "other" in groups.values() else [])
    return {name: _ratio([o for o in outcomes if groups.get(o.rule_id) == name], weights, severities)
            for name in names}
