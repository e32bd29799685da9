"""Run one piece of work per report in worker processes, with every time limit kept at the process
boundary.

Each report is checked in a forked worker, even a batch of one (``-j 1``): a plugin that calls
``os._exit``, a kind that loops forever or the OOM killer then costs that report, never the run.
The worker tells its parent, through a small shared array, which report it is on and which rule
is running since when (``Watch``); the parent kills a worker whose rule runs past the rule budget,
and checks that report again in a fresh worker with the rule recorded as timed out (FZ-X02), so
every other rule of the report still gives its result. A worker that dies or stays too long outside
any rule (reading, normalising: ``report_budget``) costs exactly that report (FZ-X05 / FZ-X02);
a new worker takes over and no other result is lost. Nothing here installs a signal handler or a
timer, so a run embedded in a thread (the served desk) keeps every limit.

Workers are forked after the rule set is loaded (and warmed up), so each shares that work. Results
come back in input order. Where ``fork`` does not exist the work runs in this process, bounded only
by the rule patterns' own timeouts.
"""
from __future__ import annotations

import os
import signal
import sys
import time
from dataclasses import dataclass, field

from ..errors import TIMEOUT, WORKER, Problem
from ..helpers.guard import _UNTIMED_WATCHERS
from .watch import _BUILDING, NO_WATCH, Limits, Watch, report_budget  # noqa: F401  (re-exported)

MIN_FILES_PER_JOB = 8
QUEUE_DEPTH = 2                 # jobs a worker holds: it starts the next the moment it sends a result
MAX_RULE_TIMEOUTS = 5           # rules a report may lose to timeouts before the report is given up
_WORK: dict = {}                # what the forked workers inherit: the work function


def default_jobs(n_files: int) -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, n_files // MIN_FILES_PER_JOB))


@dataclass
class Job:
    index: int
    item: object
    timed_out: dict = field(default_factory=dict)     # rule id -> Problem, from earlier attempts


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when its parent dies, however it dies (kill -9, the OOM
    killer), so a hung worker never outlives the run. Elsewhere the worker leaves when its pipe closes."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)     # PR_SET_PDEATHSIG
    except (OSError, AttributeError, TypeError):
        pass


def _worker_main(conn, shared) -> None:
    """Loop of a forked worker: receive Jobs, send back (index, value)."""
    import gc

    _die_with_parent()
    gc.enable()                                         # the parent paused it for itself (_collecting)
    signal.signal(signal.SIGINT, signal.SIG_IGN)        # the parent decides what Ctrl-C means
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        os.dup2(2, 1)                                   # a plugin's print must not reach the report
        sys.stdout = sys.stderr
    except OSError:
        pass
    watch = Watch(shared)
    _UNTIMED_WATCHERS.append(watch)
    work = _WORK["work"]
    try:
        while True:
            job = conn.recv()
            if job is None:
                break
            watch.start(job.index)
            conn.send((job.index, work(job.item, job.timed_out, watch)))
    except (EOFError, OSError):                         # the parent has gone: leave quietly
        pass
    finally:
        for hook in _WORK.get("at_worker_exit", ()):
            try:
                hook()
            except Exception:       # a cache that cannot be written is only slower
                pass
        os._exit(0)


class _Worker:
    def __init__(self, ctx):
        import ctypes
        import mmap

        # an anonymous shared page, not multiprocessing's RawArray: that one is backed by a file,
        # which ``ulimit -f`` (a small file-size limit) refuses, and the run would end in a traceback
        self._page = mmap.mmap(-1, mmap.PAGESIZE)
        self.shared = (ctypes.c_double * 3).from_buffer(self._page)
        self.shared[0] = -1.0
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, self.shared), daemon=True)
        self.process.start()
        child.close()
        self.jobs = []             # Jobs, the first being worked on now
        self.sent_at = 0.0         # when the first job was handed over (before the worker says it started)

    def give(self, job) -> bool:
        """Send ``job``; False when the worker can no longer take it (it has died)."""
        try:
            self.conn.send(job)
        except (OSError, ValueError):
            return False
        if not self.jobs:
            self.sent_at = time.monotonic()
        self.jobs.append(job)
        return True

    def running(self):
        """(rule index or None while reading, seconds since it started) for the first job."""
        job = self.jobs[0]
        if self.shared[0] != float(job.index):           # not started yet (the worker is finishing the last one)
            return None, time.monotonic() - self.sent_at
        index, started = self.shared[1], self.shared[2]
        return (None if index == _BUILDING else int(index)), time.monotonic() - started

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


def _died(limits, item, how: str):
    return limits.failed(item, Problem(WORKER, f"检查这个报告的进程{how}，该报告没有结果；其他报告不受影响"
                                               "（常见原因：插件调用 os._exit、进程被系统结束或内存不足）"))


def _overrun(worker, limits):
    """Why the worker's current job must be stopped, or None: ("rule", rule id, budget), ("report",
    None, budget) outside the rules, or ("file", None, limit) past the whole report's limit."""
    rule_index, elapsed = worker.running()
    item = worker.jobs[0].item
    if time.monotonic() - worker.sent_at > limits.file_limit:
        return ("file", None, limits.file_limit)
    if rule_index is None:
        budget = limits.report_budget(item)
        return ("report", None, budget) if elapsed > budget else None
    budget = limits.rule_budget(item)
    if elapsed > budget + 1.0 and 0 <= rule_index < len(limits.rule_ids):
        return ("rule", limits.rule_ids[rule_index], budget)
    return None


def _run_parallel(multiprocessing, items, jobs: int, progress, limits) -> list:
    from multiprocessing.connection import wait

    from .evaluate import timeout_problem

    ctx = multiprocessing.get_context("fork")
    results = [None] * len(items)
    pending = [Job(i, item) for i, item in enumerate(items)][::-1]
    workers = [_Worker(ctx) for _ in range(min(jobs, len(items)))]

    def refill(worker):
        while pending and len(worker.jobs) < QUEUE_DEPTH:
            if not worker.give(pending[-1]):
                return             # the worker has died: the job stays pending, the death is seen next
            pending.pop()

    def replace(i, worker, retry=None):
        """Kill the worker; its jobs not started go back to the front (``retry`` before them)."""
        pending.extend(reversed(worker.jobs[1:]))
        if retry is not None:
            pending.append(retry)
        worker.jobs = []
        worker.stop(kill=True)
        workers[i] = _Worker(ctx)
        refill(workers[i])

    try:
        for worker in workers:
            refill(worker)
        while any(w.jobs for w in workers):
            busy = [w for w in workers if w.jobs]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=0.25)
            for i, worker in enumerate(workers):
                if not worker.jobs:
                    continue
                got = False
                while worker.jobs and worker.conn in ready and worker.conn.poll():
                    try:
                        index, value = worker.conn.recv()
                    except (EOFError, OSError):
                        break
                    results[index] = value
                    progress.step(worker.jobs[0].item)
                    worker.jobs.pop(0)
                    worker.sent_at = time.monotonic()
                    got = True
                if got:
                    refill(worker)
                    continue
                if not worker.jobs:
                    continue
                job = worker.jobs[0]
                overrun = _overrun(worker, limits)
                dead = worker.process.sentinel in ready or worker.conn in ready or not worker.process.is_alive()
                if overrun and overrun[0] == "rule" and len(job.timed_out) < MAX_RULE_TIMEOUTS:
                    _, rule_id, budget = overrun         # checked again first, that rule recorded as timed out
                    job.timed_out[rule_id] = timeout_problem(rule_id, budget, "检查代码运行超过时限，进程已被终止，"
                                                                             "本报告的其他规则照常检查")
                    replace(i, worker, retry=job)
                    continue
                if overrun or dead:
                    code = worker.process.exitcode
                    if overrun and overrun[0] == "file":
                        results[job.index] = _died(limits, job.item, f"超过 {overrun[2]:g} 秒没有结束，已被终止"
                                                                     "（可用 FAZHI_LINT_FILE_TIMEOUT 调整）")
                    elif overrun:
                        what = "读取和整理这个报告" if overrun[0] == "report" else "检查这个报告"
                        results[job.index] = limits.failed(job.item, Problem(
                            TIMEOUT, f"{what}超过 {overrun[2]:.0f} 秒（超时），该报告没有结果；其他报告不受影响"
                                     "（可用 FAZHI_LINT_BUILD_TIMEOUT / FAZHI_LINT_RULE_TIMEOUT 调整）"))
                    else:
                        how = (f"意外退出（退出码 {code}）" if code is not None and code >= 0 else
                               f"被信号 {-code} 结束" if code is not None else "意外中断")
                        results[job.index] = _died(limits, job.item, how)
                    progress.step(job.item)
                    replace(i, worker)
            for i, worker in enumerate(workers):
                if pending and not worker.jobs:       # it died between two reports, holding none
                    if not worker.process.is_alive():
                        worker.stop(kill=True)
                        workers[i] = worker = _Worker(ctx)
                    refill(worker)
    finally:
        for worker in workers:
            worker.stop(kill=bool(worker.jobs))
    return results


class _NoProgress:
    def start(self, total):
        pass

    step = start

    def finish(self):
        pass


NO_PROGRESS = _NoProgress()


def _collecting(run, *args):
    """``run(*args)`` with the parent's garbage collector paused: the parent only gathers results,
    which hold no reference cycles. What exists before the fork (rules, plugins) is frozen out of
    later collections, so the workers do not walk it either (they collect normally)."""
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


def fork_available() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def run_jobs(items, work, limits: Limits, jobs: int = 0, progress=None, before_fork=None, at_worker_exit=()) -> list:
    """``work(item, timed_out, watch)`` for every item, in order; ``jobs`` 0 means one per CPU for a
    large enough batch (at least one worker process whenever ``fork`` exists).

    ``progress`` (cli/progress.py: ``start(total)``, ``step(item)``, ``finish()``) hears of each item as
    its value comes back. ``before_fork()`` runs once before workers are forked (a kind's warm-up);
    ``at_worker_exit`` are called in each worker before it ends (writing a cache)."""
    progress = progress or NO_PROGRESS
    items = list(items)
    jobs = default_jobs(len(items)) if jobs <= 0 else min(jobs, max(1, len(items)))
    progress.start(len(items))
    try:
        if not items:
            return []
        if fork_available():
            import multiprocessing

            if before_fork is not None and jobs > 1:
                before_fork()
            _WORK.update(work=work, at_worker_exit=tuple(at_worker_exit))
            try:
                return _collecting(_run_parallel, multiprocessing, items, jobs, progress, limits)
            finally:
                _WORK.clear()
        values = []
        for item in items:
            values.append(work(item, {}, NO_WATCH))
            progress.step(item)
        return values
    finally:
        progress.finish()
