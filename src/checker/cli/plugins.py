"""``fazhi-lint plugins``: the installed plugins, their version, hooks, rule packs and kinds."""
from __future__ import annotations

import sys

import click

from ..errors import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from .common import err
from ..toolrules import INTERNAL_ERROR_RULE


@click.command("plugins")
@click.option("--plugin", "plugin_modules", multiple=True, help="同时加载插件模块（如 mypkg.plugin）")
def plugins_command(plugin_modules):
    """列出已加载的插件：版本、实现的钩子、提供的规则包和规则编号前缀。"""
    from ..plugins import build_plugins
    from ..rules.packs import pack_rule_ids

    plugins = build_plugins(plugin_modules)
    packs = plugins.rule_packs()
    kinds = plugins.kinds()
    for name, info in plugins.infos.items():
        own_packs = [p for p in packs if p.plugin == name]
        prefixes = sorted({rid.split("-", 1)[0] for p in own_packs for rid in pack_rule_ids(p)})
        own_kinds = sorted(k.name for k in kinds.values() if k.plugin_name == name)
        click.echo(f"{name} {info.version or '?'}（{info.origin}{'，' + info.distribution if info.distribution else ''}）")
        click.echo(f"  钩子：{', '.join(plugins.hooks_of(name)) or '无'}")
        if own_packs:
            click.echo("  规则包：" + "; ".join(
                p.name + (f"（扩展 {p.extends}）" if p.extends else "") for p in own_packs))
            click.echo(f"  规则前缀：{', '.join(prefixes) or '无'}")
        if own_kinds:
            click.echo(f"  检查类型：{', '.join(own_kinds)}")
    for problem in plugins.errors:
        err(problem)
    for failure in plugins.failures:
        err(f"{INTERNAL_ERROR_RULE} {failure}")
    sys.exit(EXIT_INTERNAL if plugins.failures else (EXIT_USAGE if plugins.errors else EXIT_OK))


COMMANDS = [plugins_command]
