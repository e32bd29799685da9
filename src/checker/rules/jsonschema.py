"""What the parameter declarations of the checker kinds generate for people and editors: the JSON
Schema of a rule file (``docs/rules.schema.json``, for an editor to complete and check a province's
YAML) and the kinds section of docs/rules.md. Both are written by ``python -m checker.rules.docgen``
and checked by the tests, so they cannot drift from the code.
"""
from __future__ import annotations

import inspect

from ..checks.base import SCOPES
from ..records import ELEMENTS, SEVERITIES
from .loader import WHEN_KEYS
from .schema import RULE_FIELDS, RULE_ID_RE

_TEXT = {"type": "string", "minLength": 1}
_PATTERNS = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
_EXAMPLE = {"anyOf": [{"type": "string"}, {"type": "object", "required": ["text"],
                                            "properties": {"text": {"type": "string"}}}]}

# The shape of a rule's own fields (``params`` is per kind; a field not listed here is any value).
FIELD_SCHEMAS = {
    "id": {"type": "string", "pattern": RULE_ID_RE.pattern},
    "title": _TEXT, "message": _TEXT, "hint": _TEXT, "rationale": {"type": "string"},
    "message_en": {"type": "string"}, "hint_en": {"type": "string"}, "title_en": {"type": "string"},
    "severity": {"enum": list(SEVERITIES)},
    "scope": {"enum": list(SCOPES)},
    "weight": {"type": "number", "minimum": 0},
    "basis": {"anyOf": [_TEXT, {"type": "array", "minItems": 1, "items": {"type": "object"}}]},
    "applies_to": {"type": "object"},
    "when": {"type": "object", "additionalProperties": False, "properties": {
        "year_min": {"type": "integer"}, "year_max": {"type": "integer"},
        "elements": {"type": "array", "items": {"enum": list(ELEMENTS)}},
        "present": _PATTERNS, "absent": _PATTERNS}},
    "examples": {"type": "object", "required": ["fire", "pass"], "additionalProperties": False, "properties": {
        "fire": {"type": "array", "minItems": 1, "items": _EXAMPLE},
        "pass": {"type": "array", "minItems": 1, "items": _EXAMPLE}}},
    "tags": {"type": "array", "items": {"type": "string"}},
    "fix": {"anyOf": [_TEXT, {"type": "object", "additionalProperties": {"type": "string"}}]},
}


def _declared(kind):
    from ..checks.params import Parameters

    declared = getattr(kind, "declared", None)
    return declared if isinstance(declared, Parameters) else None


def params_schema(kind) -> dict:
    """The JSON Schema of one kind's ``params`` (any mapping for a kind without a declaration)."""
    declared = _declared(kind)
    if declared is None:
        return {"type": "object", "properties": {n: {"description": d} for n, d in (kind.params or {}).items()}}
    schema = {"type": "object", "additionalProperties": False,
              "properties": {p.name: p.json_schema() for p in declared}}
    if declared.required:
        schema["required"] = list(declared.required)
    return schema


def rule_file_schema(kinds: dict) -> dict:
    """The JSON Schema of a rule file for the given checker kinds (name -> kind)."""
    names = sorted(kinds)
    rule = {"type": "object", "additionalProperties": False,
            "required": [k for k, (required, _) in RULE_FIELDS.items() if required],
            "properties": {k: {**FIELD_SCHEMAS.get(k, {}), "description": text}
                           for k, (_, text) in RULE_FIELDS.items()},
            "allOf": [{"if": {"properties": {"check": {"const": name}}, "required": ["check"]},
                       "then": {"properties": {"params": params_schema(kinds[name])}}} for name in names]}
    rule["properties"]["check"] = {"enum": names, "description": RULE_FIELDS["check"][1]}
    assert WHEN_KEYS == set(FIELD_SCHEMAS["when"]["properties"]), "when keys changed: update FIELD_SCHEMAS"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "fazhi-lint rule file", "type": "object", "required": ["rules"],
            "properties": {"rules": {"type": "array", "items": rule},
                           "pack": {"type": "string"}, "description": {"type": "string"}},
            "patternProperties": {"^x-": {}}, "additionalProperties": False}


def kinds_markdown(kinds: dict) -> str:
    """The kinds section of docs/rules.md: each kind's docstring and its parameter table."""
    out = []
    for name in sorted(kinds):
        kind = kinds[name]
        out += [f"### `{name}`", "", " ".join((inspect.getdoc(type(kind)) or "").split()), ""]
        declared = _declared(kind)
        rows = ([(p.name, p.type_name, "必填" if p.required else p.default_text or "—",
                  " / ".join(map(str, p.choices)), p.description) for p in declared] if declared else
                [(n, "", "", "", d) for n, d in (kind.params or {}).items()])
        if rows:
            out += ["| 参数 | 类型 | 默认 | 可选值 | 说明 |", "|---|---|---|---|---|"]
            out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in (f"`{r[0]}`",) + r[1:]) + " |"
                    for r in rows]
        else:
            out.append("（没有参数）")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
