#!/usr/bin/env python3
"""The desk's speed bar (issue 23): a 300-report inbox checked and browsable with ``fazhi-lint serve``
within 1.5x the time of ``fazhi-lint --format json`` on the same inbox; the ranking page of those
300 reports in at most 300 ms of server time.

    python benchmarks/serve_bench.py [-n 300] [--rounds 3] [--corpus DIR]

Each round, interleaved: ``fazhi-lint --format json --fail-on never INBOX > /dev/null`` (spawn to
exit), then ``fazhi-lint serve INBOX --db NEW.db --port 0`` from spawn until the inbox is checked and
stored (GET /api/progress says done) and the ranking page answers with every report (GET / has a row
per report): "checked and browsable". Then five GET / and their ``Server-Timing`` (the desk's own
time for the page). Medians; the corpus is ../shared/bench/make_corpus.py's (deterministic).
Exit 0; 1 with --strict when a bar is missed.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MAKE_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"
SEEDS = REPO.parent / "shared" / "seeds"


def corpus(n: int) -> Path:
    folder = Path(tempfile.gettempdir()) / f"fzserve-corpus-{n}"
    if not (folder / "reports").is_dir() or len(list((folder / "reports").iterdir())) != n:
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(folder), "-n", str(n), "--seeds", str(SEEDS),
                        "--big-mb", "1"], check=True, capture_output=True)
    return folder / "reports"


def time_json(inbox: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "checker", "--format", "json", "--fail-on", "never", str(inbox)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def _get(url: str):
    with urllib.request.urlopen(url, timeout=60) as answer:
        return answer.read(), dict(answer.headers)


def time_serve(inbox: Path, n: int, pages: list) -> float:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "checker", "serve", str(inbox), "--db", f"{folder}/d.db",
                                    "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            url = None
            while url is None:
                found = re.search(r"(http://127\.0\.0\.1:\d+)/", process.stdout.readline())
                url = found.group(1) if found else None
            while True:
                state = json.loads(_get(url + "/api/progress")[0]).get("state")
                if state in ("done", "failed"):
                    break
                time.sleep(0.02)
            body, _ = _get(url + "/")
            elapsed = time.perf_counter() - started
            assert body.decode("utf-8").count("<tr data-report=") == n, "the ranking does not list every report"
            for _ in range(5):
                _, headers = _get(url + "/")
                pages.append(float(headers.get("server-timing", headers.get("Server-Timing")).split("dur=")[1]))
            return elapsed
        finally:
            process.terminate()
            process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    inbox = args.corpus or corpus(args.n)
    n = len([p for p in inbox.iterdir() if p.suffix == ".txt"])
    json_times, serve_times, pages = [], [], []
    time_json(inbox)                                      # warm the user cache and the page cache once
    for _ in range(args.rounds):
        json_times.append(time_json(inbox))
        serve_times.append(time_serve(inbox, n, pages))
    j, s, p = statistics.median(json_times), statistics.median(serve_times), statistics.median(pages)
    print(f"inbox: {n} reports ({inbox}); {args.rounds} rounds; load {os.getloadavg()[0]:.2f}; {os.cpu_count()} CPUs")
    print(f"fazhi-lint --format json       median {j:6.2f} s   {['%.2f' % x for x in json_times]}")
    print(f"fazhi-lint serve (browsable)   median {s:6.2f} s   {['%.2f' % x for x in serve_times]}   ratio {s / j:.2f} (bar 1.5)")
    print(f"ranking page, server time      median {p:6.1f} ms  max {max(pages):.1f} ms (bar 300 ms)")
    missed = s / j > 1.5 or p > 300
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
