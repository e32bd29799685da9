"""fazhi-lint: a compliance linter for 法治政府建设年度报告.

The public plugin surface is ``checker.hookimpl`` plus the records in ``checker.records`` and the
checker-kind helpers in ``checker.checks.base``; see ``checker.hookspecs`` for every hook.
"""
from .hookspecs import hookimpl

__version__ = "0.1.0"
__all__ = ["__version__", "hookimpl"]
