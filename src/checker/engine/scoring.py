"""The score of a report, its breakdown and its per-group subscores (documented in docs/scoring.md).

score = 100 - part_penalty x (statutory parts missing) - quality_share x (1 - quality), at least 0.

The numbers and the groups are the rule pack's policy (rules/national/policy.yaml ``scoring``,
``groups``, ``group_by_prefix``, ``parts``; ``RuleSet.policy``); this module holds the arithmetic.

- The statutory parts are the five contents of the annual report the 督察工作规定 prescribes:
  measures and results, shortcomings, their causes, the first responsible person's duties, the
  next-year plan. Each one missing costs ``part_penalty`` points (25), more than any quality can make
  up, so a report missing a part never outranks the same report complete. The rules that check the
  parts themselves carry the tag ``statutory`` and are not counted again in the quality.
- quality = credit earned / weight of the other rules that apply. A passed rule earns its weight;
  a failed rule earns nothing, except when its findings are less severe than the rule (a kind may
  report a weaker case, e.g. "not mentioned at all", as info): then it loses only
  weight x factor(found) / factor(rule) (factors: ``severity_factor``, error 10, warning 4, info 1).
  A rule that could not run *because a statutory part is missing* (it checks that part) earns
  nothing: removing a weak part must not raise the quality. Rules that do not apply to the report
  (its subject, its year, a condition of the rule) are left out.
- The score is computed once, by the engine, from every rule of the pack: ``--select``,
  ``--ignore``, per-file ignores, suppressions and the baseline change what is shown and the exit
  code, never the score.

subscores = the quality ratio inside each checklist group (structure, responsibility, study, ...);
            ``None`` for a group none of whose rules applied to the report.
A rule belongs to the group named by one of its ``tags`` (e.g. ``tags: [study]``), else to the
group of the longest matching id prefix in ``group_by_prefix``, else to ``other``.
"""
from __future__ import annotations

import dataclasses

from ..records import ELEMENTS


def policy_of(ruleset):
    """The rule set's policy (``rules.policy.Policy``); the national pack's for anything else."""
    policy = getattr(ruleset, "policy", None)
    if policy is None:                      # a rule set built by hand (tests): the national pack's
        from ..helpers.packdata import national_policy
        from ..rules.policy import parse_policy

        policy = parse_policy(national_policy(), "policy.yaml")
    return policy


def group_of(rule, policy) -> str:
    ids = policy.group_ids()
    for tag in rule.tags or ():
        if tag in ids:
            return tag
    best = max((p for p in policy.group_by_prefix if rule.id.startswith(p)), key=len, default=None)
    return policy.group_by_prefix[best] if best else "other"


def missing_parts(elements) -> list:
    """The statutory parts a report lacks, from ``Result.elements``."""
    if not elements:
        return []
    return [e for e in ELEMENTS if elements.get(e) in (False, None, "none")]


def depends_on(rule) -> set:
    """The parts a rule reads: its scope, its ``when.elements``, its element/part/requires params."""
    found = set()
    scope = "first_responsible_person" if rule.scope == "frp_text" else rule.scope
    if scope in ELEMENTS:
        found.add(scope)
    found.update(e for e in (rule.when or {}).get("elements") or () if e in ELEMENTS)
    params = rule.params or {}
    for key in ("element", "part"):
        if params.get(key) in ELEMENTS:
            found.add(params[key])
    requires = params.get("requires") or ()
    found.update(e for e in ([requires] if isinstance(requires, str) else requires) if e in ELEMENTS)
    return found


def _lost(outcome, rule, factors) -> float:
    """Weight a rule's outcome loses (0 for a pass)."""
    if outcome.status == "passed":
        return 0.0
    if outcome.status == "skipped":
        return rule.weight
    found = factors.get(outcome.severity or rule.severity, 0)
    full = factors.get(rule.severity, 1) or 1
    return rule.weight if found >= full else rule.weight * found / full


def _rule_maps(ruleset):
    """(policy, rules by id, group by id, parts each rule reads by id), worked out once per rule set
    (a frozen value; a batch scores every report with the same rules)."""
    def build():
        policy = policy_of(ruleset)
        rules = {r.id: r for r in ruleset.rules}
        return (policy, rules, {rid: group_of(r, policy) for rid, r in rules.items()},
                {rid: depends_on(r) for rid, r in rules.items()})

    derived = getattr(ruleset, "derived", None)
    return derived("score_maps", build) if derived else build()


def _counted(outcomes, ruleset, missing):
    """(outcome, rule) pairs that count in the quality: applied, or stopped by a missing part."""
    policy, rules, _, needs = _rule_maps(ruleset)
    missing = set(missing)
    for outcome in outcomes:
        rule = rules.get(outcome.rule_id)
        if rule is None or policy.statutory_tag in (rule.tags or ()):
            continue
        if outcome.status in ("passed", "failed") or (outcome.status == "skipped" and needs[rule.id] & missing):
            yield outcome, rule


def _ratio(pairs, factors):
    total = sum(rule.weight for _, rule in pairs)
    if total == 0:
        return None
    return 100.0 * (total - sum(_lost(o, r, factors) for o, r in pairs)) / total


def quality(outcomes, ruleset, elements=None):
    """0-100 over the non-statutory rules (None when none applied)."""
    policy = _rule_maps(ruleset)[0]
    return _ratio(list(_counted(outcomes, ruleset, missing_parts(elements))), policy.severity_factor)


def score(outcomes, ruleset, elements=None) -> float:
    policy = _rule_maps(ruleset)[0]
    q = quality(outcomes, ruleset, elements)
    q = 100.0 if q is None else q
    value = 100 - policy.part_penalty * len(missing_parts(elements)) - policy.quality_share * (100 - q) / 100
    return round(max(0.0, value), 1)


def explain(outcomes, ruleset, elements=None) -> list:
    """[(what, points lost)] that add up to 100 - score (before the floor at 0), largest first."""
    policy = _rule_maps(ruleset)[0]
    rows = [(f"缺少法定内容“{policy.part_name(p)}”", float(policy.part_penalty)) for p in missing_parts(elements)]
    pairs = list(_counted(outcomes, ruleset, missing_parts(elements)))
    total = sum(rule.weight for _, rule in pairs)
    for outcome, rule in pairs:
        lost = _lost(outcome, rule, policy.severity_factor)
        if lost and total:
            why = "（所查部分缺失）" if outcome.status == "skipped" else ""
            rows.append((f"{rule.id} {rule.title}{why}", policy.quality_share * lost / total))
    return sorted(rows, key=lambda row: -row[1])


def subscores(outcomes, ruleset, elements=None) -> dict:
    """{group: 0-100 or None} for every checklist group of the policy (``other`` only when a rule falls in it)."""
    policy, rules, groups, needs = _rule_maps(ruleset)
    names = [g for g in policy.group_ids() if g != "other"] + (["other"] if "other" in groups.values() else [])
    missing = set(missing_parts(elements))
    by_group = {name: [] for name in names}
    for outcome in outcomes:
        rule = rules.get(outcome.rule_id)
        if rule is not None and (outcome.status in ("passed", "failed")
                                 or (outcome.status == "skipped" and needs[rule.id] & missing)):
            by_group.setdefault(groups[rule.id], []).append((outcome, rule))
    out = {}
    for name in names:
        value = _ratio(by_group[name], policy.severity_factor)
        out[name] = None if value is None else round(value, 1)
    return out


def scored(result, ruleset):
    """``result`` with its score, subscores and breakdown worked out from its outcomes and elements."""
    return dataclasses.replace(result, score=score(result.outcomes, ruleset, result.elements),
                               subscores=subscores(result.outcomes, ruleset, result.elements),
                               breakdown=tuple(explain(result.outcomes, ruleset, result.elements)))
