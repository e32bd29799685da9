"""Load YAML rule files into validated Rule records.

Every problem is reported as ``file:line: RULE-ID: what is wrong`` and the rule is left out;
the other rules still load. ``yaml.safe_load`` semantics only (no tags, no code).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..checks.base import SCOPES
from ..errors import RuleError, YamlError
from ..helpers.yamlio import load_rules_yaml
from .applicability import parse_applies_to, parse_era
from .citations import parse_basis, render_basis
from .schema import DEFAULT_WEIGHT, RULE_FIELDS, RULE_ID_RE, Example, Rule, finite_params, severity_ok, weight_value

FILE_KEYS = {"rules", "pack", "description"}   # plus "x-..." keys, free for shared YAML anchors


@dataclass
class LoadedRules:
    rules: list = field(default_factory=list)      # Rule, in file order
    states: dict = field(default_factory=dict)     # rule id -> prepared checker state
    errors: list = field(default_factory=list)     # "file:line: id: message"
    wanted: object = None                          # optional predicate on rule ids (--select/--ignore)
    skipped: set = field(default_factory=set)      # ids left unbuilt because they are not wanted
    failures: list = field(default_factory=list)   # checker.plugins.PluginFailure: a kind's prepare() crashed


def rule_files(path: str) -> list:
    """YAML rule files under a path (a file, or a folder searched recursively, sorted); a pack's
    ``pack.yaml`` and ``policy.yaml`` are its declaration and its data, not rules."""
    if os.path.isfile(path):
        return [path]
    found = []
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")) and name not in ("pack.yaml", "policy.yaml"):
                found.append(os.path.join(root, name))
    return found


def _examples(value, where):
    if not isinstance(value, dict) or set(value) - {"fire", "pass"}:
        raise RuleError("examples 必须是 {fire: [...], pass: [...]}")
    out = {}
    for key in ("fire", "pass"):
        items = value.get(key)
        if not isinstance(items, list) or not items:
            raise RuleError(f"examples.{key} 必须是至少含一个样例的列表")
        parsed = []
        for item in items:
            if isinstance(item, str):
                parsed.append(Example(item))
            elif isinstance(item, dict) and isinstance(item.get("text"), str) \
                    and not set(item) - {"text", "year", "published", "previous", "peers"} \
                    and isinstance(item.get("previous", ""), str) \
                    and all(isinstance(p, str) for p in item.get("peers", ())):
                parsed.append(Example(item["text"], item.get("year"), item.get("published"),
                                      item.get("previous"), tuple(item.get("peers", ()))))
            else:
                raise RuleError(f"examples.{key} 的样例必须是字符串或 {{text, year, published, previous, peers}}")
        out[key] = tuple(parsed)
    return out["fire"], out["pass"]


WHEN_KEYS = {"year_min", "year_max", "elements", "present", "absent"}


def validate_when(when) -> dict:
    """Check a rule's ``when`` conditions (compiling its patterns once to report bad ones)."""
    from ..helpers.patterns import compile_list
    from ..records import ELEMENTS

    if when is None:
        return {}
    if not isinstance(when, dict):
        raise RuleError("when 必须是映射")
    unknown = set(when) - WHEN_KEYS
    if unknown:
        raise RuleError(f"when 中未知的条件：{', '.join(sorted(map(str, unknown)))}；可用：{', '.join(sorted(WHEN_KEYS))}")
    for key in ("year_min", "year_max"):
        if key in when and not isinstance(when[key], int):
            raise RuleError(f"when.{key} 必须是年份整数")
    for key in ("year_min", "year_max"):
        if isinstance(when.get(key), bool):
            raise RuleError(f"when.{key} 必须是年份整数")
    elements = when.get("elements") or []
    if not isinstance(elements, list):
        raise RuleError(f"when.elements 必须是要素名的列表（可用：{', '.join(ELEMENTS)}），而不是 {elements!r}")
    for element in elements:
        if not isinstance(element, str) or element not in ELEMENTS:
            raise RuleError(f"when.elements 中的 {element!r} 不是要素名")
    for key in ("present", "absent"):
        compile_list(when.get(key), f"when.{key}")
    return dict(when)


def build_rule(raw: dict, source: str, pack: str, kinds: dict):
    """Validate one raw rule mapping; return (Rule, prepared state) or raise RuleError."""
    if not isinstance(raw, dict):
        raise RuleError("规则必须是一个映射（key: value）")
    unknown = set(raw) - set(RULE_FIELDS)
    if unknown:
        raise RuleError(f"未知字段：{', '.join(sorted(map(str, unknown)))}")
    missing = [k for k, (req, _) in RULE_FIELDS.items() if req and k not in raw]
    if missing:
        raise RuleError(f"缺少必填字段：{', '.join(missing)}")
    rid = raw["id"]
    if not isinstance(rid, str) or not RULE_ID_RE.match(rid):
        raise RuleError(f"id {rid!r} 不符合格式“前缀-编号”（如 FZ-S03）")
    for key in ("title", "message", "hint"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise RuleError(f"{key} 必须是非空字符串")
    if not severity_ok(raw["severity"]):
        raise RuleError(f"severity 必须是 error、warning 或 info，而不是 {raw['severity']!r}")
    scope = raw.get("scope", "report")
    if scope not in SCOPES:
        raise RuleError(f"scope {scope!r} 无效；可用：{', '.join(SCOPES)}")
    kind = kinds.get(raw["check"])
    if kind is None:
        raise RuleError(f"未知的检查类型 check: {raw['check']!r}；可用：{', '.join(sorted(kinds))}")
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        raise RuleError("params 必须是映射")
    weight = weight_value(raw.get("weight", DEFAULT_WEIGHT[raw["severity"]]))
    finite_params(params)
    fire, passing = _examples(raw["examples"], source)
    when = validate_when(raw.get("when"))
    if raw.get("fix") is not None and not getattr(kind, "fixable", False):
        raise RuleError(f"检查类型 {raw['check']} 不支持 fix（机械修复）")
    citations = parse_basis(raw["basis"])
    applies_to = parse_applies_to(raw.get("applies_to"), raw["severity"])
    valid_from, valid_until = parse_era(raw.get("valid_from"), "valid_from"), parse_era(raw.get("valid_until"), "valid_until")
    rule = Rule(
        id=rid, title=raw["title"], severity=raw["severity"], check=raw["check"], scope=scope,
        params=params, message=raw["message"], hint=raw["hint"], basis=render_basis(citations),
        citations=citations, applies_to=applies_to, valid_from=valid_from, valid_until=valid_until,
        weight=float(weight), examples_fire=fire, examples_pass=passing,
        rationale=raw.get("rationale", ""), message_en=raw.get("message_en", ""),
        hint_en=raw.get("hint_en", ""), title_en=raw.get("title_en", ""),
        tags=tuple(raw.get("tags") or ()), when=when, fix=raw.get("fix"), source=source, pack=pack,
    )
    return prepare_rule(rule, kind)


def prepare_rule(rule, kind):
    """(rule with its typed ``config``, the kind's prepared state): a wrongly typed parameter is a
    RuleError naming it; the caller adds the rule's ``file:line``."""
    import dataclasses

    from ..checks.params import config_of

    rule = dataclasses.replace(rule, config=config_of(kind, rule.params))
    return rule, kind.prepare(rule)


def load_rule_file(path: str, kinds: dict, pack: str, into: LoadedRules) -> None:
    try:
        data, lines = load_rules_yaml(path)
    except YamlError as exc:
        into.errors.append(str(exc))
        return
    if data is None:
        return
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        into.errors.append(f"{path}:1: 规则文件的顶层必须是含 rules: 列表的映射")
        return
    extra = {k for k in data if k not in FILE_KEYS and not str(k).startswith("x-")}
    if extra:
        into.errors.append(f"{path}:1: 规则文件顶层的未知字段：{', '.join(sorted(map(str, extra)))}")
    seen = {r.id for r in into.rules}
    for index, raw in enumerate(data["rules"]):
        line = lines[index] if index < len(lines) else 0
        rid = raw.get("id", f"rules[{index}]") if isinstance(raw, dict) else f"rules[{index}]"
        if into.wanted is not None and isinstance(rid, str) and not into.wanted(rid):
            into.skipped.add(rid)                  # not selected: not compiled either (start-up time)
            continue
        source = f"{path}:{line}"
        try:
            rule, state = build_rule(raw, source, pack, kinds)
        except RuleError as exc:
            into.errors.append(f"{source}: {rid}: {exc}")
            continue
        except Exception as exc:   # the checker kind's own code raised: report it against its plugin
            from ..plugins import PluginFailure

            kind = kinds.get(raw.get("check"))
            into.failures.append(PluginFailure(getattr(kind, "plugin_name", "?"),
                                               f"检查类型 {raw.get('check')} 准备规则 {rid}（{source}）时",
                                               f"{type(exc).__name__}: {exc}"))
            continue
        if rule.id in seen:
            into.errors.append(f"{source}: {rule.id}: 规则编号重复")
            continue
        seen.add(rule.id)
        into.rules.append(rule)
        into.states[rule.id] = state
