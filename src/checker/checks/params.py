"""Typed parameters of checker kinds: declared once, validated when a rule loads, handed to ``check``.

A kind lists its parameters as ``Param`` records (name, type, default, choices, description) in a
``Parameters`` declaration. From that one declaration come:

- validation when a rule loads: an unknown, missing or wrongly typed parameter is a ``RuleError``
  naming the parameter (the loader adds the rule's ``file:line``; exit code 2),
- ``rule.config``: a frozen record with every parameter, defaults filled in, that ``prepare`` and
  ``check`` read (``rule.config.min_chars``) instead of the raw mapping,
- the kind's ``params`` (name -> description) and ``required`` of the plugin contract,
- the kinds table in docs/rules.md and the JSON Schema for rule files (``checker.rules.jsonschema``).
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..errors import RuleError
from ..records import ELEMENTS

REQUIRED = object()     # the default of a parameter a rule must give
_DATE_TEMPLATE = re.compile(r"^\{(Y|Y1|Y2)\}-(\d{2})-(\d{2})$")


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_strings(v) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


# type name -> (test of a value, what the error says it should be, JSON Schema of the value)
TYPES = {
    "text": (lambda v: isinstance(v, str), "字符串", {"type": "string"}),
    "pattern": (lambda v: isinstance(v, str) and bool(v), "非空的正则表达式字符串", {"type": "string", "minLength": 1}),
    "patterns": (lambda v: isinstance(v, str) and bool(v) or _is_strings(v), "正则表达式或正则表达式列表",
                 {"anyOf": [{"type": "string", "minLength": 1}, {"type": "array", "items": {"type": "string"}}]}),
    "texts": (_is_strings, "字符串列表", {"type": "array", "items": {"type": "string"}}),
    "integer": (lambda v: isinstance(v, int) and not isinstance(v, bool), "整数", {"type": "integer"}),
    "count": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0, "非负整数",
              {"type": "integer", "minimum": 0}),
    "number": (_is_number, "数字", {"type": "number"}),
    "share": (lambda v: _is_number(v) and 0 <= v <= 1, "0 到 1 之间的数", {"type": "number", "minimum": 0, "maximum": 1}),
    "element": (lambda v: v in ELEMENTS, f"要素名（{' / '.join(ELEMENTS)}）", {"enum": list(ELEMENTS)}),
    "elements": (lambda v: isinstance(v, list) and all(x in ELEMENTS for x in v), "要素名列表",
                 {"type": "array", "items": {"enum": list(ELEMENTS)}}),
    "date_template": (lambda v: isinstance(v, str) and bool(_DATE_TEMPLATE.match(v)),
                      "形如 \"{Y1}-03-31\" 的日期模板（Y 为报告年度，Y1 为下一年）",
                      {"type": "string", "pattern": _DATE_TEMPLATE.pattern}),
    "pattern_map": (lambda v: isinstance(v, dict) and bool(v) and all(
        isinstance(p, str) and p or _is_strings(p) for p in v.values()), "非空映射 {名称: 正则或正则列表}",
        {"type": "object", "minProperties": 1, "additionalProperties": {
            "anyOf": [{"type": "string", "minLength": 1}, {"type": "array", "items": {"type": "string"}}]}}),
    "text_map": (lambda v: isinstance(v, dict) and bool(v) and all(isinstance(x, str) for x in v.values()),
                 "非空映射 {正则: 字符串}", {"type": "object", "minProperties": 1,
                                              "additionalProperties": {"type": "string"}}),
    "groups": (lambda v: isinstance(v, list) and all(_is_strings(g) for g in v), "字符串列表的列表",
               {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}),
    "mapping": (lambda v: isinstance(v, dict), "映射", {"type": "object"}),
}


@dataclass(frozen=True)
class Param:
    """One parameter: ``type`` is a key of ``TYPES``; ``choices`` (for text) lists the allowed values."""

    name: str
    type: str
    description: str
    default: object = None
    choices: tuple = ()

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def type_name(self) -> str:
        return "choice" if self.choices else self.type

    @property
    def default_text(self) -> str:
        return "" if self.default is None or self.required else str(self.default)

    def validate(self, value):
        if self.choices:
            if value not in self.choices:
                raise RuleError(f"参数 {self.name} 必须是 {' / '.join(map(str, self.choices))} 之一，而不是 {value!r}")
            return value
        test, wanted, _ = TYPES[self.type]
        if not test(value):
            raise RuleError(f"参数 {self.name} 应是{wanted}，而不是 {value!r}（{type(value).__name__}）")
        return value

    def json_schema(self) -> dict:
        schema = {"enum": list(self.choices)} if self.choices else dict(TYPES[self.type][2])
        schema["description"] = self.description
        if not self.required and self.default is not None:
            schema["default"] = self.default
        return schema


class Parameters:
    """A kind's declaration: its ``Param`` records, and the frozen ``Config`` class they make."""

    def __init__(self, kind: str, *params: Param):
        for p in params:
            if p.type not in TYPES:
                raise ValueError(f"{kind}.{p.name}: unknown parameter type {p.type!r}")
        self.kind = kind
        self.params = params
        self.config_class = dataclasses.make_dataclass(
            f"{kind.title().replace('_', '')}Config", [(p.name, object) for p in params], frozen=True)

    def __iter__(self):
        return iter(self.params)

    @property
    def descriptions(self) -> dict:
        return {p.name: p.description for p in self.params}

    @property
    def required(self) -> tuple:
        return tuple(p.name for p in self.params if p.required)

    def parse(self, raw: dict):
        """The typed, frozen config of a rule's ``params``; RuleError naming the parameter."""
        names = {p.name for p in self.params}
        unknown = sorted(set(raw) - names, key=str)
        if unknown:
            raise RuleError(f"{self.kind} 类规则不认识参数：{', '.join(map(str, unknown))}"
                            f"（可用：{', '.join(p.name for p in self.params)}）")
        missing = [p.name for p in self.params if p.required and p.name not in raw]
        if missing:
            raise RuleError(f"{self.kind} 类规则缺少参数：{', '.join(missing)}")
        values = {p.name: p.validate(raw[p.name]) if p.name in raw else (None if p.required else p.default)
                  for p in self.params}
        return self.config_class(**values)


class DeclaredKind:
    """Base for kinds with a ``declared = Parameters(...)``: the contract's ``params`` and
    ``required`` come from the declaration, and ``prepare`` need only compile what it compiles."""

    declared: Parameters = None

    @property
    def params(self) -> dict:
        return self.declared.descriptions

    @property
    def required(self) -> tuple:
        return self.declared.required

    def prepare(self, rule):
        return None

    def companions(self, rule) -> frozenset:
        """The companion reports a rule of this kind reads (``"previous"``: the unit's report of the
        year before; ``"peers"``: the batch's other reports). Empty for a kind that reads one report."""
        return frozenset()


def companions_of(kind, rule) -> frozenset:
    """What ``kind.companions(rule)`` says (a plugin kind without the method reads one report)."""
    method = getattr(kind, "companions", None)
    return frozenset(method(rule)) if callable(method) else frozenset()


def config_of(kind, params: dict):
    """The config a rule of ``kind`` gets: typed and validated when the kind declares its
    parameters; otherwise (a plugin kind of the older contract) a frozen record of the raw values."""
    declared = getattr(kind, "declared", None)
    if isinstance(declared, Parameters):
        return declared.parse(params)
    names = [n for n in params if isinstance(n, str) and n.isidentifier()]
    return dataclasses.make_dataclass("RawConfig", names, frozen=True)(**{n: params[n] for n in names})
