"""The plugin manager: built-in plugins, entry points (group ``fazhi_lint``), ``--plugin`` modules.

Environment:
  FAZHI_LINT_PLUGINS            comma list: load only these entry-point plugins (allow-list)
  FAZHI_LINT_DISABLE_PLUGINS    comma list: never load these plugins
  FAZHI_LINT_NO_ENTRYPOINTS=1   load no entry-point plugins at all
A plugin that fails to import or register is reported and left out; the run goes on.
"""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field

import pluggy

from . import hookspecs

BUILTIN_PLUGINS = ("checker.checks", "checker.outputs")


@dataclass
class PluginSet:
    manager: pluggy.PluginManager
    errors: list = field(default_factory=list)     # "plugin NAME: what went wrong"

    def kinds(self) -> dict:
        """Checker kinds by name, each tagged with the plugin that provides it."""
        kinds = {}
        for plugin_name, result in self._call("fazhi_lint_checker_kinds"):
            for kind in result or []:
                if kind.name in kinds:
                    self.errors.append(f"插件 {plugin_name}：检查类型 {kind.name!r} 与已有的重名，已忽略")
                    continue
                kind.plugin_name = plugin_name
                kinds[kind.name] = kind
        return kinds

    def rule_packs(self) -> list:
        packs = []
        for plugin_name, result in self._call("fazhi_lint_rule_packs"):
            for pack in result or []:
                pack.plugin = plugin_name
                packs.append(pack)
        return packs

    def output_formats(self) -> dict:
        formats = {}
        for _, result in self._call("fazhi_lint_output_formats"):
            formats.update(result or {})
        return formats

    def normalise_patterns(self) -> list:
        patterns = []
        for _, result in self._call("fazhi_lint_normalise_patterns"):
            patterns.extend(result or [])
        return patterns

    def _call(self, hook_name: str):
        """Call a hook implementation by implementation, so one failing plugin loses nothing else."""
        hook = getattr(self.manager.hook, hook_name)
        for impl in reversed(hook.get_hookimpls()):
            name = self.manager.get_name(impl.plugin) or str(impl.plugin)
            try:
                yield name, impl.function()
            except Exception as exc:  # a plugin must never crash the run
                self.errors.append(f"插件 {name}：钩子 {hook_name} 出错：{type(exc).__name__}: {exc}")


def _env_list(name: str) -> list:
    return [x.strip() for x in os.environ.get(name, "").split(",") if x.strip()]


def build_plugins(extra_modules=()) -> PluginSet:
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    plugins = PluginSet(manager)
    disabled = set(_env_list("FAZHI_LINT_DISABLE_PLUGINS"))
    for module_name in BUILTIN_PLUGINS:
        manager.register(importlib.import_module(module_name), name=module_name)
    if os.environ.get("FAZHI_LINT_NO_ENTRYPOINTS") != "1":
        _load_entry_points(plugins, set(_env_list("FAZHI_LINT_PLUGINS")), disabled)
    for module_name in extra_modules:
        if module_name in disabled:
            continue
        try:
            module = importlib.import_module(module_name)
            manager.register(module, name=module_name)
        except Exception as exc:
            plugins.errors.append(f"插件 {module_name}：无法加载：{type(exc).__name__}: {exc}")
    return plugins


def _load_entry_points(plugins: PluginSet, allow: set, disabled: set) -> None:
    from importlib.metadata import entry_points

    for ep in entry_points(group=hookspecs.PROJECT):
        if ep.name in disabled or (allow and ep.name not in allow):
            continue
        if plugins.manager.has_plugin(ep.name):
            continue
        try:
            plugins.manager.register(ep.load(), name=ep.name)
        except Exception as exc:
            plugins.errors.append(f"插件 {ep.name}：无法加载：{type(exc).__name__}: {exc}")
