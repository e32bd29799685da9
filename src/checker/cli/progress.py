"""A progress bar for batches on a terminal: files done/total, the current file, the rate.

Shown on standard error, and only when both standard output and standard error are terminals
(so it never mixes into JSON, SARIF or JUnit piped or redirected from standard output, nor into a
CI log) and ``--quiet`` was not given. A batch calls ``start(total)``, ``step(path)`` per file
and ``finish()``
(engine/batch.py); ``NO_PROGRESS`` does nothing.
"""
from __future__ import annotations

import os
import sys
import time


class _Silent:
    def start(self, total: int) -> None:
        pass

    def step(self, path: str) -> None:
        pass

    def finish(self) -> None:
        pass


NO_PROGRESS = _Silent()


class Bar(_Silent):
    """click's progress bar, with the current file and files per second as its item text."""

    def __init__(self, stream=None):
        self.stream, self.bar, self.started, self.done = stream or sys.stderr, None, 0.0, 0

    def start(self, total: int) -> None:
        import click

        self.started, self.done = time.monotonic(), 0
        if total <= 1:                 # one report: nothing to watch
            return
        self.bar = click.progressbar(length=total, label="检查报告", file=self.stream, show_pos=True,
                                     show_eta=True, item_show_func=self._item, width=24)
        self.bar.__enter__()

    def _item(self, item):
        if item is None:
            return ""
        shown = getattr(item, "display", item)          # an inputs.Input, or a plain path
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        return f"{rate:.1f} 份/秒  {os.path.basename(str(shown))}"

    def step(self, path: str) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(1, path)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def progress_for(quiet: bool, n_files=None, stdout=None, stderr=None):
    """A ``Bar`` when a person is watching a batch (of more than one report: ``n_files``, or the
    total the batch starts with), else ``NO_PROGRESS``."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    watching = all(getattr(s, "isatty", lambda: False)() for s in (stdout, stderr))
    wanted = watching and not quiet and (n_files is None or n_files > 1)
    return Bar(stderr) if wanted else NO_PROGRESS
