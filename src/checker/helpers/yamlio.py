"""Safe YAML loading with line numbers, shared by the rule loader and the document lexicon.

Only ``yaml.safe_load``-equivalent loaders are used (the C ``CSafeLoader`` when available).
Errors carry ``file:line`` so a user can jump to the broken spot.
"""
from __future__ import annotations

import functools
import re

from ..errors import YamlError


def _yaml():
    """(yaml, loader class). Imported on first use: a run whose YAML files are all in the parse
    cache never imports PyYAML (≈20 ms)."""
    import yaml

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml_text(text: str, path: str = "<string>"):
    yaml, loader = _yaml()
    try:
        return yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or exc.context or "YAML 语法错误"
        raise YamlError(f"{path}:{line}: YAML 语法错误：{problem}") from None
    except yaml.YAMLError as exc:
        raise YamlError(f"{path}:0: YAML 错误：{exc}") from None
    except RecursionError:
        raise YamlError(f"{path}:0: YAML 嵌套过深") from None
    except (ValueError, TypeError, OverflowError) as exc:     # a scalar that fails to construct (2024-02-30)
        raise YamlError(f"{path}:{_bad_date_line(text)}: YAML 中的值无效：{exc}") from None


_DATE_LIKE = re.compile(r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")


def _bad_date_line(text: str) -> int:
    """The line of the first date-like scalar that is not a real date (YAML reads 2024-02-30 as a
    date and fails without a position); 0 when there is none."""
    import datetime

    for number, line in enumerate(text.splitlines(), 1):
        for m in _DATE_LIKE.finditer(line):
            try:
                datetime.date(*map(int, m.groups()))
            except ValueError:
                return number
    return 0


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
    yaml, loader = _yaml()
    try:
        root = yaml.compose(text, Loader=loader)
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

    The parse is kept in the user cache (``helpers/cache.py``, folder ``rules``) keyed on the
    file's bytes, fazhi-lint's version and PyYAML's version and loader: an edited file is parsed
    again whatever its modification time says. FAZHI_LINT_NO_CACHE=1 turns it off.
    """
    data, lines = _cached_parse(path, "rules", lambda text: (load_yaml_text(text, path), rule_line_numbers(text)),
                                "无法读取规则文件")
    return data, list(lines)


def load_yaml_file_cached(path: str):
    """``load_yaml_file`` through the same parse cache (for the lexicons shipped with the package)."""
    return _cached_parse(path, "data", lambda text: load_yaml_text(text, path), "无法读取")


# Marshal holds plain values only; YAML also gives dates (valid_from: 2021-08-01). In the parse cache a
# date or datetime is a tagged tuple, which YAML itself never produces (sequences load as lists).
_DATE_TAG, _DATETIME_TAG = "\0date", "\0datetime"
_PARSE_CACHE_FORMAT = "3"      # part of the key: entries of an older layout are never read back


@functools.lru_cache(maxsize=1)
def parser_identity() -> tuple:
    """(PyYAML's version, the loader used), found without importing PyYAML (≈10 ms of a run whose
    rule files are all in the cache): the version from ``yaml/__init__.py``, and ``CSafeLoader``
    when PyYAML's C extension is installed beside it (what :func:`_yaml` picks), else ``SafeLoader``."""
    import importlib.machinery
    import importlib.util
    import os

    from .cache import installed_version

    version, loader = "?", "SafeLoader"
    try:
        spec = importlib.util.find_spec("yaml")
        version = installed_version(spec.origin)
        suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
        if any(n.startswith("_yaml.") and n.endswith(suffixes) for n in os.listdir(os.path.dirname(spec.origin))):
            loader = "CSafeLoader"
    except (AttributeError, ImportError, OSError, TypeError, ValueError):
        pass
    return version, loader


def _to_plain(value):
    import datetime

    if isinstance(value, datetime.datetime):
        return (_DATETIME_TAG, value.isoformat())
    if isinstance(value, datetime.date):
        return (_DATE_TAG, value.isoformat())
    if isinstance(value, dict):
        return {_to_plain(k): _to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_plain(v) for v in value)
    return value


def _from_plain(value):
    import datetime

    if isinstance(value, tuple):
        if len(value) == 2 and value[0] == _DATE_TAG:
            return datetime.date.fromisoformat(value[1])
        if len(value) == 2 and value[0] == _DATETIME_TAG:
            return datetime.datetime.fromisoformat(value[1])
        return tuple(_from_plain(v) for v in value)
    if isinstance(value, dict):
        return {_from_plain(k): _from_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_plain(v) for v in value]
    return value


def _cached_parse(path: str, shape: str, parse, unreadable: str):
    """``parse(text)`` of the file, or the remembered result for the same bytes (and the same
    fazhi-lint, PyYAML and loader). An entry is ``(has_dates, value)``: only a file with dates pays
    for turning the tagged tuples back."""
    import marshal

    from .. import __version__
    from . import cache

    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlError(f"{path}:0: {unreadable}：{exc}") from None
    key = ("yaml-parse", _PARSE_CACHE_FORMAT, shape, __version__, *parser_identity(), marshal.version, raw)
    entry = cache.read("rules", *key)
    if type(entry) is tuple and len(entry) == 2:
        has_dates, value = entry
        return _from_plain(value) if has_dates else value
    parsed = parse(text)
    if cache.root() is not None:
        has_dates = not cache.plain(parsed)          # dates (or a value marshal cannot hold at all)
        value = _to_plain(parsed) if has_dates else parsed
        if cache.plain(value):
            cache.write("rules", (has_dates, value), *key)
    return parsed
