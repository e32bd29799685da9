#!/usr/bin/env python3
"""Speed benchmark for fazhi-lint against the regex baseline, in one run (issue 2, "Bar", speed).

    python benchmarks/run_bench.py [-n 2000] [--rounds 5] [--cold-runs 15] [--big-rounds 3]
                                   [--corpus DIR] [--fazhi 'fazhi-lint --format json --fail-on never {}']
                                   [--strict]

What it does, in order (every command is a new process; stdout goes to /dev/null):
  1. corpus   copy ../shared/bench to a writable work folder (default /tmp/fzbench) and build the
              corpus with make_corpus.py (N reports + big/big_1MB.txt, big/big_10MB.txt), unless
              --corpus names an existing one or the work folder already holds one with the same N;
  2. verify   run each command once per target with PYTHONPROFILEIMPORTTIME=1 (= python -X
              importtime, inherited by the console script): the import log says whether jieba was
              imported, and fazhi-lint's JSON output is checked (files, read errors, FZ-X01/X02);
  3. corpus   whole corpus in one process per tool, rounds interleaved (order alternates), medians;
  4. cold     `fazhi-lint one.txt` (the first report) and the baseline on the same file, K runs each,
              interleaved after 2 warm-up runs; `python -c pass` is timed too as the floor;
  5. big      big_1MB.txt and big_10MB.txt, interleaved rounds, medians; the bar is the 10 MB/1 MB ratio.
Wall time is time.perf_counter() around spawn..exit; CPU time and peak RSS come from os.wait4.

The bars (ratios are taken within this run, never against figures from another machine):
  corpus   fazhi-lint median <= 3 x baseline median (baseline.py --format json, same files)
  cold     fazhi-lint median on one report <= 0.3 s
  big      fazhi-lint median on 10 MB <= 10 x its median on 1 MB
  jieba    not imported in any fazhi-lint run
Prints a table and writes benchmarks/results/latest.json (plus a time-stamped copy).
Exit code 0; with --strict, 1 when a bar is missed; 2 when the set-up fails.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_BENCH_SRC = REPO.parent / "shared" / "bench"
DEFAULT_WORK = Path(tempfile.gettempdir()) / "fzbench"
DEFAULT_FAZHI = "fazhi-lint --format json --fail-on never {}"
DEFAULT_BASELINE = "{python} {bench}/baseline.py --format json {}"

BAR_CORPUS_RATIO = 3.0
BAR_COLD_SECONDS = 0.3
BAR_BIG_RATIO = 10.0


# --------------------------------------------------------------------------- commands

def expand(template: str, target: str | os.PathLike) -> list[str]:
    """Split a command template and put the target where ``{}`` is (or append it)."""
    argv = shlex.split(template)
    if "{}" in argv:
        return [str(target) if a == "{}" else a for a in argv]
    return argv + [str(target)]


def run_once(argv, timeout: float, env=None, stdout_path=None) -> dict:
    """Run one process; return wall/user/sys seconds, peak RSS (MB), exit code and stderr tail.

    stdout goes to /dev/null unless ``stdout_path`` is given; stderr to a temporary file.
    """
    with tempfile.TemporaryFile() as err, \
            (open(stdout_path, "wb") if stdout_path else open(os.devnull, "wb")) as out:
        killed = []
        t0 = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        except OSError as exc:
            return {"wall": None, "user": None, "sys": None, "rss_mb": None, "rc": None,
                    "stderr": f"cannot start {argv[0]}: {exc}", "timeout": False}
        timer = threading.Timer(timeout, lambda: (killed.append(1), proc.kill()))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return {"wall": wall, "user": usage.ru_utime, "sys": usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024, "rc": proc.returncode, "stderr": stderr,
            "timeout": bool(killed)}


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


# --------------------------------------------------------------------------- set-up

def prepare_corpus(args) -> Path:
    """Return the corpus folder (with reports/ and big/), building it if needed."""
    if args.corpus:
        corpus = Path(args.corpus)
        if not (corpus / "reports").is_dir():
            sys.exit(f"run_bench: {corpus} has no reports/ folder (make it with make_corpus.py)")
        return corpus
    work = Path(args.work)
    if not (work / "make_corpus.py").exists():
        src = Path(args.bench_src)
        if not (src / "make_corpus.py").exists():
            sys.exit(f"run_bench: no make_corpus.py in {src} (give --bench-src or --corpus)")
        print(f"== copying {src} -> {work}")
        shutil.copytree(src, work, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("node_modules", ".venv", "results", "corpus", "peers"))
    corpus = work / "corpus"
    manifest = corpus / "manifest.json"
    if manifest.exists():
        m = json.loads(manifest.read_text(encoding="utf-8"))
        if m.get("n") == args.n and (corpus / "big" / "big_10MB.txt").exists():
            return corpus
    seeds = Path(args.seeds) if args.seeds else (
        DEFAULT_BENCH_SRC.parent / "seeds" if (DEFAULT_BENCH_SRC.parent / "seeds").is_dir() else REPO / "seeds")
    print(f"== building corpus: N={args.n} from {seeds} -> {corpus}")
    subprocess.run([args.python, str(work / "make_corpus.py"), str(corpus), "-n", str(args.n),
                    "--seeds", str(seeds)], check=True, stdout=subprocess.DEVNULL)
    return corpus


def bytecode_env(args):
    """Environment for the timed tools, or None to use ours unchanged (see --bytecode).

    Python writes no .pyc when PYTHONDONTWRITEBYTECODE is set (as in some sandboxes), so every
    run would compile fazhi-lint's sources again; an installed copy has its .pyc files. A cache
    prefix under the work folder gives the installed behaviour without writing into the repo."""
    if args.bytecode == "env":
        return None
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(args.work) / "pycache"))
    return env


def machine_info(args) -> dict:
    def sh(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    cpu = ""
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    mem = ""
    try:
        for line in open("/proc/meminfo", encoding="utf-8"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    fz = expand(args.fazhi, "x")[0]
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory": mem, "os": platform.platform(),
        "python": sys.version.split()[0], "python_path": args.python,
        "fazhi_lint": sh([fz, "--version"]) if shutil.which(fz) else "",
        "commit": sh(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
        "dirty_files": len([ln for ln in sh(["git", "-C", str(REPO), "status", "--porcelain"]).splitlines() if ln]),
    }


# --------------------------------------------------------------------------- verification

def parse_importtime(stderr: str):
    """Return (modules, other_lines, top) from a -X importtime log.

    modules: names of every imported module; top: the 12 largest top-level imports as
    (cumulative ms, name)."""
    modules, other, top = [], [], []
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            other.append(line)
            continue
        parts = line[len("import time:"):].split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue                                   # the header line
        raw = parts[2]
        name = raw.strip()
        modules.append(name)
        depth = (len(raw) - len(raw.lstrip(" ")) - 1) // 2
        if depth == 0:
            top.append((int(parts[1]) / 1000, name))
    top.sort(reverse=True)
    return modules, other, top[:12]


def verify(name, argv, timeout, out_path=None, env=None) -> dict:
    """One run with the import log on; report jieba, exit code, stderr and (JSON) output checks."""
    env = dict(env or os.environ, PYTHONPROFILEIMPORTTIME="1")
    r = run_once(argv, timeout, env=env, stdout_path=out_path)
    modules, other, top = parse_importtime(r["stderr"])
    jieba = sorted({m for m in modules if m.split(".")[0] == "jieba"})
    res = {"command": shlex.join(argv), "rc": r["rc"], "timeout": r["timeout"],
           "wall_with_importtime": r["wall"], "rss_mb": r["rss_mb"],
           "modules_imported": len(modules),
           "jieba_imported": (bool(jieba) if modules else None),   # None: not a Python process we could see
           "jieba_modules": jieba, "top_imports_ms": top,
           "stderr_tail": [ln for ln in other if ln.strip()][-5:]}
    if out_path and r["rc"] is not None:
        res.update(check_json_output(out_path))
    return res


def check_json_output(path) -> dict:
    """Summarise a fazhi-lint JSON report: files, unreadable files, findings, internal errors."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return {"output": f"not JSON: {exc}"}
    if not isinstance(data, dict) or "files" not in data:
        return {"output": "JSON without a 'files' list"}
    files = data["files"]
    findings = [f for x in files for f in (x.get("findings") or [])]
    internal = {}
    for f in findings:
        if f.get("rule") in ("FZ-X01", "FZ-X02"):
            key = f"{f['rule']}: {f.get('message', '')[:160]}"
            internal[key] = internal.get(key, 0) + 1
    return {"output": "ok", "files": len(files), "unreadable": sum(1 for x in files if x.get("error")),
            "findings": len(findings), "internal_errors": internal}


# --------------------------------------------------------------------------- timing

def interleaved(jobs, rounds, timeout, label):
    """jobs: list of (name, argv, env). Run every job once per round, rotating the order."""
    times = {name: [] for name, _, _ in jobs}
    for r in range(rounds):
        k = r % len(jobs)
        order = jobs[k:] + jobs[:k]
        parts = []
        for name, argv, env in order:
            res = run_once(argv, timeout, env=env)
            times[name].append(res)
            parts.append(f"{name} {res['wall']:.3f}s" + (f" (rc={res['rc']})" if res["rc"] not in (0, 1) else ""))
        if label:
            print(f"   {label} round {r + 1}/{rounds}: " + "  ".join(parts), flush=True)
    return times


def summarise(runs) -> dict:
    walls = [r["wall"] for r in runs]
    return {"median": median(walls), "min": min(w for w in walls if w is not None) if any(walls) else None,
            "max": max(w for w in walls if w is not None) if any(walls) else None,
            "cpu_median": median([r["user"] + r["sys"] for r in runs if r["user"] is not None]),
            "rss_mb_max": max((r["rss_mb"] or 0) for r in runs),
            "exit_codes": sorted({r["rc"] for r in runs}, key=str), "runs": [round(w, 4) for w in walls if w is not None],
            "timeouts": sum(1 for r in runs if r["timeout"])}


# --------------------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=2000, help="reports in the corpus (default 2000)")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds on the whole corpus (default 5)")
    ap.add_argument("--cold-runs", type=int, default=15, help="runs per tool for the cold start (default 15, >= 10)")
    ap.add_argument("--big-rounds", type=int, default=3, help="interleaved rounds on the big files (default 3)")
    ap.add_argument("--corpus", help="an existing corpus folder (reports/, big/); default: build one in --work")
    ap.add_argument("--work", default=str(DEFAULT_WORK), help=f"writable copy of the bench harness (default {DEFAULT_WORK})")
    ap.add_argument("--bench-src", default=str(DEFAULT_BENCH_SRC), help="the shared bench folder to copy")
    ap.add_argument("--seeds", help="seed reports for make_corpus.py (default ../shared/seeds)")
    ap.add_argument("--fazhi", default=DEFAULT_FAZHI, help=f"fazhi-lint command, {{}} = target (default: {DEFAULT_FAZHI!r})")
    ap.add_argument("--baseline", default=DEFAULT_BASELINE,
                    help="baseline command; {python} and {bench} are filled in (default: %(default)r)")
    ap.add_argument("--python", default=sys.executable, help="interpreter for the baseline and make_corpus.py")
    ap.add_argument("--timeout", type=float, default=300, help="seconds before a single run is killed (default 300)")
    ap.add_argument("--no-big", action="store_true", help="skip the 1 MB / 10 MB files")
    ap.add_argument("--bytecode", choices=["cache", "env"], default="cache",
                    help="cache (default): let the tools use a .pyc cache under --work (PYTHONPYCACHEPREFIX, "
                         "PYTHONDONTWRITEBYTECODE dropped), as on an installed machine; env: run in the environment "
                         "as given. Either way the cold start is also timed as given ('fazhi-lint (env as given)')")
    ap.add_argument("--out", default=str(HERE / "results" / "latest.json"), help="results JSON (default benchmarks/results/latest.json)")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a bar is missed")
    args = ap.parse_args(argv)
    if args.cold_runs < 1 or args.rounds < 1 or args.big_rounds < 1:
        ap.error("rounds and runs must be >= 1")

    started = time.perf_counter()
    corpus = prepare_corpus(args)
    reports = corpus / "reports"
    files = sorted(reports.rglob("*.txt"))
    if not files:
        print(f"run_bench: no *.txt under {reports}", file=sys.stderr)
        return 2
    small = files[0]
    bench_dir = Path(args.work) if not args.corpus else Path(args.bench_src)
    baseline_tpl = args.baseline.replace("{python}", shlex.quote(args.python)).replace("{bench}", shlex.quote(str(bench_dir)))
    tools = {"fazhi-lint": args.fazhi, "baseline": baseline_tpl}
    big = {name: corpus / "big" / f"{name}.txt" for name in ("big_1MB", "big_10MB")}
    if args.no_big or not all(p.exists() for p in big.values()):
        big = {}
    manifest = {}
    if (corpus / "manifest.json").exists():
        manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    machine = machine_info(args)
    corpus_bytes = sum(f.stat().st_size for f in files)
    print(f"== machine: {machine['cpu']} ({machine['cores']} cores, {machine['memory']}), Python {machine['python']}, "
          f"{machine['fazhi_lint']} @ {machine['commit']}{' +%d modified' % machine['dirty_files'] if machine['dirty_files'] else ''}")
    print(f"== corpus: {reports} ({len(files)} files, {corpus_bytes / 1e6:.1f} MB); cold-start file {small.name}")
    for name, tpl in tools.items():
        print(f"   {name:10s} {shlex.join(expand(tpl, '<target>'))}")

    env = bytecode_env(args)
    if env is not None:
        print(f"== bytecode cache: PYTHONPYCACHEPREFIX={env['PYTHONPYCACHEPREFIX']}"
              + (" (PYTHONDONTWRITEBYTECODE was set; dropped for the timed runs)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""))

    # ---- verification (import log + output checks), also warms the file and bytecode caches
    print("== verification runs (PYTHONPROFILEIMPORTTIME=1)")
    checks = {}
    targets = {"corpus": reports, "one": small, **big}
    with tempfile.TemporaryDirectory() as tmp:
        for tname, target in targets.items():
            for tool, tpl in tools.items():
                out = os.path.join(tmp, f"{tool}-{tname}.json") if tool == "fazhi-lint" else None
                v = verify(tool, expand(tpl, target), args.timeout, out, env)
                checks[f"{tool}/{tname}"] = v
                extra = ""
                if v.get("output") == "ok":
                    extra = (f", {v['files']} files, {v['unreadable']} unreadable, {v['findings']} findings, "
                             f"{sum(v['internal_errors'].values())} internal errors")
                elif v.get("output"):
                    extra = f", output: {v['output']}"
                print(f"   {tool:10s} {tname:9s} rc={v['rc']} jieba={'?' if v['jieba_imported'] is None else ('YES' if v['jieba_imported'] else 'no')}{extra}")
                for k, n in (v.get("internal_errors") or {}).items():
                    print(f"      !! {n} x {k}")
                if v["rc"] not in (0, 1):
                    for ln in v["stderr_tail"]:
                        print(f"      stderr: {ln}")

    jobs = lambda target: [(t, expand(tpl, target), env) for t, tpl in tools.items()]   # noqa: E731

    # ---- whole corpus
    print(f"== whole corpus: {args.rounds} interleaved rounds")
    corpus_runs = interleaved(jobs(reports), args.rounds, args.timeout, "corpus")
    ratios = [f["wall"] / b["wall"] for f, b in zip(corpus_runs["fazhi-lint"], corpus_runs["baseline"])]

    # ---- cold start
    print(f"== cold start on {small.name}: 2 warm-up + {args.cold_runs} runs each, interleaved")
    cold_jobs = jobs(small) + [("python -c pass", [args.python, "-c", "pass"], env)]
    if env is not None:
        cold_jobs.append(("fazhi-lint (env as given)", expand(args.fazhi, small), None))
    interleaved(cold_jobs, 2, args.timeout, None)
    cold_runs = interleaved(cold_jobs, args.cold_runs, args.timeout, None)

    # ---- big files
    big_runs = {}
    if big:
        print(f"== big files: {args.big_rounds} interleaved rounds")
        big_jobs = [(f"{t}/{b}", expand(tpl, p), env) for b, p in big.items() for t, tpl in tools.items()]
        big_runs = interleaved(big_jobs, args.big_rounds, args.timeout, "big")

    # ---- results
    res = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine,
        "commands": {t: shlex.join(expand(tpl, "{}")) for t, tpl in tools.items()},
        "corpus": {"dir": str(corpus), "files": len(files), "bytes": corpus_bytes,
                   "sha256": manifest.get("sha256"), "seed": manifest.get("seed"),
                   "cold_start_file": small.name, "cold_start_bytes": small.stat().st_size,
                   "big_bytes": {b: p.stat().st_size for b, p in big.items()}},
        "settings": {"rounds": args.rounds, "cold_runs": args.cold_runs, "big_rounds": args.big_rounds,
                     "bytecode": args.bytecode,
                     "env_as_given": {k: os.environ[k] for k in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX",
                                                                 "PYTHONOPTIMIZE") if k in os.environ}},
        "whole_corpus": {t: summarise(r) for t, r in corpus_runs.items()},
        "whole_corpus_round_ratios": [round(x, 3) for x in ratios],
        "cold_start": {t: summarise(r) for t, r in cold_runs.items()},
        "big": {t: summarise(r) for t, r in big_runs.items()},
        "verification": checks,
    }
    fz_c, bl_c = res["whole_corpus"]["fazhi-lint"]["median"], res["whole_corpus"]["baseline"]["median"]
    bars = []
    bars.append(bar("whole corpus, x baseline", fz_c / bl_c, BAR_CORPUS_RATIO, "x"))
    bars.append(bar("cold start, seconds", res["cold_start"]["fazhi-lint"]["median"], BAR_COLD_SECONDS, "s"))
    if big:
        r1, r10 = res["big"]["fazhi-lint/big_1MB"]["median"], res["big"]["fazhi-lint/big_10MB"]["median"]
        bars.append(bar("10 MB / 1 MB", r10 / r1, BAR_BIG_RATIO, "x"))
    fz_checks = [v for k, v in checks.items() if k.startswith("fazhi-lint/")]
    jieba_any = any(v["jieba_imported"] for v in fz_checks)
    jieba_unknown = any(v["jieba_imported"] is None for v in fz_checks)
    bars.append({"bar": "jieba not imported", "value": "imported" if jieba_any else ("unknown" if jieba_unknown else "not imported"),
                 "limit": "not imported", "met": (not jieba_any and not jieba_unknown), "margin": None})
    bad_rc = sorted({(k, v["rc"]) for k, v in checks.items() if v["rc"] not in (0, 1)})
    bad_rc += sorted({(f"{t} (timed)", rc) for group in (corpus_runs, cold_runs, big_runs) for t, rs in group.items()
                      for rc in {r["rc"] for r in rs} if rc not in (0, 1)})
    res["bars"] = bars
    res["non_success_exit_codes"] = [f"{k}: {rc}" for k, rc in dict.fromkeys(bad_rc)]
    res["bench_seconds"] = round(time.perf_counter() - started, 1)

    print_table(res, big)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(res, ensure_ascii=False, indent=1)
    out.write_text(text + "\n", encoding="utf-8")
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    (out.parent / f"bench-{stamp}.json").write_text(text + "\n", encoding="utf-8")
    print(f"(results in {out}; bench took {res['bench_seconds']:.0f} s)")
    if args.strict and not all(b["met"] for b in bars):
        return 1
    return 0


def bar(name, value, limit, unit):
    return {"bar": name, "value": round(value, 3), "limit": limit, "unit": unit, "met": value <= limit,
            "margin": round(limit / value, 2) if value else None}


def print_table(res, big):
    def f(x, nd=3):
        return "-" if x is None else f"{x:.{nd}f}"
    wc = res["whole_corpus"]
    base = wc["baseline"]["median"]
    print()
    print(f"Whole corpus ({res['corpus']['files']} files, {res['corpus']['bytes'] / 1e6:.1f} MB), "
          f"{res['settings']['rounds']} interleaved rounds")
    print(f"  {'tool':12s} {'median s':>9s} {'min s':>7s} {'max s':>7s} {'CPU s':>7s} {'RSS MB':>7s} {'x base':>7s}  exit")
    for t, s in wc.items():
        print(f"  {t:12s} {f(s['median']):>9s} {f(s['min']):>7s} {f(s['max']):>7s} {f(s['cpu_median'], 2):>7s} "
              f"{f(s['rss_mb_max'], 0):>7s} {f(s['median'] / base, 2):>7s}  {','.join(map(str, s['exit_codes']))}")
    print(f"  per-round ratio fazhi-lint/baseline: {', '.join(f(x, 2) for x in res['whole_corpus_round_ratios'])}")
    cs = res["cold_start"]
    print(f"\nCold start on {res['corpus']['cold_start_file']} ({res['corpus']['cold_start_bytes']} bytes), "
          f"{res['settings']['cold_runs']} runs each")
    print(f"  {'tool':26s} {'median s':>9s} {'min s':>7s} {'max s':>7s}")
    for t, s in cs.items():
        print(f"  {t:26s} {f(s['median']):>9s} {f(s['min']):>7s} {f(s['max']):>7s}")
    if big:
        bg = res["big"]
        print(f"\nBig files, {res['settings']['big_rounds']} interleaved rounds "
              f"(size ratio {res['corpus']['big_bytes']['big_10MB'] / res['corpus']['big_bytes']['big_1MB']:.2f})")
        print(f"  {'tool':12s} {'1 MB s':>8s} {'10 MB s':>8s} {'10/1':>6s} {'RSS MB (10)':>12s}")
        for t in ("fazhi-lint", "baseline"):
            a, b = bg[f"{t}/big_1MB"], bg[f"{t}/big_10MB"]
            print(f"  {t:12s} {f(a['median']):>8s} {f(b['median']):>8s} {f(b['median'] / a['median'], 2):>6s} "
                  f"{f(b['rss_mb_max'], 0):>12s}")
    print("\nBars")
    for b in res["bars"]:
        val = b["value"] if isinstance(b["value"], str) else f"{b['value']:.3f}{b['unit']}"
        lim = b["limit"] if isinstance(b["limit"], str) else f"<= {b['limit']:g}{b['unit']}"
        margin = f"  (headroom x{b['margin']:.2f})" if b.get("margin") else ""
        print(f"  {'MET ' if b['met'] else 'MISS'}  {b['bar']:26s} {val:>14s}  {lim}{margin}")
    if res["non_success_exit_codes"]:
        print("\n  !! exit codes other than 0/1 (figures still shown): " + "; ".join(res["non_success_exit_codes"]))


if __name__ == "__main__":
    sys.exit(main())
