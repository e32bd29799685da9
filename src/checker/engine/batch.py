"""Check many reports, in parallel worker processes when that pays off.

Workers are forked after the rule set is loaded (and after checker kinds have warmed up, e.g.
jieba's dictionary), so each worker shares that work instead of repeating it. Results come back
in input order. Where ``fork`` is not available the batch runs in this process.

The parent hands out one file at a time and knows which file each worker holds, so a worker that
dies (``os._exit`` in a plugin, ``kill -9``, the OOM killer) costs exactly that file: it gets an
FZ-X05 finding (exit 3), a new worker takes over, and no other result is lost. A worker that goes
silent for longer than the per-file limit (``FAZHI_LINT_FILE_TIMEOUT``, default 600 s) is killed
and reported the same way. Workers write nothing to standard output (a plugin's ``print`` goes to
standard error) and leave Ctrl-C and SIGTERM to the parent, which stops them and exits quietly.
"""
from __future__ import annotations

import os
import signal
import sys

from ..helpers.guard import TimeBudgetExceeded, Watchdog, env_seconds
from .evaluate import TIMEOUT_RULE, check_path, failed_result, run_guarded, warm_up

MIN_FILES_PER_JOB = 8
WORKER_DIED_RULE = "FZ-X05"
_WORK: dict = {}


def default_jobs(n_files: int) -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, n_files // MIN_FILES_PER_JOB))


def build_budget(path) -> float:
    """Seconds for the work on one report outside its rules (reading, decoding, normalising, the
    outline, the facts table): ``FAZHI_LINT_BUILD_TIMEOUT`` (default 60 s) plus 2 s per MB of file.
    Each rule has its own budget (evaluate.rule_budget) on top."""
    try:
        size = os.path.getsize(getattr(path, "path", path) or "")
    except (OSError, TypeError, ValueError):
        size = len(getattr(path, "data", None) or b"")
    return env_seconds("FAZHI_LINT_BUILD_TIMEOUT", 60.0) + 2.0 * size / 1e6


def _check_one(path):
    """One report, bounded in time in this process too (``-j 1`` has no parent to kill a worker
    that hangs): a hostile file that makes building the document run past :func:`build_budget`
    gets an FZ-X02 result instead of hanging the run."""
    ruleset, options = _WORK["ruleset"], _WORK["options"]
    seconds = build_budget(path)
    result = None
    try:
        with Watchdog() as dog, dog.budget(seconds, "读取和整理报告（不含各条规则）"):
            result = run_guarded(path, lambda: check_path(path, ruleset, **options))
    except TimeBudgetExceeded:           # ran out just as the report finished
        pass
    if dog.fired or result is None:
        return failed_result(path, TIMEOUT_RULE, f"读取和整理这个报告超过 {seconds:.0f} 秒（超时），该报告没有结果；"
                                                 "其他报告不受影响（可用 FAZHI_LINT_BUILD_TIMEOUT 调整）")
    return result


def _worker_main(conn) -> None:
    """Loop of a forked worker: receive (index, path), send back (index, Result)."""
    import gc

    gc.enable()                                         # the parent paused it for itself (_collecting)
    signal.signal(signal.SIGINT, signal.SIG_IGN)        # the parent decides what Ctrl-C means
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        os.dup2(2, 1)                                   # a plugin's print must not reach the report
        sys.stdout = sys.stderr
    except OSError:
        pass
    try:
        while True:
            item = conn.recv()
            if item is None:
                break
            index, path = item
            conn.send((index, _check_one(path)))
    except (EOFError, OSError):                         # the parent has gone: leave quietly
        pass
    finally:
        os._exit(0)


class _Worker:
    """A forked worker and the jobs it holds, oldest first. It holds up to ``QUEUE_DEPTH`` jobs so
    that it starts the next report the moment it sends a result, without waiting for the parent
    (which on a busy machine may be off the CPU) to hand it one."""

    def __init__(self, ctx):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.jobs = []             # [(index, path)], the first being checked now
        self.started = 0.0         # when the first job started (as far as the parent knows)

    def give(self, job) -> bool:
        """Send ``job``; False when the worker can no longer take it (it has died)."""
        import time

        try:
            self.conn.send(job)
        except (OSError, ValueError):
            return False
        if not self.jobs:
            self.started = time.monotonic()
        self.jobs.append(job)
        return True

    def done_first(self) -> None:
        import time

        self.jobs.pop(0)
        self.started = time.monotonic()

    def stop(self, kill: bool = False) -> None:
        try:
            if kill:
                self.process.kill()
            else:
                self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(timeout=0 if kill else 5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        self.conn.close()


QUEUE_DEPTH = 2


def _died(path: str, how: str):
    return failed_result(path, WORKER_DIED_RULE, f"检查这个报告的进程{how}，该报告没有结果；其他报告不受影响"
                                                 "（常见原因：插件调用 os._exit、进程被系统结束或内存不足）")


def _refill(worker, pending) -> None:
    while pending and len(worker.jobs) < QUEUE_DEPTH:
        if not worker.give(pending[-1]):
            return                 # the worker has died: the job stays pending, the death is seen next
        pending.pop()


def _run_parallel(multiprocessing, files, jobs: int, progress) -> list:
    import time
    from multiprocessing.connection import wait

    ctx = multiprocessing.get_context("fork")
    limit = env_seconds("FAZHI_LINT_FILE_TIMEOUT", 600.0)
    results = [None] * len(files)
    pending = list(enumerate(files))[::-1]
    workers = [_Worker(ctx) for _ in range(min(jobs, len(files)))]
    try:
        for worker in workers:
            _refill(worker, pending)
        while any(w.jobs for w in workers):
            busy = [w for w in workers if w.jobs]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=1.0)
            now = time.monotonic()
            for i, worker in enumerate(workers):
                if not worker.jobs:
                    continue
                got = False
                while worker.jobs and worker.conn in ready and worker.conn.poll():
                    try:
                        got_index, outcome = worker.conn.recv()
                    except (EOFError, OSError):
                        break
                    results[got_index] = outcome
                    progress.step(worker.jobs[0][1])
                    worker.done_first()
                    got = True
                if got:
                    _refill(worker, pending)
                    continue
                if not worker.jobs:
                    continue
                index, path = worker.jobs[0]
                timed_out = now - worker.started > limit
                if worker.process.sentinel in ready or worker.conn in ready or timed_out \
                        or not worker.process.is_alive():
                    code = worker.process.exitcode
                    how = (f"超过 {limit:g} 秒没有结束，已被终止" if timed_out else
                           f"意外退出（退出码 {code}）" if code is not None and code >= 0 else
                           f"被信号 {-code} 结束" if code is not None else "意外中断")
                    results[index] = _died(path, how)
                    progress.step(path)
                    pending.extend(reversed(worker.jobs[1:]))     # not started: back to the front
                    worker.jobs = [worker.jobs[0]]
                    worker.stop(kill=True)
                    workers[i] = _Worker(ctx)
                    _refill(workers[i], pending)
            for i, worker in enumerate(workers):
                if pending and not worker.jobs:       # it died between two reports, holding none
                    if not worker.process.is_alive():
                        worker.stop(kill=True)
                        workers[i] = worker = _Worker(ctx)
                    _refill(worker, pending)
    finally:
        for worker in workers:
            worker.stop(kill=bool(worker.jobs))
    return results


class _NoProgress:
    def start(self, total):
        pass

    def step(self, path):
        pass

    def finish(self):
        pass


_NO_PROGRESS = _NoProgress()


def _collecting(run, *args):
    """``run(*args)`` with the parent's garbage collector paused: the parent only gathers results,
    which hold no reference cycles, and each full collection would walk every result gathered so
    far (about 0.3 s of a 2,000-report batch). What exists before the fork (rules, plugins) is
    frozen out of later collections, so the workers do not walk it either (they collect normally).
    The results are frozen too once gathered: formatting them need not walk them again."""
    import gc

    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        return run(*args)
    finally:
        if enabled:
            gc.enable()
        gc.freeze()


def check_paths(files, ruleset, jobs: int = 0, progress=None, **options) -> list:
    """Results for ``files`` in order; ``jobs`` 0 means one per CPU for a large enough batch.

    ``progress`` (cli/progress.py: ``start(total)``, ``step(path)``, ``finish()``) hears of each file
    as its result comes back."""
    progress = progress or _NO_PROGRESS
    jobs = default_jobs(len(files)) if jobs <= 0 else min(jobs, max(1, len(files)))
    progress.start(len(files))
    _WORK.update(ruleset=ruleset, options=options)
    try:
        if jobs > 1:
            import multiprocessing  # only for a batch (≈7 ms of start-up otherwise)

            if "fork" in multiprocessing.get_all_start_methods():
                warm_up(ruleset)
                return _collecting(_run_parallel, multiprocessing, files, jobs, progress)
        results = []
        for path in files:
            results.append(_check_one(path))
            progress.step(path)
        return results
    finally:
        _WORK.clear()
        progress.finish()
