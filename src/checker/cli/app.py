"""The ``fazhi-lint`` command group.

To add a subcommand: write a module in this package whose ``COMMANDS`` lists its click commands,
and name each command with its module in ``COMMAND_MODULES``. A command's module is imported only
when that command runs (or ``--help`` lists them all): a check imports no other subcommand's code.
A first argument that is not a subcommand is a path for ``check`` (``fazhi-lint seeds/`` is
``fazhi-lint check seeds/``).
"""
from __future__ import annotations

import contextlib
import importlib
import sys

import click

from .. import __version__
from ..helpers.guard import UserInterrupt, note_signal, reset_signal_state

# command name -> the module of this package that defines it (in its COMMANDS)
COMMAND_MODULES = {"check": "check", "rule": "explain", "rules": "explain", "kinds": "explain", "diff": "diff",
                   "compare": "compare", "feedback": "feedback", "plugins": "plugins", "test-rules": "testrules",
                   "serve": "serve", "db": "db"}


def _on_signal(signum, frame):
    note_signal(signum)
    raise UserInterrupt(signum)


def install_signal_handlers() -> None:
    """Make SIGINT and SIGTERM raise ``UserInterrupt`` (main thread only): the command line's own
    handlers, so a plugin's ``raise KeyboardInterrupt`` is told apart from a real Ctrl-C."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)


class DefaultGroup(click.Group):
    """A group whose first argument, when it is not a command, is a path for ``check``; commands are
    loaded from their modules on first use."""

    def list_commands(self, ctx):
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx, name):
        module = COMMAND_MODULES.get(name)
        if module is None:
            return None
        commands = importlib.import_module(f"{__package__}.{module}").COMMANDS
        return next((c for c in commands if c.name == name), None)

    def parse_args(self, ctx, args):
        if not args or (args[0] not in COMMAND_MODULES and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        """Ctrl-C exits 130 and SIGTERM 143, quietly (no traceback); a plugin that raises
        KeyboardInterrupt or SystemExit itself is a plugin failure instead (helpers/guard.py)."""
        import signal

        reset_signal_state()
        saved = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
        install_signal_handlers()
        try:
            return super().invoke(ctx)
        except UserInterrupt as exc:
            click.echo("fazhi-lint: " + ("已中断（Ctrl-C）" if exc.code == 130 else "已被终止（SIGTERM）"), err=True)
            sys.exit(exc.code)
        finally:
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(signal.SIGINT, saved[0])
                signal.signal(signal.SIGTERM, saved[1])


def version_text() -> str:
    """``fazhi-lint X`` and the version of every rule pack it would load (national and provinces)."""
    from ..plugins import build_plugins

    plugins = build_plugins()
    packs = []
    for pack in plugins.rule_packs():
        info = plugins.infos.get(pack.plugin)
        source = "内置" if pack.plugin in ("checker.checks", "") else (
            f"插件 {pack.plugin}" + (f"，{info.distribution}" if info and info.distribution else ""))
        version = pack.version or (info.version if info else "") or "?"
        packs.append(f"{pack.name} {version}（{source}）")
    return f"fazhi-lint {__version__}\n规则包：{'；'.join(packs) or '无'}"


def _print_version(ctx, _param, value):
    if value and not ctx.resilient_parsing:
        click.echo(version_text())
        ctx.exit(0)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="显示 fazhi-lint 和各规则包（全国、已安装的省级）的版本并退出")
def main():
    """fazhi-lint：法治政府建设年度报告合规检查（Compliance linter for annual reports on law-based government）."""

