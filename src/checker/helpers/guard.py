"""Guards around code fazhi-lint does not control (plugins, checker kinds, hooks). No signal
handler and no timer lives here: a run's time limits are kept at the process boundary (the batch
watches each worker and each rule it runs, see ``engine/batch.py``) and by ``regex``'s own timeout.

Two things a plugin can do that ``except Exception`` does not catch, and that would otherwise end
the run with exit 0 and no output (a gate that passes silently):

* ``sys.exit()`` / ``raise SystemExit`` -> treated as a failure of that plugin (FZ-X01);
* ``raise KeyboardInterrupt`` -> the same, *unless* the user really pressed Ctrl-C: the command line
  records a real SIGINT/SIGTERM with :func:`note_signal` (its own handler raises
  :class:`UserInterrupt`), so a real interrupt still stops the run (exit 130 / 143).

``os._exit`` and ``kill -9`` cannot be caught in the process itself: the batch runs every report in
a worker process, sees the worker die and reports that file (FZ-X05).
"""
from __future__ import annotations

import contextlib
import os
import time

_STATE = {"signal": None}     # the real signal received, if any
_PAUSABLE: list = []           # callbacks(seconds) that push a running budget back (untimed())
_UNTIMED_WATCHERS: list = []   # objects told when an untimed() block starts (.untimed_start()) and ends


class TimeBudgetExceeded(BaseException):
    """A time budget ran out (the batch's budget for a report or a rule). A BaseException, so a
    plugin's own ``except Exception`` cannot swallow it."""


class UserInterrupt(BaseException):
    """A real SIGINT or SIGTERM reached the process; ``code`` is the exit code (130 / 143)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.code = 128 + signum


def note_signal(signum: int) -> None:
    """Record that a real SIGINT/SIGTERM reached this process (called by the command line's handler)."""
    _STATE["signal"] = signum


def interrupted() -> bool:
    """True once a real SIGINT/SIGTERM has reached this process."""
    return _STATE["signal"] is not None


def reset_signal_state() -> None:
    _STATE["signal"] = None


def is_foreign_exit(exc: BaseException) -> bool:
    """A BaseException raised by plugin code that must not end the run: SystemExit, or a
    KeyboardInterrupt that no real signal caused."""
    if isinstance(exc, UserInterrupt):
        return False
    if isinstance(exc, (SystemExit, TimeBudgetExceeded)):
        return True
    return isinstance(exc, KeyboardInterrupt) and not interrupted()


def describe(exc: BaseException) -> str:
    if isinstance(exc, SystemExit):
        return f"SystemExit({exc.code!r})：插件试图结束进程"
    if isinstance(exc, KeyboardInterrupt):
        return "KeyboardInterrupt：插件自行抛出中断（并非用户按下 Ctrl-C）"
    if isinstance(exc, TimeBudgetExceeded):
        return f"运行超过时间上限（{exc}）"
    return f"{type(exc).__name__}: {exc}"


@contextlib.contextmanager
def untimed():
    """One-time loading (a dictionary read on first use) that must not count against the running
    rule's budget: every running budget (``_PAUSABLE``) is pushed back by the time the block took."""
    started = time.monotonic()
    for watcher in list(_UNTIMED_WATCHERS):
        watcher.untimed_start()
    try:
        yield
    finally:
        spent = time.monotonic() - started
        for extend in list(_PAUSABLE):
            extend(spent)
        for watcher in list(_UNTIMED_WATCHERS):
            watcher.untimed_end(spent)


def env_seconds(name: str, default: float) -> float:
    """A time limit from the environment (tests and CI runners can shorten or lengthen it)."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 and value == value and value != float("inf") else default


def bounded(call, seconds: float, what: str = ""):
    """``call()`` run in a helper thread and waited for at most ``seconds``: what it returns, or what
    it raises (SystemExit and KeyboardInterrupt included, re-raised here), or TimeBudgetExceeded
    when it has not finished in time. For plugin code at load time (an import, a hook): a hook
    that never returns costs its budget, not the run, in whatever thread the run is in. The
    thread left behind is a daemon; it ends with the process."""
    import threading

    box = {}

    def target():
        try:
            box["value"] = call()
        except BaseException as exc:          # handed to the caller, whatever it is
            box["error"] = exc

    thread = threading.Thread(target=target, name=f"fazhi-lint {what}", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise TimeBudgetExceeded(f"{seconds:g} 秒{('，' + what) if what else ''}")
    if "error" in box:
        raise box["error"]
    return box.get("value")
