"""Project configuration: ``.fazhi-lint.yaml`` or ``[tool.fazhi-lint]`` in ``pyproject.toml``.

The file is looked for from the folder of the checked path(s) upward; the first folder that has
one wins (in a folder with both, ``.fazhi-lint.yaml`` wins). ``--config FILE`` names one,
``--no-config`` uses none. Command-line options replace the value of the same key. Paths in a
config file (``suppressions``, ``baseline``, ``format`` targets, ``per-file-ignores`` globs) are
relative to the folder of that file. An unknown key or a value of the wrong type is an error that
names the key (exit code 2).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..errors import ConfigError, YamlError
from ..helpers.yamlio import load_yaml_file
from ..rules.selection import parse_ids
from ..inputs import start_folder
from ..waivers.gate import FAIL_ON


def _toml():
    """tomllib (tomli before Python 3.11), imported only when a pyproject.toml is read."""
    try:  # Python 3.11+
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - older Pythons get the tomli backport
        import tomli as tomllib
    return tomllib


YAML_NAMES = (".fazhi-lint.yaml", ".fazhi-lint.yml")
PYPROJECT = "pyproject.toml"
TOOL_TABLE = "fazhi-lint"

# key -> (default, description). The README's "Configuration" table lists the same keys.
KEYS = {
    "select": ((), "只运行这些规则（编号或前缀）"),
    "ignore": ((), "不运行这些规则（编号或前缀；最长前缀优先）"),
    "per-file-ignores": ({}, "按文件忽略规则：{glob: [编号或前缀, ...]}"),
    "province": ("national", "规则包"),
    "fail-on": ("error", "达到该级别的问题使退出码为 1：error / warning / info / never"),
    "min-score": (None, "得分低于此值时退出码为 1"),
    "format": (("text",), "输出格式列表，如 [text, \"junit:report.xml\"]"),
    "thresholds": ({}, "规则参数覆盖：{FZ-C02: {max: 20}}"),
    "suppressions": (None, "抑制文件路径（默认向上查找 fazhi-lint-suppressions.yaml）"),
    "baseline": (None, "基线文件路径（只报告基线中没有的问题）"),
    "subject": (None, "报告主体（覆盖自动识别）：government 县级以上人民政府 / department 政府部门 / town 乡镇·街道 / zone 开发区·园区 / other"),
}


@dataclass
class Settings:
    """The effective settings of one run, and where each value came from."""

    values: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    path: str = None                 # the config file used, if any
    root: str = "."                  # folder that relative paths and globs are resolved against

    def __getitem__(self, key):
        return self.values[key]


def find_config(start: str):
    """The first config file from ``start`` (a folder) upward, or None."""
    folder = os.path.abspath(start)
    while True:
        for name in YAML_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
        candidate = os.path.join(folder, PYPROJECT)
        if os.path.isfile(candidate) and _has_tool_table(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_tool_table(path: str) -> bool:
    tomllib = _toml()
    try:
        with open(path, "rb") as handle:
            return TOOL_TABLE in tomllib.load(handle).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return False        # not ours to judge: a broken pyproject.toml without our table is ignored


def read_config(path: str) -> dict:
    """Read and validate one config file; return its keys (validated values)."""
    if os.path.basename(path) == PYPROJECT or path.endswith(".toml"):
        tomllib = _toml()
        try:
            with open(path, "rb") as handle:
                data = tomllib.load(handle)
        except OSError as exc:
            raise ConfigError(f"{path}: 无法读取：{exc}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
            raise ConfigError(f"{path}: TOML 语法错误：{exc}") from None
        raw = data.get("tool", {}).get(TOOL_TABLE, {})
        where = f"{path} [tool.{TOOL_TABLE}]"
    else:
        try:
            raw = load_yaml_file(path)
        except YamlError as exc:
            raise ConfigError(str(exc)) from None
        where = path
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: 配置应是“键: 值”的映射")
    for key in raw:
        if not isinstance(key, str):
            raise ConfigError(f"{where}: 配置项的名字应是字符串，而不是 {key!r}")
    return {key: validate(key, value, where) for key, value in raw.items()}


def validate(key: str, value, where: str = "命令行"):
    """Check one setting's type; return the value in its canonical form."""
    if key not in KEYS:
        close = key.replace("_", "-")
        hint = f"（是否想写 {close}？）" if close in KEYS else f"（可用：{', '.join(KEYS)}）"
        raise ConfigError(f"{where}: 未知的配置项 {key!r}{hint}")
    if key in ("select", "ignore"):
        return parse_ids(value, f"{where}: {key}")
    if key == "per-file-ignores":
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: per-file-ignores 应是 {{glob: [规则编号或前缀]}} 的映射")
        if not all(isinstance(glob, str) for glob in value):
            raise ConfigError(f"{where}: per-file-ignores 的键应是 glob 字符串")
        return {glob: parse_ids(ids, f"{where}: per-file-ignores[{glob}]") for glob, ids in value.items()}
    if key in ("province", "suppressions", "baseline"):
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: {key} 应是非空字符串")
        return value.strip()
    if key == "subject":
        from ..rules.applicability import SUBJECTS

        if not isinstance(value, str) or value not in SUBJECTS:
            raise ConfigError(f"{where}: subject 应是 {' / '.join(SUBJECTS)}，而不是 {value!r}")
        return value
    if key == "fail-on":
        if not isinstance(value, str) or value not in FAIL_ON:
            raise ConfigError(f"{where}: fail-on 应是 {' / '.join(FAIL_ON)}，而不是 {value!r}")
        return value
    if key == "min-score":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            raise ConfigError(f"{where}: min-score 应是 0 到 100 之间的数，而不是 {value!r}")
        return float(value)
    if key == "format":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)) or not items or not all(isinstance(v, str) and v for v in items):
            raise ConfigError(f"{where}: format 应是格式名（或“格式:文件”）的列表")
        return tuple(items)
    if key == "thresholds":
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, dict) and v
                                                  and all(isinstance(p, str) for p in v)
                                                  for k, v in value.items()):
            raise ConfigError(f"{where}: thresholds 应是 {{规则编号: {{参数: 值}}}} 的映射")
        return {str(rule): dict(params) for rule, params in value.items()}
    raise AssertionError(key)  # pragma: no cover - every key is handled above


def load_settings(paths, cli_values: dict, config_path=None, use_config=True) -> Settings:
    """Defaults, then the config file, then the command line (keys whose value is not None)."""
    settings = Settings()
    for key, (default, _) in KEYS.items():
        settings.values[key] = default
        settings.sources[key] = "默认值"
    if use_config:
        if config_path is None:
            config_path = find_config(start_folder(paths))
        elif not os.path.isfile(config_path):
            raise ConfigError(f"{config_path}: 配置文件不存在")
    else:
        config_path = None
    settings.root = os.getcwd()
    if config_path:
        settings.path = os.path.abspath(config_path)
        settings.root = os.path.dirname(settings.path)
        label = os.path.relpath(settings.path) + (f" [tool.{TOOL_TABLE}]" if config_path.endswith(".toml") else "")
        for key, value in read_config(config_path).items():
            settings.values[key] = _resolve(key, value, settings.root)
            settings.sources[key] = label
    for key, (value, option) in cli_values.items():
        if value is None:
            continue
        settings.values[key] = validate(key, value, f"命令行 {option}")
        settings.sources[key] = f"命令行 {option}"
    return settings


def _resolve(key: str, value, root: str):
    """Make the paths in a config file relative to that file's folder."""
    if key in ("suppressions", "baseline"):
        return os.path.join(root, value)
    if key == "format":
        from ..outputs.targets import split_target

        resolved = []
        for spec in value:
            name, target = split_target(spec)
            if target:
                full = os.path.normpath(os.path.join(root, target))
                if os.path.isabs(target) or os.path.commonpath([full, os.path.normpath(root)]) != os.path.normpath(root):
                    raise ConfigError(f"format 的输出文件 {target!r} 在配置文件所在目录 {root} 之外；配置文件只能把输出写进"
                                      "项目目录（要写到别处，请在命令行用 --format 或 -o 指定）")
                spec = f"{name}:{full}"
            resolved.append(spec)
        return tuple(resolved)
    return value


def describe(settings: Settings) -> str:
    """``--show-config``: every key, its effective value and where the value came from."""
    import json

    lines = [f"# 配置文件：{settings.path or '（未找到，使用默认值和命令行）'}"]
    width = max(len(k) for k in KEYS)
    for key in KEYS:
        value = settings.values[key]
        if isinstance(value, tuple):
            value = list(value)
        lines.append(f"{key.ljust(width)} = {json.dumps(value, ensure_ascii=False)}    # {settings.sources[key]}")
    return "\n".join(lines) + "\n"
