"""``fazhi-lint compare LAST_YEAR THIS_YEAR``: a unit's report against its report of the year before.

Both files go through the input layer of ``check`` (the same readers and limits; a folder, a zip, a
device or a FIFO is refused with its reason) and are read and compared in a guarded worker process
with ``check``'s budgets; the output goes through the output layer (valid UTF-8, atomic ``-o``, a
write that fails is one line and exit 2).
"""
from __future__ import annotations

import sys

import click

from .. import __version__
from ..errors import EXIT_INTERNAL, EXIT_USAGE, FazhiError
from ..waivers.gate import FAIL_ON, exit_code
from .common import err, load_selected_rules, ruleset_options, safe_name, selection_options


def named_inputs(paths, ruleset, outputs=()):
    """The Inputs of the report files named (exit 2 naming the first that cannot be one), after
    refusing an output that is one of them."""
    from ..inputs import named_input
    from ..outputs.targets import refuse_overwriting_reports

    items = []
    for path in paths:
        item, why = named_input(path, ruleset.readers)
        if item is None:
            err(f"{safe_name(path)}: {why}")
            sys.exit(EXIT_USAGE)
        items.append(item)
    try:
        refuse_overwriting_reports(outputs, [i.path for i in items])
    except FazhiError as exc:
        err(str(exc))
        sys.exit(exc.exit_code)
    return items


def emit(text, output, name: str) -> None:
    """Write a command's output (``-o FILE`` or standard output); a failed write is exit 2."""
    from ..outputs.targets import OutputProblem, write_output

    try:
        write_output(text, output, name)
    except OutputProblem as exc:
        err(str(exc))
        sys.exit(EXIT_USAGE)


@click.command("compare")
@click.argument("previous_path", metavar="LAST_YEAR")
@click.argument("current_path", metavar="THIS_YEAR")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="输出格式")
@click.option("--output", "-o", default=None, help="写入文件而不是标准输出")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="跨年度问题达到该级别时退出码为 1")
@ruleset_options
@selection_options
def compare_command(previous_path, current_path, fmt, output, fail_on, rules_paths, plugin_modules, province, select,
                    ignore):
    """把本年度报告与本单位上一年度报告对照：上年安排是否落实、是否照搬、不足是否原样重复、数字变化。"""
    from ..compare.report import PairReport, compare_files, render_pair_json, render_pair_text

    plugins, ruleset = load_selected_rules(plugin_modules, province, rules_paths, select, ignore)
    previous, current = named_inputs((previous_path, current_path), ruleset, (output,))
    report = compare_files(previous, current, ruleset)
    if not isinstance(report, PairReport):              # a file unreadable, or the comparison failed
        if report.error:
            err(report.error)
            sys.exit(EXIT_USAGE)
        for problem in report.problems:
            err(f"{safe_name(current_path)}: {problem.message}")
        sys.exit(exit_code([report], fail_on, None) or EXIT_INTERNAL)
    emit(render_pair_json(report, __version__) if fmt == "json" else render_pair_text(report), output, fmt)
    sys.exit(exit_code([report.result], fail_on, None))


COMMANDS = [compare_command]
