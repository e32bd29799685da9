"""fazhi-lint: a compliance linter for 法治政府建设年度报告.

The public plugin surface is ``checker.hookimpl`` plus the records in ``checker.records`` and the
checker-kind helpers in ``checker.checks.base``; see ``checker.hookspecs`` for every hook.

Run as the command (``fazhi-lint`` or ``python -m checker``), the first thing done here is to make
Ctrl-C during start-up (importing click, pluggy, the rooms) end quietly with exit 130 instead of a
KeyboardInterrupt traceback; the CLI replaces this handler with its own once it runs
(``cli/app.py``). Imported as a library, nothing is changed.
"""
import sys as _sys


def _started_as_command() -> bool:
    first = _sys.argv[0] if _sys.argv else ""
    # ``python -m checker`` shows "-m" while the package is being imported
    return first == "-m" or first.replace("\\", "/").rsplit("/", 1)[-1].startswith("fazhi-lint")


def _quiet_interrupt(signum, frame):
    """Leave at once: raising here could land in an import's cleanup callback, where Python
    prints the exception and carries on; nothing has been written yet that needs flushing."""
    import os

    os.write(2, "fazhi-lint: 已中断（Ctrl-C）\n".encode())
    os._exit(128 + signum)


if _started_as_command():
    import _signal  # the C module: ``signal`` imports enum first, a window of its own

    if _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:   # not ignored by the caller
        _signal.signal(_signal.SIGINT, _quiet_interrupt)

from .hookspecs import hookimpl  # noqa: E402  (after the start-up handler)

__version__ = "0.1.0"
__all__ = ["__version__", "hookimpl"]
