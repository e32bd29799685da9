#!/usr/bin/env python3
"""Issue 12's speed bar: writing the office's batch outputs (html, xlsx, feedback letters) for
1,000 reports adds at most 50 % to the same run with ``--format json``.

    python benchmarks/bench_outputs.py                 # N=1000, 3 interleaved rounds
    python benchmarks/bench_outputs.py -n 200 --rounds 5

The corpus is made by ``../shared/bench/make_corpus.py`` (the same generator as run_bench.py) in
``/tmp/fzbench-outputs``. Every figure is one process, timed from spawn to exit; CPU time is user +
system of the process and its workers (``os.wait4``). The machine is shared, so wall time moves
with the load; CPU time is the steadier figure and the bar is judged on it (wall is shown too).
``../shared/bench/baseline.py`` runs in the same rounds, as every benchmark here reports it.
Results: a table on stdout and ``benchmarks/results/outputs-latest.json``.
"""
from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_bench import (DEFAULT_BENCH_SRC, REPO, interleaved, median, prepare_corpus,  # noqa: E402
                       summarise)

BAR = 1.5


def _jobs(fazhi: str, python: str, bench: Path, reports: Path, out: Path):
    fazhi = shlex.split(fazhi)
    base = fazhi + ["--fail-on", "never", "--quiet"]
    return [
        ("baseline", [python, str(bench / "baseline.py"), "--format", "json", str(reports)], None),
        ("json", base + ["--format", "json", str(reports)], None),
        ("html", base + ["--format", f"html:{out / 'review.html'}", str(reports)], None),
        ("xlsx", base + ["--format", f"xlsx:{out / 'review.xlsx'}", str(reports)], None),
        ("letters", fazhi + ["feedback", "--quiet", str(reports), "--output-dir", str(out / "letters")], None),
        ("json+html+xlsx", base + ["--format", "json", "--format", f"html:{out / 'all.html'}",
                                   "--format", f"xlsx:{out / 'all.xlsx'}", str(reports)], None),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="reports in the corpus (default 1000)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "fzbench-outputs"))
    parser.add_argument("--bench-src", default=str(DEFAULT_BENCH_SRC))
    parser.add_argument("--corpus", default=None, help="an existing corpus folder (with reports/)")
    parser.add_argument("--seeds", default=str(REPO / "seeds"))
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--fazhi", default=shutil.which("fazhi-lint") or "fazhi-lint",
                        help="the command to time, e.g. 'python -m checker' run from a snapshot of the tree")
    args = parser.parse_args(argv)
    corpus = prepare_corpus(args)
    reports = corpus / "reports"
    n_reports = len(list(reports.glob("*.txt")))
    bench = Path(args.work) if (Path(args.work) / "baseline.py").exists() else Path(args.bench_src)
    with tempfile.TemporaryDirectory() as tmp:
        jobs = _jobs(args.fazhi, args.python, bench, reports, Path(tmp))
        times = interleaved(jobs, args.rounds, args.timeout, "outputs")
        letters = len(list((Path(tmp) / "letters").glob("*.docx")))
    stats = {name: summarise(runs) for name, runs in times.items()}
    json_cpu, json_wall = stats["json"]["cpu_median"], stats["json"]["median"]
    rows = []
    print(f"\n{n_reports} reports, {args.rounds} rounds; {letters} letters written per feedback run\n")
    print(f"{'run':<16}{'wall s':>9}{'CPU s':>9}{'CPU/json':>10}{'wall/json':>11}{'CPU/baseline':>14}  bar")
    for name, s in stats.items():
        cpu_ratio = s["cpu_median"] / json_cpu if json_cpu else None
        wall_ratio = s["median"] / json_wall if json_wall else None
        base = s["cpu_median"] / stats["baseline"]["cpu_median"] if stats["baseline"]["cpu_median"] else None
        judged = name in ("html", "xlsx", "letters")
        met = (cpu_ratio is not None and cpu_ratio <= BAR) if judged else None
        rows.append({"run": name, "wall": s["median"], "cpu": s["cpu_median"], "cpu_vs_json": cpu_ratio,
                     "wall_vs_json": wall_ratio, "cpu_vs_baseline": base, "bar": BAR if judged else None,
                     "met": met, "exit_codes": s["exit_codes"]})
        print(f"{name:<16}{s['median']:>9.2f}{s['cpu_median']:>9.2f}{cpu_ratio:>10.2f}{wall_ratio:>11.2f}"
              f"{base:>14.2f}  " + ("" if met is None else ("met" if met else "MISSED") + f" (≤ {BAR})"))
    out = REPO / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "outputs-latest.json").write_text(json.dumps({"n": n_reports, "rounds": args.rounds, "rows": rows},
                                                        ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if all(r["met"] is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
