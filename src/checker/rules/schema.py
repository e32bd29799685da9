"""The rule record and the rule-file schema (documented for users in docs/rules.md)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..errors import RuleError
from ..records import SEVERITIES, RulePack  # noqa: F401  (RulePack: the record packs are declared with)

RULE_ID_RE = re.compile(r"^[A-Z][A-Z0-9]{0,7}-[A-Z][A-Z0-9]{1,5}$")

# field -> (required, description). Unknown fields are errors.
RULE_FIELDS = {
    "id": (True, "稳定的公开编号，如 FZ-S03（前缀-编号）"),
    "title": (True, "规则名称（中文，简短）"),
    "severity": (True, "error / warning / info"),
    "check": (True, "检查类型（checker kind），如 element、existence、substitution"),
    "scope": (False, "检查范围：report（默认，正文）、title、chrome、headings 或要素名"),
    "params": (False, "检查类型的参数"),
    "message": (True, "发现问题时的说明，可含占位符 {match} {year} 等"),
    "hint": (True, "具体的修改建议"),
    "basis": (True, "法律或文件依据：[{doc, article, verified, note}]；未核实的条号写 verified: false（输出只列文件名称）"),
    "applies_to": (False, "适用的报告主体及其级别：{government: error, department: info, town: skip, …}；未列出的主体不适用"),
    "valid_from": (False, "规则适用的起始日期（YYYY-MM 或 YYYY-MM-DD），早于此日期结束的报告年度不适用"),
    "valid_until": (False, "规则适用的截止日期，晚于此日期开始的报告年度不适用"),
    "weight": (False, "计分权重（默认 error 10 / warning 4 / info 1）"),
    "when": (False, "适用条件：year_min/year_max（报告年度）、elements（须有的要素）、present/absent（范围内须出现/不得出现的正则）"),
    "rationale": (False, "为什么要检查（用于 --explain 和文档）"),
    "examples": (True, "自测样例：{fire: [...], pass: [...]}"),
    "message_en": (False, "English message (for --lang en)"),
    "hint_en": (False, "English hint (for --lang en)"),
    "title_en": (False, "English title"),
    "tags": (False, "标签列表"),
    "fix": (False, "机械修复（--fix/--diff）：替换文本，或 {错误写法: 替换文本}；只用于替换唯一确定的情形"),
}
DEFAULT_WEIGHT = {"error": 10, "warning": 4, "info": 1}


@dataclass(frozen=True)
class Example:
    text: str
    year: Optional[int] = None
    published: Optional[str] = None
    previous: Optional[str] = None     # last year's report, for rules that compare two years
    peers: tuple = ()                  # other reports of a batch, for rules that compare units


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    check: str
    scope: str
    params: dict
    message: str
    hint: str
    basis: str
    weight: float
    examples_fire: tuple
    examples_pass: tuple
    rationale: str = ""
    message_en: str = ""
    hint_en: str = ""
    title_en: str = ""
    tags: tuple = ()
    when: dict = field(default_factory=dict)
    fix: object = None        # str, or {swap pattern: text}; only kinds with ``fixable = True``
    citations: tuple = ()     # the basis as data: ({doc, article, verified, note}, ...)
    applies_to: dict = field(default_factory=dict)   # subject -> severity or "skip"; empty: every subject
    valid_from: str = ""      # ISO date (YYYY-MM-DD); empty: no limit
    valid_until: str = ""
    # The kind's typed, frozen parameters (checker.checks.params), made from ``params`` when the rule loads.
    config: object = field(default=None, compare=False, repr=False)
    source: str = ""          # "file:line"
    pack: str = ""            # the pack that defined (or last overrode) the rule

    @property
    def prefix(self) -> str:
        return self.id.split("-", 1)[0]


def weight_value(value) -> float:
    """A rule's weight: a finite, non-negative number (``.inf`` / ``.nan`` would make every score
    NaN, which is invalid JSON and passes any --min-score)."""
    import math

    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise RuleError(f"weight 必须是有限的非负数，而不是 {value!r}")
    return float(value)


def finite_params(params: dict, where: str = "params") -> None:
    """Refuse ``.inf`` / ``.nan`` anywhere in a rule's parameters (a threshold compared with NaN is
    never crossed, so the rule would silently drop its findings)."""
    import math

    stack = [(where, params)]
    while stack:
        name, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            raise RuleError(f"{name} 必须是有限的数，而不是 {value!r}")
        if isinstance(value, dict):
            stack.extend((f"{name}.{k}", v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{name}[{i}]", v) for i, v in enumerate(value))


def severity_ok(value) -> bool:
    return value in SEVERITIES
