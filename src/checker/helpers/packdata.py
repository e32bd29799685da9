"""Where the national rule pack lives, and a pack's policy file: the data a pack gives the engine and
the outputs besides its rules (scoring weights and groups, the statutory parts' names, the words that
tell who reports, the labels of the facts table), which a province pack may extend.

This is the low-floor half (finding and reading the files, merging a chain of packs); what the
values mean is checked in ``rules/policy.py`` and used by ``document/vocabulary.py`` (the words) and
``engine/scoring.py`` (the weights).
"""
from __future__ import annotations

import functools
import os

POLICY_FILE = "policy.yaml"


def national_rules_dir() -> str:
    """The national pack: packaged copy in a wheel, else the repository's rules/national."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    packaged = os.path.join(here, "rules_data", "national")
    if os.path.isdir(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(here)), "rules", "national")


def read_policy_file(folder: str) -> dict:
    """The ``policy.yaml`` of a pack folder ({} when it has none). YamlError names file:line."""
    from .yamlio import load_yaml_file_cached

    path = os.path.join(folder, POLICY_FILE)
    if not os.path.isfile(path):
        return {}
    data = load_yaml_file_cached(path) or {}
    if not isinstance(data, dict):
        from ..errors import YamlError

        raise YamlError(f"{path}:1: policy.yaml 的顶层必须是映射")
    return data


@functools.lru_cache(maxsize=1)
def national_policy() -> dict:
    """The national pack's policy (what a document read without a rule set uses)."""
    return read_policy_file(national_rules_dir())


def merge_policy(inherited: dict, own: dict) -> dict:
    """A pack's policy on top of the one it inherits: maps are merged key by key, lists get the
    pack's own entries first (a fact label a province adds is tried before the national ones: the
    first match wins), any other value is replaced."""
    out = dict(inherited)
    for key, value in own.items():
        base = out.get(key)
        if isinstance(base, dict) and isinstance(value, dict):
            out[key] = merge_policy(base, value)
        elif isinstance(base, list) and isinstance(value, list):
            out[key] = list(value) + list(base)
        else:
            out[key] = value
    return out
