"""Check many reports, in parallel worker processes when that pays off.

Workers are forked after the rule set is loaded (and after checker kinds have warmed up, e.g.
jieba's dictionary), so each worker shares that work instead of repeating it. Results come back
in input order. Where ``fork`` is not available the batch runs in this process.
"""
from __future__ import annotations

import os

from .evaluate import check_path

MIN_FILES_PER_JOB = 8
MAX_CHUNK = 16
_WORK: dict = {}


def default_jobs(n_files: int) -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, n_files // MIN_FILES_PER_JOB))


def _check_one(path):
    ruleset, options = _WORK["ruleset"], _WORK["options"]
    return check_path(path, ruleset, **options)


def warm_up(ruleset) -> None:
    """Let each checker kind load what it needs once, before workers are forked."""
    for rule in ruleset.rules:
        warm = getattr(ruleset.kinds.get(rule.check), "warm_up", None)
        if warm is not None:
            try:
                warm(rule, ruleset.states.get(rule.id))
            except Exception:   # a failing warm-up shows up again, isolated, when the rule runs
                pass


class _NoProgress:
    def start(self, total):
        pass

    def step(self, path):
        pass

    def finish(self):
        pass


_NO_PROGRESS = _NoProgress()


def check_paths(files, ruleset, jobs: int = 0, progress=None, **options) -> list:
    """Results for ``files`` in order; ``jobs`` 0 means one per CPU for a large enough batch.

    ``progress`` (cli/progress.py: ``start(total)``, ``step(path)``, ``finish()``) hears of each file
    as its result comes back."""
    progress = progress or _NO_PROGRESS
    jobs = default_jobs(len(files)) if jobs <= 0 else min(jobs, max(1, len(files)))
    progress.start(len(files))
    try:
        if jobs > 1:
            import multiprocessing  # only for a batch (≈7 ms of start-up otherwise)

            if "fork" in multiprocessing.get_all_start_methods():
                return _in_workers(multiprocessing, files, ruleset, jobs, progress, options)
        results = []
        for path in files:
            results.append(check_path(path, ruleset, **options))
            progress.step(path)
        return results
    finally:
        progress.finish()


def _in_workers(multiprocessing, files, ruleset, jobs, progress, options) -> list:
    warm_up(ruleset)
    _WORK.update(ruleset=ruleset, options=options)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = []
            # Small chunks: the workers finish together (with 125-report chunks one worker could idle
            # for a whole chunk at the end); a chunk of 16 costs one message, far less than its reports.
            chunk = max(1, min(MAX_CHUNK, len(files) // (jobs * 8)))
            for path, result in zip(files, pool.imap(_check_one, files, chunksize=chunk)):
                results.append(result)
                progress.step(path)
            return results
    finally:
        _WORK.clear()
