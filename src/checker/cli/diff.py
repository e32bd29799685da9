"""``fazhi-lint diff OLD NEW``: which findings a redraft fixed, which are new, which are still open.

Each draft is checked by ``checker.run.run`` as ``check`` checks a report (the same input layer,
readers, limits and guarded worker with its budgets); the findings are matched with the texts the
run read (nothing is read twice); the output goes through the output layer (valid UTF-8, control
characters escaped, atomic ``-o``, a write that fails is one line and exit 2).
"""
from __future__ import annotations

import sys

import click

from .. import __version__
from ..errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from .common import err, load_selected_rules, ruleset_options, selection_options
from .compare import emit, named_inputs


def check_draft(item, plugins, ruleset):
    """(Result, Texts, exit code of the problems) of one draft, checked by the run pipeline."""
    from ..rules.selection import Selection
    from ..run import RunRequest, run
    from ..run.pipeline import Loaded

    request = RunRequest(paths=(item.path,), no_suppressions=True, jobs=1)
    outcome = run(request, loaded=Loaded(plugins, ruleset, Selection((), ()), ()))
    result = outcome.results[0]
    return result, outcome.texts, outcome.exit_code("never")


@click.command("diff")
@click.argument("old_path", metavar="OLD")
@click.argument("new_path", metavar="NEW")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help="输出格式（html：一页对比表）")
@click.option("--output", "-o", default=None, help="写入文件而不是标准输出")
@click.option("--fail-on-new", is_flag=True, help="新稿出现旧稿没有的问题时退出码为 1")
@ruleset_options
@selection_options
def diff_command(old_path, new_path, fmt, output, fail_on_new, rules_paths, plugin_modules, province, select, ignore):
    """比较同一报告的两稿：哪些问题已改正、哪些是新出现的、哪些仍未改正（按文字指纹匹配，不看行号）。"""
    from ..compare.drafts import diff_results, render_diff_html, render_diff_json, render_diff_text
    from ..waivers.fingerprint import ContextReader

    plugins, ruleset = load_selected_rules(plugin_modules, province, rules_paths, select, ignore)
    old_item, new_item = named_inputs((old_path, new_path), ruleset, (output,))
    (old, old_texts, old_code), (new, new_texts, new_code) = (check_draft(i, plugins, ruleset)
                                                              for i in (old_item, new_item))
    texts = type(old_texts)({**old_texts.packed, **new_texts.packed})
    result = diff_results(old, new, ContextReader(texts))
    failed = max(old_code, new_code)                  # 2: a draft unreadable, 3: the check of one failed
    if failed > EXIT_USAGE:
        result.errors += [f"{r.path}: {p.message}" for r in (old, new) for p in r.problems if p.exit_code > EXIT_USAGE]
    if fmt == "json":
        emit(render_diff_json(result, __version__), output, "json")
    elif fmt == "html" and not result.errors:
        emit(render_diff_html(result), output, "html")
    else:
        emit(render_diff_text(result), output, "text")
    if result.errors:
        for message in result.errors:
            err(message)
        sys.exit(max(failed, EXIT_USAGE))
    sys.exit(EXIT_FINDINGS if fail_on_new and result.new else EXIT_OK)


COMMANDS = [diff_command]
