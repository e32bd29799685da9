#!/usr/bin/env python3
"""Copy detection's cost (issue 14's bar): a batch checked with ``--copies`` against the same batch
without it, and the regex baseline of ../shared/bench, in one run.

    python benchmarks/copies_bench.py [-n 10000] [--rounds 2] [--work /tmp/fzbench-copies] [--jobs 0]

1. corpus  ../shared/bench/make_corpus.py builds N reports (no big files) in the work folder,
           unless one with the same N is there already;
2. timed   rounds interleaved (the order rotates): ``fazhi-lint --format json --fail-on never``,
           the same with ``--copies``, and ``baseline.py --format json``; every run a new process,
           wall time from spawn to exit, CPU time (user + sys, children included) from os.wait4;
3. result  medians, the ratio with/without copy detection (bar: <= 2) and the number of FZ-Y03
           findings and of reports carrying one, from the last --copies run.

Writes benchmarks/results/copies-latest.json. The corpus is made by recombining the paragraphs of
five seed reports, so every paragraph is shared by hundreds of reports: copy detection treats text
that more than MAX_SHARERS reports share as a template (see docs/year-over-year.md for what that
means for the findings on this corpus).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH_SRC = HERE.parent.parent / "shared" / "bench"


def timed(cmd, out_path=None) -> dict:
    start = time.perf_counter()
    with open(out_path or os.devnull, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "exit": os.waitstatus_to_exitcode(status)}


def build_corpus(work: Path, n: int) -> Path:
    corpus = work / "corpus"
    manifest = corpus / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text())["n"] == n:
        return corpus / "reports"
    work.mkdir(parents=True, exist_ok=True)
    for name in ("make_corpus.py", "baseline.py", "rules.yaml"):
        shutil.copy(BENCH_SRC / name, work / name)
    seeds = HERE.parent / "seeds"
    subprocess.run([sys.executable, str(work / "make_corpus.py"), str(corpus), "-n", str(n), "--big-mb", "",
                    "--seeds", str(seeds)], check=True, stdout=subprocess.DEVNULL)
    return corpus / "reports"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--work", default="/tmp/fzbench-copies")
    ap.add_argument("--jobs", default="0", help="fazhi-lint --jobs (0: one per CPU)")
    a = ap.parse_args(argv)
    work = Path(a.work)
    reports = build_corpus(work, a.n)
    fazhi = shutil.which("fazhi-lint") or "fazhi-lint"
    tools = {
        "fazhi-lint": [fazhi, "--format", "json", "--fail-on", "never", "--jobs", a.jobs, str(reports)],
        "fazhi-lint --copies": [fazhi, "--format", "json", "--fail-on", "never", "--jobs", a.jobs, "--copies",
                                str(reports)],
        "baseline": [sys.executable, str(work / "baseline.py"), "--format", "json", "--jobs", "2", str(reports)],
    }
    runs = {name: [] for name in tools}
    names = list(tools)
    last_copies = work / "copies.json"
    for r in range(a.rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            runs[name].append(timed(tools[name], last_copies if name == "fazhi-lint --copies" else None))
            print(f"round {r + 1} {name}: {runs[name][-1]['wall']:.1f} s", file=sys.stderr)
    med = {name: {k: statistics.median(x[k] for x in rs) for k in ("wall", "cpu", "rss_mb")} for name, rs in runs.items()}
    data = json.loads(last_copies.read_text(encoding="utf-8"))
    y03 = [g for f in data["files"] for g in f["findings"] if g["rule"] == "FZ-Y03"]
    with_y03 = sum(any(g["rule"] == "FZ-Y03" for g in f["findings"]) for f in data["files"])
    ratio = med["fazhi-lint --copies"]["wall"] / med["fazhi-lint"]["wall"]
    result = {"n": a.n, "rounds": a.rounds, "load": os.getloadavg(), "medians": med,
              "copies_over_plain": ratio, "cpu_copies_over_plain": med["fazhi-lint --copies"]["cpu"] / med["fazhi-lint"]["cpu"],
              "plain_over_baseline": med["fazhi-lint"]["wall"] / med["baseline"]["wall"],
              "fz_y03_findings": len(y03), "reports_with_fz_y03": with_y03,
              "exits": {name: [x["exit"] for x in rs] for name, rs in runs.items()}}
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "copies-latest.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"{'tool':24} {'wall s':>8} {'cpu s':>8} {'rss MB':>8}")
    for name, m in med.items():
        print(f"{name:24} {m['wall']:8.1f} {m['cpu']:8.1f} {m['rss_mb']:8.0f}")
    print(f"--copies / plain: wall {ratio:.2f} (bar <= 2), cpu {result['cpu_copies_over_plain']:.2f}; "
          f"FZ-Y03 findings {len(y03)} on {with_y03} of {a.n} reports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
