"""The desk's checker: one thread that checks what comes in (the inbox at start, each upload) with
the same pipeline as ``fazhi-lint check`` and stores the results, one job after another.

``checker.run.run`` forks its guarded workers (engine/batch.py: per-rule and per-report time limits
at the process boundary), so a check from this thread keeps every limit. The batch keeps its work in
one module-wide slot while it runs, so the desk never runs two batches at once: ``CHECK_LOCK`` is
held by every use of the workers (a check here, a comparison on a unit page).
"""
from __future__ import annotations

import hashlib
import itertools
import os
import queue
import shutil
import threading
import time
from dataclasses import dataclass, field

from ..errors import FazhiError, UnreadableInput

CHECK_LOCK = threading.Lock()


@dataclass
class Job:
    id: int
    source: str                     # "inbox" or "upload"
    paths: tuple
    names: dict = field(default_factory=dict)      # path given -> file name shown (uploads)
    cleanup: str = ""               # a folder removed when the job is done (an upload's files)
    skip_known: bool = False        # leave out files already stored as they are (the inbox at a restart)
    state: str = "queued"           # queued / checking / storing / done / failed
    total: int = 0
    done: int = 0
    current: str = ""
    started: float = 0.0
    finished: float = 0.0
    error: str = ""
    outcome: dict = field(default_factory=dict)
    refused: list = field(default_factory=list)     # [(name, reason)] files not checked

    def to_json(self) -> dict:
        return {"id": self.id, "source": self.source, "state": self.state, "total": self.total, "done": self.done,
                "current": self.current, "error": self.error, **self.outcome,
                "refused": [{"name": n, "reason": r} for n, r in self.refused],
                "seconds": round((self.finished or time.time()) - self.started, 2) if self.started else 0.0}


class _Progress:
    """The batch's progress (``start``/``step``/``finish``) written into the job the page polls."""

    def __init__(self, job: Job, shown):
        self.job, self.shown = job, shown

    def start(self, total: int) -> None:
        self.job.total, self.job.done = total, 0

    def step(self, item) -> None:
        self.job.done += 1
        self.job.current = self.shown(getattr(item, "display", item))

    def finish(self) -> None:
        self.job.current = ""


def shown_name(display: str, names: dict) -> str:
    """The file name a reviewer sees: never a folder of the server (``a.zip!x/b.docx`` -> ``b.docx``)."""
    archive, bang, member = display.partition("!")
    if bang:
        return os.path.basename(member.replace("\\", "/")) or os.path.basename(archive)
    return names.get(display) or os.path.basename(display) or display


def scrub(text: str, paths) -> str:
    """``text`` without the server's folders (each path given is shown by its name alone)."""
    for path in sorted({p for given in paths for p in (given, os.path.abspath(given))}, key=len, reverse=True):
        folder = os.path.dirname(path.rstrip(os.sep))
        if folder and folder != os.sep:
            text = text.replace(folder + os.sep, "")
    return text


class Checker:
    """The checking thread. ``submit`` queues a job; ``job(id)`` and ``latest()`` report on it."""

    def __init__(self, store, loaded, request):
        self.store, self.loaded, self.request = store, loaded, request
        self.jobs, self._ids, self._queue = {}, itertools.count(1), queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="fazhi-lint-desk-checker", daemon=True)
        self._thread.start()

    def submit(self, paths, source: str, names=None, cleanup: str = "", skip_known: bool = False,
               refused=()) -> Job:
        job = Job(next(self._ids), source, tuple(paths), dict(names or {}), cleanup, skip_known,
                  refused=list(refused))
        self.jobs[job.id] = job
        self._queue.put(job)
        return job

    def job(self, job_id: int):
        return self.jobs.get(job_id)

    def latest(self):
        return self.jobs[max(self.jobs)] if self.jobs else None

    def idle(self) -> bool:
        return all(j.state in ("done", "failed") for j in self.jobs.values())

    def wait(self, timeout: float = 600.0) -> bool:
        end = time.monotonic() + timeout
        while not self.idle():
            if time.monotonic() > end:
                return False
            time.sleep(0.05)
        return True

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            job.started, job.state = time.time(), "checking"
            try:
                self._check(job)
                job.state = "done"
            except FazhiError as exc:
                job.state, job.error = "failed", scrub(str(exc), job.paths)
            except Exception as exc:       # the desk keeps serving; the job says what went wrong
                job.state, job.error = "failed", scrub(f"{type(exc).__name__}: {exc}", job.paths)
            finally:
                job.finished = time.time()
                if job.cleanup:
                    shutil.rmtree(job.cleanup, ignore_errors=True)

    def _known(self, job) -> tuple:
        """The paths of the job minus the plain files already stored with the same rules."""
        from sqlalchemy import select

        from ..run import collect_inputs
        from .ingest import signature

        found = collect_inputs(self.request.replace(paths=job.paths), self.loaded.ruleset)
        r = self.store.t["reports"]
        with self.store.read() as conn:
            known = set(conn.execute(select(r.c.content_hash).where(
                r.c.signature == signature(self.loaded, self.request))).scalars())
        keep, skipped = [], 0
        for item in found.inputs:
            if item.member is None and item.path:
                try:
                    with open(item.path, "rb") as handle:
                        if hashlib.sha256(handle.read(self.request.max_bytes + 1)).hexdigest() in known:
                            skipped += 1
                            continue
                except OSError:
                    pass
            keep.append(item.path)
        job.refused += [(shown_name(p, job.names), scrub(reason, job.paths)) for p, reason in found.skipped]
        return tuple(dict.fromkeys(keep)), skipped

    def _check(self, job) -> None:
        from ..run import run
        from .ingest import store_results

        paths, skipped = self._known(job) if job.skip_known else (job.paths, 0)
        if not paths:
            job.outcome = {"run": None, "added": 0, "versions": 0, "unchanged": skipped, "reports": []}
            return
        request = self.request.replace(paths=paths)
        with CHECK_LOCK:
            outcome = run(request, _Progress(job, lambda d: shown_name(d, job.names)), self.loaded)
        job.state = "storing"
        items = self._incoming(outcome, job)
        problems = [scrub(str(p), job.paths) for p in outcome.problems]
        problems += [f"{shown_name(p, job.names)}：{scrub(reason, job.paths)}" for p, reason in outcome.skipped]
        job.refused += [(shown_name(p, job.names), scrub(reason, job.paths)) for p, reason in outcome.skipped]
        label = "、".join(shown_name(p, job.names) for p in job.paths[:3]) + ("…" if len(job.paths) > 3 else "")
        stored = store_results(self.store, items, self.loaded, request, job.source, label, problems)
        job.outcome = {**stored.to_json(), "unchanged": len(stored.unchanged) + skipped}

    def _incoming(self, outcome, job) -> list:
        from dataclasses import replace

        from ..inputs import load_bytes
        from .ingest import prepare

        inputs = {i.display: i for i in outcome.inputs}
        texts = outcome.texts
        items = []
        for result in outcome.reports:
            item = inputs.get(result.path)
            if item is None:
                continue
            try:
                data = load_bytes(item, self.request.max_bytes)
            except (UnreadableInput, OSError):
                data = b""
            text = ""             # the text the run read (kept by it: no file is read or converted twice)
            if not result.error and data and texts is not None and result.path in texts:
                text = texts.text(result.path)
            if result.error:
                result = replace(result, error=scrub(result.error, job.paths))
            items.append(prepare(result, data, text, shown_name(result.path, job.names)))
        return items
