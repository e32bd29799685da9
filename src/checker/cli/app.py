"""The ``fazhi-lint`` command group.

To add a subcommand: write a module in this package whose ``COMMANDS`` lists its click commands,
and add the module's name to ``COMMAND_MODULES``. A first argument that is not a subcommand is a
path for ``check`` (``fazhi-lint seeds/`` is ``fazhi-lint check seeds/``).
"""
from __future__ import annotations

import importlib

import click

from .. import __version__

COMMAND_MODULES = ("check", "explain", "diff", "compare", "plugins", "testrules")


class DefaultGroup(click.Group):
    """A group whose first argument, when it is not a command, is a path for ``check``."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fazhi-lint")
def main():
    """fazhi-lint：法治政府建设年度报告合规检查（Compliance linter for annual reports on law-based government）."""


for _module in COMMAND_MODULES:
    for _command in importlib.import_module(f"{__package__}.{_module}").COMMANDS:
        main.add_command(_command)
