"""Guards around code fazhi-lint does not control (plugins, checker kinds, hooks).

Three things a plugin can do that ``except Exception`` does not catch, and that would otherwise
end the run with exit 0 and no output (a gate that passes silently):

* ``sys.exit()`` / ``raise SystemExit`` -> treated as a failure of that plugin (FZ-X01);
* ``raise KeyboardInterrupt`` -> the same, *unless* the user really pressed Ctrl-C: the CLI installs
  :func:`install_signal_handlers`, which records real SIGINT/SIGTERM, so a real interrupt still
  stops the run (exit 130 / 143);
* running forever (a hook that sleeps, a slow loop) -> :func:`time_limit` raises
  :class:`TimeBudgetExceeded` in the main thread after the budget (POSIX interval timer).

``os._exit`` and ``kill -9`` cannot be caught in the process itself: the batch runner sees the
worker die and reports that file (see ``batch.py``); a plugin that exits the main process while
loading is caught as ``SystemExit`` here before that can happen.
"""
from __future__ import annotations

import contextlib
import os
import signal
import threading
import time

_STATE = {"signal": None, "untimed": 0}   # the real signal received, if any; depth of untimed()
_PAUSABLE: list = []                        # callbacks(seconds) that push a running budget back


class TimeBudgetExceeded(BaseException):
    """Raised inside guarded code when its time budget is spent. A BaseException, so a plugin's
    own ``except Exception`` cannot swallow it."""


class UserInterrupt(BaseException):
    """A real SIGINT or SIGTERM reached the process; ``code`` is the exit code (130 / 143)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.code = 128 + signum


def interrupted() -> bool:
    """True once a real SIGINT/SIGTERM has reached this process."""
    return _STATE["signal"] is not None


def _on_signal(signum, frame):
    _STATE["signal"] = signum
    raise UserInterrupt(signum)


def install_signal_handlers() -> None:
    """Make SIGINT and SIGTERM raise :class:`UserInterrupt` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)


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


def _timer_usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float, what: str = ""):
    """Raise TimeBudgetExceeded in this block after ``seconds`` (no-op off the main thread or
    where interval timers do not exist; an outer limit is restored afterwards)."""
    if not seconds or seconds <= 0 or not _timer_usable():
        yield
        return

    def on_alarm(signum, frame):
        raise TimeBudgetExceeded(f"{seconds:g} 秒{('，' + what) if what else ''}")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    outer_left, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    # an outer one-shot limit still applies; an outer watchdog (a periodic tick) is suspended
    # and checks its own deadline again on its next tick
    first = min(seconds, outer_left) if outer_left and not outer_interval else seconds
    signal.setitimer(signal.ITIMER_REAL, first)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            left = outer_left - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), outer_interval)


_DOGS: list = []     # active watchdogs, outermost first; the outermost owns the interval timer


class Watchdog:
    """One interval timer for many short budgets (every rule on a report): arming a budget is
    an assignment, not a system call, so 44 rules cost two timer calls per report. The timer
    ticks every ``tick`` seconds; a tick after the armed deadline raises TimeBudgetExceeded.

    Watchdogs nest: an inner one (the rules' budgets inside a whole report's budget) shares the
    outer one's timer, and while it is active only its own budget counts; the outer budget is
    paused and pushed back by the time the inner one was active. ``fired`` tells afterwards
    whether this watchdog's budget ran out."""

    def __init__(self, tick: float = 0.25):
        self.tick = tick
        self.deadline = None
        self.what = (0.0, "")        # (seconds, what): formatted only when the budget runs out
        self.fired = False
        self._previous = None
        self._active = False
        self._nested_since = None

    def __enter__(self):
        if _DOGS:                                       # share the outer watchdog's timer
            self._nested_since = time.monotonic()
            _DOGS.append(self)
            _PAUSABLE.append(self._extend)
        elif _timer_usable() and not signal.getitimer(signal.ITIMER_REAL)[0]:
            self._previous = signal.signal(signal.SIGALRM, self._on_tick)
            signal.setitimer(signal.ITIMER_REAL, self.tick, self.tick)
            self._active = True
            _DOGS.append(self)
            _PAUSABLE.append(self._extend)
        return self

    def __exit__(self, *exc):
        if self._nested_since is not None:
            _DOGS.remove(self)
            _PAUSABLE.remove(self._extend)
            for outer in _DOGS:                         # the outer budgets were paused meanwhile
                outer._extend(time.monotonic() - self._nested_since)
            self._nested_since = None
        elif self._active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
            self._active = False
            _DOGS.remove(self)
            _PAUSABLE.remove(self._extend)
        return False

    def _extend(self, seconds: float) -> None:
        if self.deadline is not None:
            self.deadline += seconds

    def _on_tick(self, signum, frame):
        if _STATE["untimed"] or not _DOGS:
            return
        dog = _DOGS[-1]                                  # the innermost budget is the one running
        if dog.deadline is not None and time.monotonic() > dog.deadline:
            dog.deadline, dog.fired = None, True
            seconds, what = dog.what
            raise TimeBudgetExceeded(f"{seconds:g} 秒，{what}" if what else f"{seconds:g} 秒")

    def arm(self, seconds: float, what: str = "") -> None:
        """Start a budget of ``seconds`` (``disarm`` ends it): the per-rule form of :meth:`budget`,
        two assignments and no generator, as it runs for every rule on every report."""
        self.deadline, self.what = time.monotonic() + seconds, (seconds, what)

    def disarm(self) -> None:
        self.deadline = None

    @contextlib.contextmanager
    def budget(self, seconds: float, what: str = ""):
        self.arm(seconds, what)
        try:
            yield
        finally:
            self.deadline = None


@contextlib.contextmanager
def untimed():
    """One-time loading (a dictionary built on first use) that must not count against the running
    rule's budget: the watchdog does not fire inside the block, and every running budget is pushed
    back by the time the block took."""
    _STATE["untimed"] += 1
    started = time.monotonic()
    try:
        yield
    finally:
        _STATE["untimed"] -= 1
        spent = time.monotonic() - started
        for extend in list(_PAUSABLE):
            extend(spent)


def env_seconds(name: str, default: float) -> float:
    """A time limit from the environment (tests and CI runners can shorten or lengthen it)."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 and value == value and value != float("inf") else default
