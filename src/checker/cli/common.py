"""What the subcommands share: printing a problem, loading plugins and the rule set, short paths."""
from __future__ import annotations

import os

import click


def err(message: str) -> None:
    """Print a problem on standard error. Every line of it gets the text output's escapes (ESC,
    lone CR, bidi controls, bytes that are not UTF-8), so a hostile file name inside a message
    cannot drive the terminal or forge a line; put names in with :func:`safe_name`, which escapes
    line breaks too."""
    from ..outputs.escape import one_line
    from ..outputs.targets import shown_name

    lines = str(message).split("\n")
    click.echo("fazhi-lint: " + "\n".join(one_line(shown_name(line)) for line in lines), err=True)


def safe_name(path) -> str:
    """A file name inside a message on standard error, escaped as the text output shows it: one
    line whatever the name holds (newlines, ESC, bidi controls, bytes that are not UTF-8)."""
    from ..outputs.escape import one_line
    from ..outputs.targets import shown_name

    return one_line(shown_name(str(path)))


def shown_path(where: str) -> str:
    """A ``file:line`` shortened to a path relative to the working folder when that is shorter."""
    path, sep, line = where.rpartition(":")
    if not sep or not path:
        return where
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return where
    return f"{rel if len(rel) < len(path) else path}:{line}"


def load_rules(plugin_modules=(), province=None, rules_paths=(), selection=None, verify=False):
    """(plugins, rule set): the plugins, then the pack ``province`` (national by default) plus
    ``rules_paths``, restricted to ``selection``. Rule examples are tests (``test-rules``, the suite),
    not a start-up step: ``verify=True`` also runs them and leaves out the rules whose examples fail."""
    from ..plugins import build_plugins
    from ..rules import load_ruleset

    plugins = build_plugins(plugin_modules)
    wanted = selection if selection is not None and selection.active else None
    ruleset = load_ruleset(plugins, province or "national", rules_paths, wanted)
    if verify:
        from ..rules.selftest import verify_ruleset

        ruleset, _ = verify_ruleset(ruleset)
    return plugins, ruleset


def ruleset_options(func):
    """``--plugin``, ``--province`` and ``--rules``: the options that decide which rules exist."""
    func = click.option("--rules", "rules_paths", multiple=True, type=click.Path(),
                        help="追加规则文件或目录（可多次）")(func)
    func = click.option("--province", default=None, help="规则包（默认 national）")(func)
    return click.option("--plugin", "plugin_modules", multiple=True, help="加载插件模块（如 mypkg.plugin，可多次）")(func)


def selection_options(func):
    """``--select`` and ``--ignore`` for a subcommand that runs part of the rule set."""
    func = click.option("--ignore", multiple=True, help="不运行这些规则（编号或前缀，逗号分隔）")(func)
    return click.option("--select", multiple=True, help="只运行这些规则（编号或前缀，逗号分隔）")(func)


def load_selected_rules(plugin_modules, province, rules_paths, select, ignore):
    """``load_rules`` restricted by ``--select``/``--ignore`` as typed; every problem printed, and an
    unknown id in --select/--ignore ends the run (exit 2, naming the closest ids), as in ``check``."""
    import sys

    from ..errors import FazhiError
    from ..rules.selection import Selection, check_known, parse_ids

    try:
        selection = Selection(parse_ids(list(select), "--select"), parse_ids(list(ignore), "--ignore"))
        plugins, ruleset = load_rules(plugin_modules, province, rules_paths, selection)
        check_known(selection.select, ruleset.known_ids, "select")
        check_known(selection.ignore, ruleset.known_ids, "ignore")
    except FazhiError as exc:
        err(str(exc))
        sys.exit(exc.exit_code)
    for problem in [*plugins.errors, *ruleset.errors]:
        err(problem)
    return plugins, ruleset
