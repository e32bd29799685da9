"""``fazhi-lint diff OLD NEW``: which findings a redraft fixed, which are new, which are still open."""
from __future__ import annotations

import os
import sys

import click

from .. import __version__
from ..errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from .common import err, load_selected_rules, ruleset_options, selection_options, safe_name


@click.command("diff")
@click.argument("old_path", metavar="OLD")
@click.argument("new_path", metavar="NEW")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help="输出格式（html：一页对比表）")
@click.option("--fail-on-new", is_flag=True, help="新稿出现旧稿没有的问题时退出码为 1")
@ruleset_options
@selection_options
def diff_command(old_path, new_path, fmt, fail_on_new, rules_paths, plugin_modules, province, select, ignore):
    """比较同一报告的两稿：哪些问题已改正、哪些是新出现的、哪些仍未改正（按文字指纹匹配，不看行号）。"""
    from ..compare.drafts import diff_results, render_diff_html, render_diff_json, render_diff_text
    from ..engine import check_path
    from ..waivers.fingerprint import ContextReader

    plugins, ruleset = load_selected_rules(plugin_modules, province, rules_paths, select, ignore)
    for path in (old_path, new_path):
        if not os.path.isfile(path):
            err(f"{safe_name(path)}: 文件不存在")
            sys.exit(EXIT_USAGE)
    result = diff_results(check_path(old_path, ruleset), check_path(new_path, ruleset), ContextReader())
    if fmt == "json":
        click.echo(render_diff_json(result, __version__), nl=False)
    elif fmt == "html" and not result.errors:
        click.echo(render_diff_html(result), nl=False)
    else:
        click.echo(render_diff_text(result), nl=False)
    if result.errors:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if fail_on_new and result.new else EXIT_OK)


COMMANDS = [diff_command]
