"""Resolve the effective rule set: a pack (national by default), the packs it extends, its
disabled and overridden rules, and any extra rule files given with ``--rules``."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ..checks.base import RuleError
from .loader import LoadedRules, load_rule_file, rule_files

OVERRIDABLE = {"severity", "weight", "params", "message", "hint", "basis", "scope"}


@dataclass
class RuleSet:
    rules: list = field(default_factory=list)
    states: dict = field(default_factory=dict)
    kinds: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    pack: str = "national"

    def by_id(self, rule_id: str):
        return next((r for r in self.rules if r.id == rule_id), None)


def _chain(packs: dict, name: str, errors: list) -> list:
    chain, seen = [], set()
    while name:
        if name in seen:
            errors.append(f"规则包 {name}：extends 形成循环")
            break
        pack = packs.get(name)
        if pack is None:
            errors.append(f"未知的规则包 {name!r}；已安装：{', '.join(sorted(packs)) or '无'}")
            break
        seen.add(name)
        chain.append(pack)
        name = pack.extends
    return list(reversed(chain))


def _apply_override(rule, changes: dict, kinds: dict, pack_name: str):
    unknown = set(changes) - OVERRIDABLE
    if unknown:
        raise RuleError(f"不可覆盖的字段：{', '.join(sorted(unknown))}")
    updates = {k: v for k, v in changes.items() if k != "params"}
    if "params" in changes:
        updates["params"] = {**rule.params, **(changes["params"] or {})}
    if "weight" in updates:
        updates["weight"] = float(updates["weight"])
    new = dataclasses.replace(rule, pack=pack_name, **updates)
    return new, kinds[new.check].prepare(new)


def load_ruleset(plugins, pack_name: str = "national", extra_paths=(), selected=None) -> RuleSet:
    kinds = plugins.kinds()
    packs = {p.name: p for p in plugins.rule_packs()}
    result = RuleSet(kinds=kinds, pack=pack_name)
    loaded = LoadedRules()
    for pack in _chain(packs, pack_name, result.errors):
        for rid in pack.disable:
            loaded.rules = [r for r in loaded.rules if r.id != rid]
        for path in pack.paths:
            for file in rule_files(path):
                load_rule_file(file, kinds, pack.name, loaded)
        for rid, changes in (pack.override or {}).items():
            index = next((i for i, r in enumerate(loaded.rules) if r.id == rid), None)
            if index is None:
                result.errors.append(f"规则包 {pack.name}：override 的规则 {rid} 不存在")
                continue
            try:
                loaded.rules[index], loaded.states[rid] = _apply_override(loaded.rules[index], changes, kinds, pack.name)
            except RuleError as exc:
                result.errors.append(f"规则包 {pack.name}：override {rid}：{exc}")
    for path in extra_paths:
        files = rule_files(path)
        if not files:
            result.errors.append(f"{path}:0: 没有找到规则文件（*.yaml）")
        for file in files:
            load_rule_file(file, kinds, "local", loaded)
    result.rules = [r for r in loaded.rules if selected is None or selected(r.id)]
    result.states = {r.id: loaded.states[r.id] for r in result.rules}
    result.errors = loaded.errors + result.errors
    return result
