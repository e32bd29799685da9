"""A rule pack's policy, checked: the statutory parts' names, the scoring weights and the reviewer's
checklist groups, the words that tell who reports and the facts table's labels (the last two read by
``document/vocabulary.py``).

The national pack keeps it in ``rules/national/policy.yaml``; a province pack adds to it in its
``pack.yaml`` under ``policy:`` (``helpers.packdata.merge_policy``: maps merge, lists get the pack's
entries first, other values are replaced). A mistake is a configuration error naming the file.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping

from ..errors import ConfigError
from ..records import ELEMENTS, SEVERITIES

POLICY_KEYS = {"parts", "scoring", "groups", "group_by_prefix", "subjects", "facts", "not_a_report"}
PART_FIELDS = {"element", "name", "name_en", "long"}


@dataclass(frozen=True)
class Part:
    element: str
    name: str
    name_en: str = ""
    long: str = ""


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    name_en: str = ""
    part: str = "general"


@dataclass(frozen=True)
class Policy:
    parts: tuple                      # Part, in the regulation's order
    part_penalty: float
    quality_share: float
    severity_factor: Mapping
    statutory_tag: str
    groups: tuple                     # Group, in the reviewer's reading order
    group_by_prefix: Mapping
    raw: Mapping = field(default_factory=dict, compare=False, repr=False)   # the merged YAML data
    where: str = ""

    def part_name(self, element: str, lang: str = "zh") -> str:
        part = next((p for p in self.parts if p.element == element), None)
        if part is None:
            return element
        return part.name_en or part.name if lang == "en" else part.name

    def group_ids(self) -> tuple:
        return tuple(g.id for g in self.groups)

    def group(self, group_id: str):
        return next((g for g in self.groups if g.id == group_id), None)


def _number(value, what: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ConfigError(f"{where}: {what} 应是有限的非负数，而不是 {value!r}")
    return float(value)


def _parts(items, where: str) -> tuple:
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{where}: parts 应是法定内容的列表（element、name…）")
    parts = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or set(item) - PART_FIELDS or item.get("element") not in ELEMENTS \
                or not isinstance(item.get("name"), str):
            raise ConfigError(f"{where}: parts[{i}] 应是 {{element: {'/'.join(ELEMENTS)}, name: …}}")
        parts.append(Part(item["element"], item["name"], str(item.get("name_en") or ""), str(item.get("long") or "")))
    missing = set(ELEMENTS) - {p.element for p in parts}
    if missing:
        raise ConfigError(f"{where}: parts 缺少 {', '.join(sorted(missing))}")
    return tuple(parts)


def _groups(items, where: str) -> tuple:
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{where}: groups 应是检查清单分组的列表（id、name、part）")
    groups, seen = [], set()
    for i, item in enumerate(items):
        part = item.get("part", "general") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("name"), str) \
                or part not in (*ELEMENTS, "general"):
            raise ConfigError(f"{where}: groups[{i}] 应是 {{id, name, part: 法定内容或 general}}")
        if item["id"] in seen:
            continue                  # a pack's own entry comes first and wins over the inherited one
        seen.add(item["id"])
        groups.append(Group(item["id"], item["name"], str(item.get("name_en") or ""), part))
    return tuple(groups)


def parse_policy(data: dict, where: str) -> Policy:
    """The Policy of a merged policy mapping; ConfigError naming ``where`` for a mistake."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: policy 应是映射")
    unknown = set(data) - POLICY_KEYS
    if unknown:
        raise ConfigError(f"{where}: policy 的未知字段 {', '.join(sorted(map(str, unknown)))}（可用：{', '.join(sorted(POLICY_KEYS))}）")
    scoring = data.get("scoring") or {}
    if not isinstance(scoring, dict):
        raise ConfigError(f"{where}: scoring 应是映射")
    factors = scoring.get("severity_factor") or {}
    if not isinstance(factors, dict) or set(factors) != set(SEVERITIES):
        raise ConfigError(f"{where}: scoring.severity_factor 应给出 {', '.join(SEVERITIES)} 各自的系数")
    groups = _groups(data.get("groups"), where)
    by_prefix = data.get("group_by_prefix") or {}
    if not isinstance(by_prefix, dict) or any(v not in {g.id for g in groups} for v in by_prefix.values()):
        raise ConfigError(f"{where}: group_by_prefix 应把规则编号前缀对应到 groups 中的 id")
    return Policy(parts=_parts(data.get("parts"), where),
                  part_penalty=_number(scoring.get("part_penalty", 25), "scoring.part_penalty", where),
                  quality_share=_number(scoring.get("quality_share", 50), "scoring.quality_share", where),
                  severity_factor={k: _number(v, f"scoring.severity_factor.{k}", where) for k, v in factors.items()},
                  statutory_tag=str(scoring.get("statutory_tag") or "statutory"),
                  groups=groups, group_by_prefix=dict(by_prefix), raw=dict(data), where=where)
