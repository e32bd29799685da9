"""What a batch worker tells its parent (``Watch``: which rule of which report runs since when) and
the limits the parent holds it to (``Limits``): the time limits of a run, kept at the process boundary."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass

from ..helpers.guard import env_seconds

_BUILDING = -1.0                # shared "rule index" while a report is read (no rule running)


def report_budget(item) -> float:
    """Seconds for the work on one report outside its rules (reading, decoding, normalising, the
    outline, the facts table): ``FAZHI_LINT_BUILD_TIMEOUT`` (default 60 s) plus 2 s per MB of file."""
    try:
        size = os.path.getsize(getattr(item, "path", item) or "")
    except (OSError, TypeError, ValueError):
        size = len(getattr(item, "data", None) or b"")
    return env_seconds("FAZHI_LINT_BUILD_TIMEOUT", 60.0) + 2.0 * size / 1e6


class Watch:
    """What a worker tells its parent: which rule of the current report runs since when."""

    def __init__(self, shared=None):
        self._held = _BUILDING
        self.shared = shared            # RawArray('d', 3): [job number, rule index or -1, started at]

    def start(self, job: int) -> None:
        if self.shared is not None:
            self.shared[0], self.shared[1], self.shared[2] = float(job), _BUILDING, time.monotonic()

    def rule(self, index: int, _rule_id: str = "") -> None:
        if self.shared is not None:
            self.shared[1], self.shared[2] = float(index), time.monotonic()

    def untimed_start(self) -> None:
        """One-time loading inside a rule (helpers.guard.untimed) is not the rule's time: while it
        runs the parent holds the worker to the report's budget, as while reading it."""
        if self.shared is not None:
            self._held = self.shared[1]
            self.shared[1], self.shared[2] = _BUILDING, time.monotonic()

    def untimed_end(self, spent: float) -> None:
        if self.shared is not None:
            self.shared[1], self.shared[2] = self._held, time.monotonic()


NO_WATCH = Watch()


@dataclass
class Limits:
    """How long a job may take and what its failures become (all functions of the job's item)."""

    rule_ids: tuple                 # the rules a job runs, in order (the shared rule index names one)
    rule_budget: object             # item -> seconds one rule may run
    report_budget: object           # item -> seconds outside the rules
    failed: object                  # (item, Problem) -> the value standing for a job given up
    file_limit: float = 0.0         # seconds for one attempt at a report, rules included (0: FAZHI_LINT_FILE_TIMEOUT)

    def __post_init__(self):
        if not self.file_limit:
            self.file_limit = env_seconds("FAZHI_LINT_FILE_TIMEOUT", 600.0)


