"""The command line, thin: ``fazhi-lint [check] PATH...`` and the subcommands listed in ``app``.

Each subcommand is one module here exposing ``COMMANDS``; ``check`` is the default. The command
line parses options, calls the rooms below it and turns ``checker.errors.FazhiError`` into a
message and its exit code. It holds no knowledge of rules, reports or formats of its own.
"""
from .app import main

__all__ = ["main"]
