"""``pack.yaml``: declare a rule pack in the folder that holds its rules.

A province pack is then a folder of YAML plus a plugin module of five lines::

    from checker import hookimpl
    from checker.rules.manifest import pack_from_folder

    @hookimpl
    def fazhi_lint_rule_packs():
        return [pack_from_folder(__file__, "rules")]

``pack.yaml`` keys: ``name`` (required), ``extends`` (usually ``national``), ``description``,
``version``, ``disable`` (list of rule ids), ``override`` (rule id -> fields to change), ``policy``
(additions to the inherited policy: a subject word, a fact label, a scoring weight; rules/policy.py).
A mistake in the file raises :class:`checker.plugins.ConfigurationError` with ``file:line``.
"""
from __future__ import annotations

import os

import yaml

from ..errors import ConfigurationError, YamlError
from ..helpers.yamlio import load_yaml_text
from .schema import RULE_ID_RE, RulePack

MANIFEST = "pack.yaml"
MANIFEST_KEYS = {"name", "extends", "description", "version", "disable", "override", "policy"}


def _key_lines(text: str, path: str) -> dict:
    """``file:line`` of each ``disable`` item and each ``override`` key, by rule id."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        if key.value == "disable" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                lines[str(item.value)] = f"{path}:{item.start_mark.line + 1}"
        if key.value == "override" and isinstance(value, yaml.MappingNode):
            for item_key, _ in value.value:
                lines[str(item_key.value)] = f"{path}:{item_key.start_mark.line + 1}"
    return lines


def _rule_ids(value, what: str, path: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and RULE_ID_RE.match(v) for v in value):
        raise ConfigurationError(f"{path}:1: {what} 必须是规则编号列表（如 [FZ-C01]）")
    return value


def read_manifest(folder: str) -> RulePack:
    """Read ``folder/pack.yaml`` into a RulePack whose rule files are the folder's YAML files."""
    folder = os.path.abspath(folder)
    path = os.path.join(folder, MANIFEST)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        data = load_yaml_text(text, path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{path}:0: 无法读取规则包声明：{exc}") from None
    except YamlError as exc:
        raise ConfigurationError(str(exc)) from None
    if not isinstance(data, dict):
        raise ConfigurationError(f"{path}:1: pack.yaml 的顶层必须是映射（name: …）")
    unknown = set(data) - MANIFEST_KEYS
    if unknown:
        raise ConfigurationError(f"{path}:1: pack.yaml 的未知字段：{', '.join(sorted(map(str, unknown)))}；"
                                 f"可用：{', '.join(sorted(MANIFEST_KEYS))}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigurationError(f"{path}:1: pack.yaml 必须有 name（规则包名称，如 sichuan）")
    extends = data.get("extends")
    if extends is not None and not isinstance(extends, str):
        raise ConfigurationError(f"{path}:1: extends 必须是规则包名称（如 national）")
    override = data.get("override") or {}
    if not isinstance(override, dict) or not all(isinstance(v, dict) for v in override.values()):
        raise ConfigurationError(f"{path}:1: override 必须是 {{规则编号: {{要改的字段: 新值}}}}")
    policy = data.get("policy") or {}
    if not isinstance(policy, dict):
        raise ConfigurationError(f"{path}:1: policy 必须是映射（如 {{subjects: {{zone_words: [综合试验区]}}}}）")
    return RulePack(
        name=name.strip(), paths=[folder], extends=extends, policy=policy, policy_source=path,
        disable=_rule_ids(data.get("disable"), "disable", path), override=override,
        description=str(data.get("description") or ""), version=str(data.get("version") or ""),
        origin=path, lines=_key_lines(text, path),
    )


def pack_from_folder(anchor: str, *parts: str) -> RulePack:
    """The pack declared in ``pack.yaml`` of a folder given relative to a module file
    (``pack_from_folder(__file__, "rules")``) or as a plain folder path."""
    base = os.path.dirname(os.path.abspath(anchor)) if os.path.isfile(anchor) else anchor
    return read_manifest(os.path.join(base, *parts))
