"""``thresholds`` in the config: per-rule parameter overrides, applied like a pack's ``override``.

``thresholds: {FZ-C02: {max: 20}}`` replaces the ``max`` parameter of FZ-C02 for this project.
The rule's own examples were verified with the pack's values; a threshold is the project's choice.
"""
from __future__ import annotations

from ..errors import RuleError
from .packs import _apply_override


def apply_thresholds(ruleset, thresholds: dict, selection_active: bool):
    """(new rule set with the parameter overrides, problems naming the rule)."""
    problems = []
    rules, states = list(ruleset.rules), dict(ruleset.states)
    for rule_id, params in (thresholds or {}).items():
        index = next((i for i, r in enumerate(rules) if r.id == rule_id), None)
        if index is None:
            if not selection_active:
                problems.append(f"thresholds：没有规则 {rule_id}")
            continue
        rule = rules[index]
        kind = ruleset.kinds[rule.check]
        unknown = sorted(set(params) - set(getattr(kind, "params", {}) or {}))
        if unknown:
            problems.append(f"thresholds.{rule_id}：检查类型 {rule.check} 没有参数 {', '.join(unknown)}"
                            f"（可用：{', '.join(kind.params)}）")
            continue
        try:
            rules[index], states[rule_id] = _apply_override(rule, {"params": params}, ruleset.kinds, rule.pack)
        except RuleError as exc:
            problems.append(f"thresholds.{rule_id}：{exc}")
    if not thresholds:
        return ruleset, problems
    return ruleset.replace(rules=tuple(rules), states=states), problems
