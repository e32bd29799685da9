"""Resolve the effective rule set: a pack (national by default), the packs it extends, its
disabled and overridden rules, and any extra rule files given with ``--rules``.

Resolution walks the chain from the base: ``national`` → ``sichuan`` → … For each pack in turn,
its ``disable`` list removes inherited rules, its folders add rules, and its ``override`` map
changes fields of a rule it inherits (``params`` are merged, so a province changes one threshold
without copying the rule). Where every rule came from is kept in ``RuleSet.provenance``.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ..errors import ConfigError, RuleError
from .applicability import parse_applies_to, parse_era
from .citations import parse_basis, render_basis
from .loader import LoadedRules, _examples, load_rule_file, prepare_rule, rule_files
from .schema import finite_params, weight_value

OVERRIDABLE = {"severity", "weight", "params", "message", "hint", "basis", "scope", "title", "examples", "applies_to",
               "valid_from", "valid_until"}
LOCAL_PACK = "local"


@dataclass
class Change:
    """One pack's override of an inherited rule."""

    pack: str
    where: str          # "file:line" in pack.yaml, or the plugin that declared the pack
    fields: tuple


@dataclass
class Provenance:
    """Where a rule of the effective set came from."""

    pack: str           # the pack whose files define it ("local" for --rules)
    source: str         # "file:line" of the definition
    status: str         # "base" | "inherited" | "added" | "local"
    changes: list = field(default_factory=list)   # Change, in resolution order

    def label(self, shorten=str) -> str:
        """继承 / 新增 / 追加, then each override: 被 PACK 覆盖（fields，file:line）."""
        words = {"base": "", "inherited": "继承", "added": "新增", "local": "追加"}
        parts = [words[self.status]] if words[self.status] else []
        parts += [f"被 {c.pack} 覆盖（{', '.join(c.fields)}，{shorten(c.where)}）" for c in self.changes]
        return "；".join(parts)


@dataclass(frozen=True, eq=False)
class RuleSet:
    """The effective rules of a run, with their kinds and where each came from: a value. A step that
    changes the rules (thresholds, a selection, dropping rules whose examples fail) returns a new
    RuleSet (``replace``). ``derived`` keeps what is worked out from the rules once per rule set."""

    rules: tuple = ()
    states: dict = field(default_factory=dict)
    kinds: dict = field(default_factory=dict)
    errors: tuple = ()
    pack: str = "national"
    chain: tuple = ()                                  # pack names, base first
    provenance: dict = field(default_factory=dict)     # rule id -> Provenance
    disabled: tuple = ()                               # (rule id, pack, where)
    plugin_failures: tuple = ()                        # checker.plugins.PluginFailure
    delete_patterns: tuple = ()                        # compiled, from fazhi_lint_normalise_patterns
    readers: dict = field(default_factory=dict)        # extension -> reader, from fazhi_lint_readers
    # rule id -> (rule, state) whose examples vouch for an overridden rule: the definition before a
    # pack changed its thresholds (the examples were written for those), unless the pack gave new examples.
    examples_from: dict = field(default_factory=dict)
    # Every rule id the packs and --rules files define, selected or not (what --select may name).
    known_ids: frozenset = frozenset()
    policy: object = None                              # rules.policy.Policy, merged along the chain
    vocabulary: object = None                          # document.vocabulary.Vocabulary, from the policy
    _derived: dict = field(default_factory=dict, repr=False)

    def by_id(self, rule_id: str):
        return next((r for r in self.rules if r.id == rule_id), None)

    def replace(self, **changes) -> "RuleSet":
        """A new rule set with ``changes`` (what was derived from the old rules is not carried over)."""
        changes.setdefault("_derived", {})
        return dataclasses.replace(self, **changes)

    def only(self, keep) -> "RuleSet":
        """The rule set restricted to the rules for which ``keep(rule)`` is true."""
        rules = tuple(r for r in self.rules if keep(r))
        return self.replace(rules=rules, states={r.id: self.states[r.id] for r in rules})

    def derived(self, name: str, build):
        """``build()``, worked out once for this rule set (it is a value: its rules never change)."""
        if name not in self._derived:
            self._derived[name] = build()
        return self._derived[name]


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
        raise RuleError(f"不可覆盖的字段：{', '.join(sorted(map(str, unknown)))}；可覆盖：{', '.join(sorted(OVERRIDABLE))}")
    updates = {k: v for k, v in changes.items() if k not in ("params", "examples", "basis", "applies_to",
                                                            "valid_from", "valid_until")}
    if "basis" in changes:
        updates["citations"] = parse_basis(changes["basis"])
        updates["basis"] = render_basis(updates["citations"])
    if "applies_to" in changes:
        updates["applies_to"] = parse_applies_to(changes["applies_to"], changes.get("severity", rule.severity))
    for key in ("valid_from", "valid_until"):
        if key in changes:
            updates[key] = parse_era(changes[key], key)
    if "params" in changes:
        if not isinstance(changes["params"] or {}, dict):
            raise RuleError("params 必须是映射")
        updates["params"] = {**rule.params, **(changes["params"] or {})}
    if "examples" in changes:
        updates["examples_fire"], updates["examples_pass"] = _examples(changes["examples"], rule.source)
    if "weight" in updates:
        updates["weight"] = weight_value(updates["weight"])
    finite_params(updates.get("params") or {})
    new = dataclasses.replace(rule, pack=pack_name, **updates)
    return prepare_rule(new, kinds[new.check])


def _where(pack, rule_id: str) -> str:
    return pack.lines.get(rule_id) or pack.origin or f"插件 {pack.plugin or '?'}"


def _resolve_pack(pack, loaded: LoadedRules, kinds: dict, result: "_Building", plugins) -> None:
    for rid in pack.disable:
        if rid in loaded.skipped:
            continue
        if not any(r.id == rid for r in loaded.rules):
            result.errors.append(f"{_where(pack, rid)}: 规则包 {pack.name}：disable 的规则 {rid} 不存在")
            continue
        loaded.rules = [r for r in loaded.rules if r.id != rid]
        result.provenance.pop(rid, None)
        result.disabled.append((rid, pack.name, _where(pack, rid)))
    before = {r.id for r in loaded.rules}
    for path in pack.paths:
        for file in rule_files(path):
            load_rule_file(file, kinds, pack.name, loaded)
    for rule in loaded.rules:
        if rule.id not in before:
            result.provenance[rule.id] = Provenance(pack.name, rule.source, "added")
    for rid, changes in (pack.override or {}).items():
        index = next((i for i, r in enumerate(loaded.rules) if r.id == rid), None)
        where = _where(pack, rid)
        if index is None and rid in loaded.skipped:
            continue                               # not selected for this run
        if index is None:
            result.errors.append(f"{where}: 规则包 {pack.name}：override 的规则 {rid} 不存在")
            continue
        if not isinstance(changes, dict):
            result.errors.append(f"{where}: 规则包 {pack.name}：override {rid} 必须是 {{字段: 新值}}")
            continue
        before = (loaded.rules[index], loaded.states[rid])
        try:
            loaded.rules[index], loaded.states[rid] = _apply_override(loaded.rules[index], changes, kinds, pack.name)
            if "examples" in changes:
                result.examples_from.pop(rid, None)
            else:
                result.examples_from.setdefault(rid, before)
        except RuleError as exc:
            result.errors.append(f"{where}: 规则包 {pack.name}：override {rid}：{exc}")
            continue
        except Exception as exc:   # the kind's prepare() crashed: the plugin's fault, not the pack's
            kind = kinds.get(loaded.rules[index].check)
            plugins.fail(getattr(kind, "plugin_name", "?"), f"检查类型 {loaded.rules[index].check} 准备规则 {rid} 时", exc)
            continue
        result.provenance[rid].changes.append(Change(pack.name, where, tuple(sorted(changes))))


def load_ruleset(plugins, pack_name: str = "national", extra_paths=(), selected=None) -> RuleSet:
    """The effective rule set of ``pack_name`` (plus ``extra_paths``), filtered by ``selected``.
    A pack that is not installed is a configuration error (``UnknownPack``, exit 2): a run with
    no rules must never look like a clean run."""
    kinds = plugins.kinds()
    packs = {p.name: p for p in plugins.rule_packs()}
    if pack_name not in packs:
        raise UnknownPack(pack_name, sorted(packs))
    building = _Building()
    loaded = LoadedRules(failures=plugins.failures, wanted=selected)
    chain = _chain(packs, pack_name, building.errors)
    for pack in chain:
        _resolve_pack(pack, loaded, kinds, building, plugins)
    for rid, prov in building.provenance.items():
        if prov.pack != pack_name:
            prov.status = "inherited"
        elif len(chain) == 1:
            prov.status = "base"
    for path in extra_paths:
        files = rule_files(path)
        if not files:
            building.errors.append(f"{path}:0: 没有找到规则文件（*.yaml）")
        before = {r.id for r in loaded.rules}
        for file in files:
            load_rule_file(file, kinds, LOCAL_PACK, loaded)
        for rule in loaded.rules:
            if rule.id not in before:
                building.provenance[rule.id] = Provenance(LOCAL_PACK, rule.source, "local")
    rules = tuple(r for r in loaded.rules if selected is None or selected(r.id))
    delete_patterns, readers = tuple(plugins.normalise_patterns()), plugins.readers()   # hooks first: their failures count
    policy, vocabulary = _policy(chain)
    return RuleSet(rules=rules, states={r.id: loaded.states[r.id] for r in rules}, kinds=kinds,
                   errors=tuple(loaded.errors + building.errors), pack=pack_name, chain=tuple(p.name for p in chain),
                   provenance=building.provenance, disabled=tuple(building.disabled),
                   plugin_failures=tuple(plugins.failures), delete_patterns=delete_patterns,
                   readers=readers, examples_from=building.examples_from,
                   known_ids=frozenset({r.id for r in loaded.rules} | loaded.skipped
                                       | {rid for rid, _, _ in building.disabled}), policy=policy,
                   vocabulary=vocabulary)


def _policy(chain):
    """(Policy, Vocabulary) of a chain of packs (base first): each pack's policy on top of what it
    inherits (the national pack's when no pack of the chain has one). ConfigError (exit 2) naming the
    pack's file for a mistake."""
    from ..document.vocabulary import default_vocabulary, vocabulary_from
    from ..helpers.packdata import merge_policy, national_policy, national_rules_dir
    from .policy import parse_policy

    merged, where = {}, ""
    for pack in chain:
        if pack.policy:
            merged, where = merge_policy(merged, pack.policy), pack.policy_source or pack.origin or pack.name
    if not merged or merged == national_policy():
        merged, where = national_policy(), f"{national_rules_dir()}/policy.yaml"
        return parse_policy(merged, where), default_vocabulary()
    return parse_policy(merged, where), vocabulary_from(merged, where)


@dataclass
class _Building:
    """What resolving the packs gathers before the RuleSet is made."""

    errors: list = field(default_factory=list)
    provenance: dict = field(default_factory=dict)
    disabled: list = field(default_factory=list)
    examples_from: dict = field(default_factory=dict)


class UnknownPack(ConfigError):
    """``--province`` (or ``province:``) names a rule pack that is not installed."""

    def __init__(self, name: str, installed):
        import difflib

        close = difflib.get_close_matches(str(name), installed, n=1)
        hint = f"（是不是 {close[0]}？）" if close else ""
        super().__init__(f"未知的规则包 {name!r}（--province 或配置的 province）{hint}；已安装：{', '.join(installed) or '无'}。"
                         "未检查任何报告，也没有写出任何结果")
        self.name = name


def pack_rule_ids(pack) -> list:
    """Rule ids defined in a pack's own files (read without validation; for listings)."""
    from ..errors import YamlError
    from ..helpers.yamlio import load_yaml_file

    ids = []
    for path in pack.paths:
        for file in rule_files(path):
            try:
                data = load_yaml_file(file)
            except YamlError:
                continue
            for raw in (data or {}).get("rules", []) if isinstance(data, dict) else []:
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    ids.append(raw["id"])
    return ids
