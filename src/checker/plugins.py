"""The plugin manager: built-in plugins, entry points (group ``fazhi_lint``), ``--plugin`` modules.

Environment:
  FAZHI_LINT_PLUGINS            comma list: load only these entry-point plugins (allow-list; an
                                entry-point name such as ``sichuan`` or a distribution name such
                                as ``fazhi-lint-sichuan``)
  FAZHI_LINT_DISABLE_PLUGINS    comma list: never load these plugins (same names, or a module
                                given with ``--plugin``)
  FAZHI_LINT_NO_ENTRYPOINTS=1   load no entry-point plugins at all

Two kinds of trouble are kept apart:
  ``errors``    configuration problems (two kinds with one name, a broken ``pack.yaml``); the CLI
                prints them and exits 2.
  ``failures``  a plugin raised (while loading, in a hook, in a checker kind). The run goes on
                without that contribution; the engine adds one finding FZ-X01 per failure to
                every report and the CLI exits 3.
"""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field

import pluggy

from . import hookspecs
from .errors import ConfigError, ConfigurationError
from .helpers.guard import bounded, describe, env_seconds, is_foreign_exit
from .records import RulePack

BUILTIN_PLUGINS = ("checker.checks", "checker.compare.kinds", "checker.outputs", "checker.readers")
KIND_ATTRIBUTES = ("name", "params", "prepare", "check")


@dataclass(frozen=True)
class PluginFailure:
    """A plugin raised; ``where`` says in which hook or checker, ``error`` what it raised."""

    plugin: str
    where: str
    error: str

    def __str__(self) -> str:
        return f"插件 {self.plugin}：{self.where}出错：{self.error}"


@dataclass(frozen=True)
class PluginInfo:
    """What ``fazhi-lint plugins`` shows about one registered plugin."""

    name: str
    module: str
    origin: str             # "内置" | "entry point" | "--plugin"
    version: str = ""
    distribution: str = ""


def _describe_exception(exc: BaseException) -> str:
    return describe(exc)


def _hook_seconds() -> float:
    """How long one hook implementation (or one plugin import) may run: FAZHI_LINT_HOOK_TIMEOUT, 30 s."""
    return env_seconds("FAZHI_LINT_HOOK_TIMEOUT", 30.0)


def _catchable(exc: BaseException) -> bool:
    """Plugin code raised this: report it as the plugin's failure (a real Ctrl-C is not caught)."""
    return isinstance(exc, Exception) or is_foreign_exit(exc)


@dataclass
class PluginSet:
    manager: pluggy.PluginManager
    errors: list = field(default_factory=list)     # configuration problems (str)
    failures: list = field(default_factory=list)   # PluginFailure
    infos: dict = field(default_factory=dict)      # registration name -> PluginInfo
    _cache: dict = field(default_factory=dict)

    def fail(self, plugin: str, where: str, exc: BaseException) -> None:
        self.failures.append(PluginFailure(plugin, where, _describe_exception(exc)))

    # ------------------------------------------------------------------ hook results
    def kinds(self) -> dict:
        """Checker kinds by name, each tagged with the plugin that provides it."""
        if "kinds" in self._cache:
            return self._cache["kinds"]
        kinds = {}
        for plugin_name, result in self._call("fazhi_lint_checker_kinds", list):
            for kind in result:
                missing = [a for a in KIND_ATTRIBUTES if not hasattr(kind, a)]
                if missing:
                    self.failures.append(PluginFailure(
                        plugin_name, "钩子 fazhi_lint_checker_kinds ",
                        f"返回的检查类型 {kind!r} 缺少 {', '.join(missing)}"))
                    continue
                if kind.name in kinds:
                    self.errors.append(f"插件 {plugin_name}：检查类型 {kind.name!r} 与插件 "
                                       f"{kinds[kind.name].plugin_name} 的重名，已忽略")
                    continue
                kind.plugin_name = plugin_name
                kinds[kind.name] = kind
        self._cache["kinds"] = kinds
        return kinds

    def rule_packs(self) -> list:
        if "packs" in self._cache:
            return self._cache["packs"]
        packs, names = [], {}
        for plugin_name, result in self._call("fazhi_lint_rule_packs", list):
            for pack in result:
                if not isinstance(pack, RulePack):
                    self.failures.append(PluginFailure(
                        plugin_name, "钩子 fazhi_lint_rule_packs ", f"返回的 {pack!r} 不是 RulePack"))
                    continue
                if pack.name in names:
                    self.errors.append(f"插件 {plugin_name}：规则包 {pack.name!r} 与插件 {names[pack.name]} 的重名，已忽略")
                    continue
                pack.plugin = plugin_name
                names[pack.name] = plugin_name
                packs.append(pack)
        self._cache["packs"] = packs
        return packs

    def output_formats(self) -> dict:
        """Formatters by name. A built-in format cannot be replaced: a plugin that returns one of
        their names (or a name another plugin took first) is a configuration error; a value that is
        not callable is the plugin's failure."""
        if "formats" not in self._cache:
            formats, owners = {}, {}
            for plugin_name, result in self._call("fazhi_lint_output_formats", dict):
                for name, formatter in result.items():
                    if not isinstance(name, str) or not callable(formatter):
                        self.failures.append(PluginFailure(plugin_name, "钩子 fazhi_lint_output_formats ",
                                                           f"{name!r} 不是“格式名: 函数”"))
                    elif name in formats:
                        self.errors.append(f"插件 {plugin_name}：输出格式 {name!r} 已由 {owners[name]} 提供，"
                                           "不能替换，已忽略")
                    else:
                        formats[name], owners[name] = formatter, plugin_name
            self._cache["formats"] = formats
            self._cache["format_owners"] = owners
        return self._cache["formats"]

    def format_owner(self, name: str) -> str:
        self.output_formats()
        return self._cache["format_owners"].get(name, "?")

    def readers(self) -> dict:
        """``{".docx": reader, …}`` from every plugin's ``fazhi_lint_readers`` (first registered wins)."""
        if "readers" not in self._cache:
            from .readers import reader_table

            found = []
            for _, result in self._call("fazhi_lint_readers", list):
                found.extend(result)
            self._cache["readers"] = reader_table(found)
        return self._cache["readers"]

    def normalise_patterns(self) -> list:
        """Compiled deletion patterns from every plugin (a bad pattern is that plugin's failure)."""
        if "patterns" in self._cache:
            return self._cache["patterns"]
        import regex

        patterns = []
        for plugin_name, result in self._call("fazhi_lint_normalise_patterns", list):
            for source in result:
                # Compiled patterns are compiled again with ``regex`` (for its timeout); bytes
                # patterns cannot match report text.
                text = getattr(source, "pattern", source)
                try:
                    if not isinstance(text, str) or not text:
                        raise TypeError(f"{source!r:.60} 不是非空的文本正则（str）")
                    patterns.append(regex.compile(text, getattr(source, "flags", 0) & ~regex.ASCII
                                                  if not isinstance(source, str) else 0))
                except Exception as exc:
                    self.fail(plugin_name, "钩子 fazhi_lint_normalise_patterns 的正则 ", exc)
        self._cache["patterns"] = patterns
        return patterns

    def hooks_of(self, name: str) -> list:
        """Names of the hooks a registered plugin implements."""
        plugin = self.manager.get_plugin(name)
        if plugin is None:
            return []
        return sorted(caller.name for caller in self.manager.get_hookcallers(plugin) or [])

    def _call(self, hook_name: str, expected=None, **kwargs):
        """Call a hook implementation by implementation, so one failing plugin loses nothing else.

        Each call is bounded in time (``guard.bounded``: a helper thread, no signal); SystemExit or
        KeyboardInterrupt raised by the plugin is its failure like any exception. ``expected`` (list or dict): what the hook must return (None
        counts as empty); anything else is the plugin's failure.

        Registration order (built-ins first): where names clash, what was registered first wins
        and the later plugin's duplicate is the one reported."""
        hook = getattr(self.manager.hook, hook_name)
        for impl in hook.get_hookimpls():
            name = self.manager.get_name(impl.plugin) or str(impl.plugin)
            try:
                result = bounded(lambda: impl.function(**{arg: kwargs.get(arg) for arg in impl.argnames}),
                                 _hook_seconds(), f"钩子 {hook_name}")
            except ConfigurationError as exc:
                self.errors.append(f"插件 {name}：{exc}")
                continue
            except BaseException as exc:  # a plugin must never crash (or silently end) the run
                if not _catchable(exc):
                    raise
                self.fail(name, f"钩子 {hook_name} ", exc)
                continue
            if expected is not None:
                if result is None:
                    result = expected()
                elif expected is list and isinstance(result, tuple):
                    result = list(result)
                elif not isinstance(result, expected):
                    self.failures.append(PluginFailure(
                        name, f"钩子 {hook_name} ",
                        f"应返回 {expected.__name__}，却返回了 {type(result).__name__}（{result!r:.60}）"))
                    continue
            yield name, result


def _env_list(name: str) -> list:
    return [x.strip() for x in os.environ.get(name, "").split(",") if x.strip()]


def _version_of(module) -> str:
    return str(getattr(module, "__version__", "") or "")


def build_plugins(extra_modules=()) -> PluginSet:
    """Register the built-in plugins, the entry-point plugins and the ``--plugin`` modules."""
    from . import __version__

    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    plugins = PluginSet(manager)
    disabled = set(_env_list("FAZHI_LINT_DISABLE_PLUGINS"))
    for module_name in BUILTIN_PLUGINS:
        manager.register(importlib.import_module(module_name), name=module_name)
        plugins.infos[module_name] = PluginInfo(module_name, module_name, "内置", __version__, "fazhi-lint")
    if os.environ.get("FAZHI_LINT_NO_ENTRYPOINTS") != "1":
        _load_entry_points(plugins, set(_env_list("FAZHI_LINT_PLUGINS")), disabled)
    for module_name in extra_modules:
        if module_name in disabled or manager.has_plugin(module_name):
            continue
        try:
            module = bounded(lambda: importlib.import_module(module_name), _hook_seconds(), "加载插件")
            if manager.is_registered(module):      # already loaded through its entry point
                continue
            manager.register(module, name=module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):    # the named module itself does not exist
                raise ConfigError(f"--plugin {module_name}：没有这个模块（未安装或名称有误）；未检查任何报告") from None
            plugins.fail(module_name, "加载时", exc)
            continue
        except BaseException as exc:
            if not _catchable(exc):
                raise
            plugins.fail(module_name, "加载时", exc)
            continue
        plugins.infos[module_name] = PluginInfo(module_name, module_name, "--plugin", _version_of(module))
    return plugins


def _any_declares(group: str) -> bool:
    """Whether any installed distribution on ``sys.path`` declares entry points of ``group``: its
    ``*.dist-info``/``*.egg-info`` ``entry_points.txt`` names the section. A look at a few small files
    (about a millisecond); when none does, ``importlib.metadata`` (≈20 ms of imports) is not needed."""
    import os
    import sys

    section = f"[{group}]"
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(folder or ".", name, "entry_points.txt"), encoding="utf-8") as handle:
                        if section in handle.read():
                            return True
                except (OSError, UnicodeDecodeError):
                    continue
    return False


def _entry_points(group: str) -> list:
    """(entry point, distribution name, distribution version) for each installed entry point of
    ``group``, from ``importlib.metadata``; nothing is remembered between runs."""
    if not _any_declares(group):
        return []
    from importlib.metadata import entry_points

    try:
        found = entry_points(group=group)
    except TypeError:                                   # Python 3.9: a dict of groups
        found = entry_points().get(group, ())
    out = []
    for ep in found:
        dist = getattr(ep, "dist", None)                # Python 3.10+
        out.append((ep, dist.metadata["Name"] or "" if dist is not None else "",
                    dist.version or "" if dist is not None else ""))
    return out


def _load_entry_points(plugins: PluginSet, allow: set, disabled: set) -> None:
    for ep, dist_name, dist_version in _entry_points(hookspecs.PROJECT):
        names = {ep.name, dist_name} - {""}
        if names & disabled or (allow and not names & allow):
            continue
        if plugins.manager.has_plugin(ep.name):
            continue
        try:
            module = bounded(ep.load, _hook_seconds(), "加载插件")
            plugins.manager.register(module, name=ep.name)
        except BaseException as exc:
            if not _catchable(exc):
                raise
            plugins.fail(ep.name, "加载时", exc)
            continue
        version = dist_version or _version_of(module)
        plugins.infos[ep.name] = PluginInfo(ep.name, ep.value, "entry point", version, dist_name)
