"""Safe YAML loading with line numbers, shared by the rule loader and the document lexicon.

Only ``yaml.safe_load``-equivalent loaders are used (the C ``CSafeLoader`` when available).
Errors carry ``file:line`` so a user can jump to the broken spot.
"""
from __future__ import annotations

import yaml

from ..errors import YamlError

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader


def load_yaml_text(text: str, path: str = "<string>"):
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or exc.context or "YAML 语法错误"
        raise YamlError(f"{path}:{line}: YAML 语法错误：{problem}") from None
    except yaml.YAMLError as exc:
        raise YamlError(f"{path}:0: YAML 错误：{exc}") from None


def load_yaml_file(path: str):
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlError(f"{path}:0: 无法读取：{exc}") from None
    return load_yaml_text(text, path)


def rule_line_numbers(text: str) -> list:
    """Return the 1-based line of each item of the top-level ``rules:`` list, in order.

    Uses the composed node tree so that line numbers survive anchors, comments and flow style.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return []
    if root is None or not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "rules" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def load_rules_yaml(path: str) -> tuple:
    """(data, line of each ``rules:`` item) for a rule file; ``file:line`` YamlError when broken.

    The parse is remembered in the user's cache folder as ``marshal`` data (plain values only, no
    code), keyed on a hash of the file's content: an edited file is parsed again whatever its
    modification time says. FAZHI_LINT_NO_CACHE=1 turns it off.
    """
    import marshal
    import os

    from .cache import cache_dir, digest, write_atomic

    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlError(f"{path}:0: 无法读取规则文件：{exc}") from None
    folder = cache_dir("parsed-yaml")
    cache = os.path.join(folder, digest(marshal.version, raw)) if folder else None
    if cache:
        try:
            with open(cache, "rb") as handle:
                data, lines = marshal.load(handle)
            return data, list(lines)
        except (OSError, EOFError, ValueError, TypeError):
            pass
    data = load_yaml_text(text, path)
    lines = rule_line_numbers(text)
    if cache:
        try:
            blob = marshal.dumps((data, lines))      # ValueError for values marshal cannot hold (dates)
        except ValueError:
            return data, lines
        write_atomic(cache, blob)
    return data, lines
