"""The score of a report, its breakdown and its per-group subscores (documented in docs/scoring.md).

score = 100 - PART_PENALTY x (statutory parts missing) - QUALITY_SHARE x (1 - quality), at least 0.

- The statutory parts are the five contents of the annual report the 督察工作规定 prescribes:
  measures and results, shortcomings, their causes, the first responsible person's duties, the
  next-year plan. Each one missing costs PART_PENALTY points, more than any quality can make up,
  so a report missing a part never outranks the same report complete. The rules that check the
  parts themselves carry the tag ``statutory`` and are not counted again in the quality.
- quality = credit earned / weight of the other rules that apply. A passed rule earns its weight;
  a failed rule earns nothing, except when its findings are less severe than the rule (a kind may
  report a weaker case, e.g. "not mentioned at all", as info): then it loses only
  weight x factor(found) / factor(rule) (factors error 10, warning 4, info 1). A rule that could
  not run *because a statutory part is missing* (it checks that part) earns nothing: removing a
  weak part must not raise the quality. Rules that do not apply to the report (its subject, its
  year, a condition of the rule) are left out.
- The score is computed once, by the engine, from every rule of the pack: ``--select``,
  ``--ignore``, per-file ignores, suppressions and the baseline change what is shown and the exit
  code, never the score.

subscores = the quality ratio inside each checklist group (structure, responsibility, study, ...);
            ``None`` for a group none of whose rules applied to the report.
A rule belongs to the group named by one of its ``tags`` (e.g. ``tags: [study]``), else to the
group of the longest matching id prefix in ``GROUP_BY_PREFIX``, else to ``other``.
"""
from __future__ import annotations

from ..records import ELEMENTS

PART_PENALTY = 25
QUALITY_SHARE = 50
STATUTORY_TAG = "statutory"

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
PART_NAMES = {
    "measures_and_results": "主要举措和成效", "shortcomings": "存在的不足", "causes": "不足的原因",
    "first_responsible_person": "第一责任人职责履行情况", "next_year_plan": "下一年度主要安排",
}


def group_of(rule) -> str:
    for tag in rule.tags or ():
        if tag in GROUPS:
            return tag
    best = max((p for p in GROUP_BY_PREFIX if rule.id.startswith(p)), key=len, default=None)
    return GROUP_BY_PREFIX[best] if best else "other"


SEVERITY_FACTOR = {"error": 10, "warning": 4, "info": 1}


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


def _lost(outcome, rule) -> float:
    """Weight a rule's outcome loses (0 for a pass)."""
    if outcome.status == "passed":
        return 0.0
    if outcome.status == "skipped":
        return rule.weight
    found = SEVERITY_FACTOR.get(outcome.severity or rule.severity, 0)
    full = SEVERITY_FACTOR.get(rule.severity, 1)
    return rule.weight if found >= full else rule.weight * found / full


def _counted(outcomes, ruleset, missing):
    """(outcome, rule) pairs that count in the quality: applied, or stopped by a missing part."""
    rules, _, needs = _rule_maps(ruleset)
    missing = set(missing)
    for outcome in outcomes:
        rule = rules.get(outcome.rule_id)
        if rule is None or STATUTORY_TAG in (rule.tags or ()):
            continue
        if outcome.status in ("passed", "failed") or (outcome.status == "skipped" and needs[rule.id] & missing):
            yield outcome, rule


def _ratio(pairs):
    total = sum(rule.weight for _, rule in pairs)
    if total == 0:
        return None
    return 100.0 * (total - sum(_lost(o, r) for o, r in pairs)) / total


def quality(outcomes, ruleset, elements=None):
    """0-100 over the non-statutory rules (None when none applied)."""
    return _ratio(list(_counted(outcomes, ruleset, missing_parts(elements))))


def score(outcomes, ruleset, elements=None) -> float:
    q = quality(outcomes, ruleset, elements)
    q = 100.0 if q is None else q
    value = 100 - PART_PENALTY * len(missing_parts(elements)) - QUALITY_SHARE * (100 - q) / 100
    return round(max(0.0, value), 1)


def explain(outcomes, ruleset, elements=None) -> list:
    """[(what, points lost)] that add up to 100 - score (before the floor at 0), largest first."""
    rows = [(f"缺少法定内容“{PART_NAMES[p]}”", float(PART_PENALTY)) for p in missing_parts(elements)]
    pairs = list(_counted(outcomes, ruleset, missing_parts(elements)))
    total = sum(rule.weight for _, rule in pairs)
    for outcome, rule in pairs:
        lost = _lost(outcome, rule)
        if lost and total:
            why = "（所查部分缺失）" if outcome.status == "skipped" else ""
            rows.append((f"{rule.id} {rule.title}{why}", QUALITY_SHARE * lost / total))
    return sorted(rows, key=lambda row: -row[1])


def _rule_maps(ruleset):
    """(rules by id, group by id, parts each rule reads by id), worked out once per rule set (a
    frozen value; a batch scores every report with the same rules)."""
    def build():
        rules = {r.id: r for r in ruleset.rules}
        return rules, {rid: group_of(r) for rid, r in rules.items()}, {rid: depends_on(r) for rid, r in rules.items()}

    return ruleset.derived("score_maps", build)


def subscores(outcomes, ruleset, elements=None) -> dict:
    """{group: 0-100 or None} for every checklist group (and ``other`` when a rule falls in it)."""
    rules, groups, needs = _rule_maps(ruleset)
    names = list(GROUPS) + (["other"] if "other" in groups.values() else [])
    missing = set(missing_parts(elements))
    by_group = {name: [] for name in names}
    for outcome in outcomes:
        rule = rules.get(outcome.rule_id)
        if rule is not None and (outcome.status in ("passed", "failed")
                                 or (outcome.status == "skipped" and needs[rule.id] & missing)):
            by_group[groups[rule.id]].append((outcome, rule))
    out = {}
    for name in names:
        value = _ratio(by_group[name])
        out[name] = None if value is None else round(value, 1)
    return out


def scored(result, ruleset):
    """``result`` with its score, subscores and breakdown worked out from its outcomes and elements."""
    import dataclasses

    return dataclasses.replace(result, score=score(result.outcomes, ruleset, result.elements),
                               subscores=subscores(result.outcomes, ruleset, result.elements),
                               breakdown=tuple(explain(result.outcomes, ruleset, result.elements)))
