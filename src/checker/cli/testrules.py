"""``fazhi-lint test-rules PATH...``: run every rule's own examples and check the plugin contract."""
from __future__ import annotations

import sys

import click

from ..errors import EXIT_FINDINGS, EXIT_OK


@click.command("test-rules")
@click.argument("paths", nargs=-1, required=True)
@click.option("--plugin", "plugin_modules", multiple=True, help="同时加载插件模块（如 mypkg.plugin）")
def test_rules_command(paths, plugin_modules):
    """运行规则自带的样例（fire 必须触发，pass 不得触发）并检查插件契约；失败时退出码为 1。

    PATH 可以是规则目录（如 rules/），也可以是插件项目目录（含 pyproject.toml，如 plugins/fazhi-lint-sichuan/）。
    """
    from ..rules.ruletest import run

    report = run(paths, plugin_modules)
    click.echo("\n".join(report.lines))
    sys.exit(EXIT_OK if report.ok() else EXIT_FINDINGS)


COMMANDS = [test_rules_command]
