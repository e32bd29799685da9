"""``fazhi-lint test-rules PATH...``: run every rule's own examples and check the plugin contract.

A PATH is either a folder (or file) of YAML rules, tested against the installed checker kinds,
or a plugin project (a folder with ``pyproject.toml`` declaring an entry point in the group
``fazhi_lint``): its module is imported from the folder, and every pack it declares is resolved
on top of the packs it extends, so broken ``disable``/``override`` entries fail too.

A test fails when a rule file does not load (a rule lacking ``basis``, ``message`` or
``examples`` does not load), when an example does not behave as labelled, when a plugin raises,
or when a hook is undocumented (a spec without docstring or ``versionadded``, or a plugin
implementing a hook that is not in ``checker.hookspecs``).
"""
from __future__ import annotations

import inspect
import os
import sys
from dataclasses import dataclass, field

from .. import hookspecs


@dataclass
class Report:
    lines: list = field(default_factory=list)
    passed: int = 0
    failed: int = 0
    problems: int = 0      # failures that are not one rule's (load errors, plugins, hooks)

    def ok(self) -> bool:
        return self.failed == 0 and self.problems == 0

    def problem(self, text: str) -> None:
        self.problems += 1
        self.lines.append(f"  ✗ {text}")


def _rel(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _read_toml(path: str):
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            return None
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def plugin_modules_of(project: str) -> list:
    """Module names a plugin project registers in the ``fazhi_lint`` entry-point group; the
    project's ``src/`` (or the folder itself) is put first on ``sys.path`` so they import from it."""
    data = _read_toml(os.path.join(project, "pyproject.toml"))
    if data is None:
        raise ValueError("读取 pyproject.toml 需要 Python 3.11+ 或 tomli 包")
    group = (data.get("project", {}).get("entry-points", {}) or {}).get(hookspecs.PROJECT, {})
    if not group:
        raise ValueError(f"pyproject.toml 没有声明入口点组 [project.entry-points.{hookspecs.PROJECT}]")
    src = os.path.join(project, "src")
    root = os.path.abspath(src if os.path.isdir(src) else project)
    if root not in sys.path:
        sys.path.insert(0, root)
    return [value.split(":", 1)[0].strip() for value in group.values()]


def undocumented_hooks() -> list:
    """Hook specifications without a docstring or a ``versionadded`` note."""
    out = []
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction):
        if not name.startswith("fazhi_lint_"):
            continue
        doc = inspect.getdoc(function) or ""
        if not doc.strip():
            out.append(f"钩子 {name} 没有说明文档")
        elif "versionadded" not in doc:
            out.append(f"钩子 {name} 的说明缺少 versionadded")
    return out


def _check_contract(plugins, report: Report) -> None:
    problems = undocumented_hooks()
    try:
        plugins.manager.check_pending()
    except Exception as exc:   # pluggy.PluginValidationError: a hook implementation with no spec
        problems.append(f"插件实现了未在 checker.hookspecs 中说明的钩子：{exc}")
    for kind in plugins.kinds().values():
        if not (inspect.getdoc(type(kind)) or "").strip():
            problems.append(f"插件 {kind.plugin_name} 的检查类型 {kind.name} 没有说明文档（类的 docstring）")
        if not isinstance(kind.params, dict) or not all(isinstance(v, str) and v.strip() for v in kind.params.values()):
            problems.append(f"插件 {kind.plugin_name} 的检查类型 {kind.name} 的 params 必须是 {{参数: 中文说明}}")
    report.lines.append("插件契约")
    for text in problems:
        report.problem(text)
    for failure in plugins.failures:
        report.problem(str(failure))
    if not problems and not plugins.failures:
        spec_count = len([n for n in dir(hookspecs) if n.startswith("fazhi_lint_")])
        report.lines.append(f"  ✓ {spec_count} 个钩子都有说明和 versionadded；{len(plugins.kinds())} 个检查类型都有说明")


def _test_rules(rules, states, kinds, delete_patterns, report: Report, examples_from=None, vocabulary=None) -> None:
    """Run each rule's examples. A rule a pack overrode without new examples is tested as the
    loader verifies it: the definition before the override against its own examples
    (``RuleSet.examples_from``), since those examples were written for its thresholds."""
    from .selftest import run_examples

    for rule in rules:
        example_rule, example_state = (examples_from or {}).get(rule.id, (rule, states[rule.id]))
        failures = run_examples(example_rule, example_state, kinds[rule.check], delete_patterns, vocabulary)
        counts = f"（fire {len(example_rule.examples_fire)}，pass {len(example_rule.examples_pass)}"
        counts += "，样例来自覆盖前的定义）" if example_rule is not rule else "）"
        if failures:
            report.failed += 1
            report.lines.append(f"  ✗ {rule.id} {rule.title} {counts}")
            report.lines.extend(f"      {_rel(f.source.rsplit(':', 1)[0])}:{f.source.rsplit(':', 1)[-1]}: "
                                f"样例 {f.which} {f.problem}" for f in failures)
        else:
            report.passed += 1
            report.lines.append(f"  ✓ {rule.id} {rule.title} {counts}")


def _test_folder(path: str, plugins, report: Report) -> None:
    from .loader import LoadedRules, load_rule_file, rule_files

    report.lines.append(f"{_rel(path)}")
    files = rule_files(path)
    if not files:
        report.problem(f"{_rel(path)}: 没有找到规则文件（*.yaml）")
        return
    loaded = LoadedRules(failures=plugins.failures)
    kinds = plugins.kinds()
    for file in files:
        load_rule_file(file, kinds, os.path.basename(os.path.dirname(file)) or "local", loaded)
    for error in loaded.errors:
        report.problem(error)
    _test_rules(loaded.rules, loaded.states, kinds, plugins.normalise_patterns(), report)


def _test_pack(pack, plugins, report: Report) -> None:
    from .packs import load_ruleset

    ruleset = load_ruleset(plugins, pack.name)
    report.lines.append(f"  规则包 {pack.name}（{' → '.join(ruleset.chain)}）")
    for error in ruleset.errors:
        report.problem(error)
    own = [r for r in ruleset.rules
           if ruleset.provenance[r.id].pack == pack.name
           or any(c.pack == pack.name for c in ruleset.provenance[r.id].changes)]
    if not own:
        report.problem(f"规则包 {pack.name} 没有新增或覆盖任何规则")
    _test_rules(own, ruleset.states, ruleset.kinds, ruleset.delete_patterns, report, ruleset.examples_from,
                ruleset.vocabulary)


def run(paths, extra_modules=()) -> Report:
    """Test the rules under ``paths``; see the module docstring."""
    from ..plugins import build_plugins

    report = Report()
    projects, folders = {}, []
    for path in paths:
        if os.path.isfile(os.path.join(path, "pyproject.toml")):
            try:
                projects[path] = plugin_modules_of(path)
            except (OSError, ValueError) as exc:
                report.lines.append(_rel(path))
                report.problem(f"{_rel(path)}: {exc}")
        elif os.path.exists(path):
            folders.append(path)
        else:
            report.lines.append(_rel(path))
            report.problem(f"{path}: 文件或目录不存在")
    modules = [m for ms in projects.values() for m in ms]
    plugins = build_plugins(tuple(extra_modules) + tuple(modules))
    for error in plugins.errors:
        report.problem(error)
    for folder in folders:
        _test_folder(folder, plugins, report)
    for project, module_names in projects.items():
        report.lines.append(f"{_rel(project)}（插件模块 {', '.join(module_names)}）")
        owners = _owners(plugins, module_names)
        packs = [p for p in plugins.rule_packs() if p.plugin in owners]
        if not packs:
            report.problem(f"{_rel(project)}: 插件没有通过 fazhi_lint_rule_packs 声明规则包")
        for pack in packs:
            _test_pack(pack, plugins, report)
    _check_contract(plugins, report)
    total = report.passed + report.failed
    verdict = "全部通过" if report.ok() else "未通过"
    summary = f"{verdict}：{total} 条规则，{report.passed} 条通过，{report.failed} 条失败"
    if report.problems:
        summary += f"；另有 {report.problems} 个加载或插件问题"
    report.lines.append(summary)
    return report


def _owners(plugins, module_names) -> set:
    """Registration names under which the given modules are registered (entry point or module)."""
    owners = set()
    for name in module_names:
        module = sys.modules.get(name)
        for reg_name, plugin in plugins.manager.list_name_plugin():
            if plugin is module or reg_name == name:
                owners.add(reg_name)
    return owners
