"""``fazhi-lint rule ID``, ``fazhi-lint rules`` and ``fazhi-lint kinds [KIND]``: what a rule is, which
rules a run would use, what a checker kind accepts. The text comes from ``checker.rules.explain``
(the same source as docs/rules/ and the SARIF rule help); ``check --list-rules`` and ``check
--explain`` are aliases of these.
"""
from __future__ import annotations

import sys

import click

from ..errors import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from .common import err, load_rules, ruleset_options, shown_path
from ..toolrules import INTERNAL_ERROR_RULE


def print_rules(ruleset) -> None:
    """The effective rule set, one rule a line: id, severity, kind, pack, file:line, origin, title."""
    click.echo(f"# 规则包 {ruleset.pack}（{' → '.join(ruleset.chain) or '无'}），共 {len(ruleset.rules)} 条规则")
    for rule in ruleset.rules:
        prov = ruleset.provenance.get(rule.id)
        pack, source, label = (prov.pack, prov.source, prov.label(shown_path)) if prov else (rule.pack, rule.source, "")
        click.echo("\t".join([rule.id, rule.severity, rule.check, pack, shown_path(source), label or "-", rule.title]))
    for rule_id, pack, where in ruleset.disabled:
        click.echo(f"# 已停用 {rule_id}（规则包 {pack}，{shown_path(where)}）")
    for failure in ruleset.plugin_failures:
        click.echo(f"# {INTERNAL_ERROR_RULE} {failure}")


def explain_name(ruleset, name: str):
    """Print the explanation of a rule id or a checker kind name; EXIT_USAGE when neither exists."""
    from ..rules.explain import kind_text, rule_text
    from ..rules.selection import closest

    rule = ruleset.by_id(name)
    if rule is not None:
        click.echo(rule_text(rule, shown_path(rule.source)), nl=False)
        return None
    kind = ruleset.kinds.get(name)
    if kind is not None:
        click.echo(kind_text(kind), nl=False)
        return None
    near = closest(name, [r.id for r in ruleset.rules] + list(ruleset.kinds))
    err(f"没有规则或检查类型 {name}" + (f"；最接近的是：{', '.join(near)}" if near else ""))
    return EXIT_USAGE


def _status(plugins, ruleset) -> int:
    """Exit code of a listing: 3 when a plugin failed (its rules may be missing from the list),
    2 for configuration problems, else 0."""
    for problem in [*plugins.errors, *ruleset.errors]:
        err(problem)
    if plugins.failures or getattr(ruleset, "plugin_failures", ()):
        return EXIT_INTERNAL
    return EXIT_USAGE if plugins.errors or ruleset.errors else EXIT_OK


@click.command("rule")
@click.argument("rule_id")
@ruleset_options
def rule_command(rule_id, plugin_modules, province, rules_paths):
    """解释一条规则：说明、依据、参数和样例（检查类型名也可以）。"""
    plugins, ruleset = load_rules(plugin_modules, province, rules_paths)
    status = _status(plugins, ruleset)
    sys.exit(explain_name(ruleset, rule_id) or status)


@click.command("rules")
@ruleset_options
def rules_command(plugin_modules, province, rules_paths):
    """列出生效的规则：编号、级别、检查类型、规则包、定义位置、继承/覆盖、名称。"""
    plugins, ruleset = load_rules(plugin_modules, province, rules_paths)
    status = _status(plugins, ruleset)
    print_rules(ruleset)
    sys.exit(status)


@click.command("kinds")
@click.argument("name", required=False)
@click.option("--plugin", "plugin_modules", multiple=True, help="同时加载插件模块（如 mypkg.plugin）")
def kinds_command(name, plugin_modules):
    """列出检查类型；给出名称时显示它的参数（类型、默认值、可选值、说明）。"""
    from ..plugins import build_plugins
    from ..rules.explain import kind_text

    plugins = build_plugins(plugin_modules)
    kinds = plugins.kinds()
    if name is None:
        for kind in sorted(kinds.values(), key=lambda k: k.name):
            summary = ((type(kind).__doc__ or "").strip().splitlines() or [""])[0]
            click.echo(f"{kind.name}\t{kind.plugin_name}\t{summary}")
        sys.exit(EXIT_OK)
    if name not in kinds:
        from ..rules.selection import closest

        near = closest(name, list(kinds))
        err(f"没有检查类型 {name}" + (f"；最接近的是：{', '.join(near)}" if near else f"；可用：{', '.join(sorted(kinds))}"))
        sys.exit(EXIT_USAGE)
    click.echo(kind_text(kinds[name]), nl=False)
    sys.exit(EXIT_OK)


COMMANDS = [rule_command, rules_command, kinds_command]
