"""``fazhi-lint compare LAST_YEAR THIS_YEAR``: a unit's report against its report of the year before."""
from __future__ import annotations

import os
import sys

import click

from .. import __version__
from ..errors import EXIT_USAGE
from ..waivers.gate import FAIL_ON, exit_code
from .common import err, load_selected_rules, ruleset_options, selection_options, safe_name


@click.command("compare")
@click.argument("previous_path", metavar="LAST_YEAR")
@click.argument("current_path", metavar="THIS_YEAR")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="输出格式")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="跨年度问题达到该级别时退出码为 1")
@ruleset_options
@selection_options
def compare_command(previous_path, current_path, fmt, fail_on, rules_paths, plugin_modules, province, select, ignore):
    """把本年度报告与本单位上一年度报告对照：上年安排是否落实、是否照搬、不足是否原样重复、数字变化。"""
    from ..compare.report import compare_pair, render_pair_json, render_pair_text
    from ..document import UnreadableInput

    plugins, ruleset = load_selected_rules(plugin_modules, province, rules_paths, select, ignore)
    try:
        report = compare_pair(previous_path, current_path, ruleset)
    except (UnreadableInput, OSError) as exc:
        bad = next((p for p in (previous_path, current_path) if not os.path.isfile(p)), None)
        err(f"{safe_name(bad)}: 文件不存在" if bad else f"无法读取报告：{exc}")
        sys.exit(EXIT_USAGE)
    click.echo(render_pair_json(report, __version__) if fmt == "json" else render_pair_text(report), nl=False)
    sys.exit(exit_code([report.result], fail_on, None))


COMMANDS = [compare_command]
