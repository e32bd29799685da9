#!/usr/bin/env python3
"""Speed benchmark for fazhi-lint against the regex baseline, in one run (issue 2, "Bar", speed).

    python benchmarks/run_bench.py [-n 2000] [--rounds 5] [--cold-runs 15] [--big-rounds 3]
                                   [--corpus DIR] [--fazhi 'fazhi-lint --format json --fail-on never {}']
                                   [--variants [--no-issue2]] [--no-big] [--strict]

Tools timed (every command is a new process; stdout goes to /dev/null):
  fazhi-lint          the --fazhi command: every rule the installed national pack loads;
  fazhi-lint[issue2]  (--variants) the same with --select limited to issue 2's rules (FZ-S01..S05, S07, N01,
                      T01, T02, W01, W02, C01..C04), which is what issue 2's bar is about
                      (--no-issue2 drops it; it is also dropped when --fazhi already has --select);
  baseline            ../shared/bench/baseline.py --format json: read every file, one pass of ~35
                      precompiled regexes, JSON out -- the floor for a linter of this kind.

Steps, in order:
  1. corpus   copy ../shared/bench to a writable work folder (default /tmp/fzbench) and build the
              corpus with make_corpus.py (N reports + big/big_1MB.txt, big/big_10MB.txt), unless
              --corpus names an existing one or the work folder already holds one with the same N;
  2. verify   run every tool once per target with PYTHONPROFILEIMPORTTIME=1 (= python -X importtime,
              inherited by the console script): the import log says whether jieba was imported;
              fazhi-lint's JSON output is checked (files, unreadable files, FZ-X01/X02 internal errors);
  3. corpus   whole corpus in one process per tool, rounds interleaved (order rotates), medians;
  4. cold     one report (the corpus' first), 2 warm-up + K runs per tool, interleaved, with
              `python -c pass` as the floor;
  5. big      big_1MB.txt and big_10MB.txt, interleaved rounds, medians.
Wall time is time.perf_counter() around spawn..exit; CPU time and peak RSS come from os.wait4.

Bars (ratios within this run, never against figures from another machine), per fazhi-lint variant:
  corpus   median <= 3 x the baseline's median on the same files
  cold     median on one report <= 0.3 s
  big      median on 10 MB <= 10 x its median on 1 MB
  jieba    not imported in any run
Bytecode: by default the tools run with a .pyc cache under the work folder (PYTHONPYCACHEPREFIX;
PYTHONDONTWRITEBYTECODE dropped) as on an installed machine; the cold start is also timed in the
environment as given ("fazhi-lint (env as given)"). --bytecode env keeps the environment as given.

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
JIEBA_RULES = "FZ-N02"          # the national rules whose checker loads jieba (plan_answers, segmenter: jieba)
# Bars per variant: issue 2 (its 15 rules): corpus <= 3x, cold start <= 0.3 s, 10 MB <= 10x 1 MB, no jieba;
# issue 3 (full pack without the jieba rules): <= 3x, no jieba; issue 13 (the full pack, jieba rule
# included): corpus <= 3x and cold start <= 0.3 s too (jieba may be imported, only when a report needs it).
CORPUS_LIMIT: dict = {}
JIEBA_ALLOWED = {"fazhi-lint"}
ISSUE2_RULES = ("FZ-S01,FZ-S02,FZ-S03,FZ-S04,FZ-S05,FZ-S07,FZ-N01,FZ-T01,FZ-T02,"
                "FZ-W01,FZ-W02,FZ-C01,FZ-C02,FZ-C03,FZ-C04")

BAR_CORPUS_RATIO = 3.0
BAR_COLD_SECONDS = 0.3
BAR_BIG_RATIO = 10.0
BIG_FILES = ("big_1MB", "big_10MB")


# --------------------------------------------------------------------------- commands

def expand(template: str, target) -> list:
    """Split a command template and put the target where ``{}`` is (or append it)."""
    argv = shlex.split(template)
    if "{}" in argv:
        return [str(target) if a == "{}" else a for a in argv]
    return argv + [str(target)]


def with_options(template: str, *options: str) -> str:
    """The template with extra options placed just before the target."""
    argv = shlex.split(template)
    at = argv.index("{}") if "{}" in argv else len(argv)
    return shlex.join(argv[:at] + list(options) + argv[at:])


def run_once(argv, timeout: float, env=None, stdout_path=None) -> dict:
    """Run one process; return wall/user/sys seconds, peak RSS (MB), exit code and stderr.

    stdout goes to /dev/null unless ``stdout_path`` is given; stderr to a temporary file."""
    with tempfile.TemporaryFile() as err, open(stdout_path or os.devnull, "wb") as out:
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


def ratio(a, b):
    return a / b if a is not None and b else None


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

    def first(path, key):
        try:
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith(key):
                        return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return ""
    mem = first("/proc/meminfo", "MemTotal")
    fz = expand(args.fazhi, "x")[0]
    status = sh(["git", "-C", str(REPO), "status", "--porcelain", "--", "src", "rules"])
    return {
        "cpu": first("/proc/cpuinfo", "model name") or platform.processor(),
        "cores": os.cpu_count(),
        "memory": f"{int(mem.split()[0]) / 1024 / 1024:.1f} GiB" if mem else "",
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "python_path": args.python,
        "fazhi_lint": sh([fz, "--version"]).splitlines()[0] if shutil.which(fz) and sh([fz, "--version"]) else "",
        "rule_packs": (sh([fz, "--version"]).splitlines()[1:] or [""])[0] if shutil.which(fz) else "",
        "commit": sh(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
        "uncommitted_src_rules_files": len(status.splitlines()) if status else 0,
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
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
            top.append((round(int(parts[1]) / 1000, 1), name))
    top.sort(reverse=True)
    return modules, other, top[:12]


def verify(argv, timeout, out_path=None, env=None) -> dict:
    """One run with the import log on; report jieba, exit code, stderr and (JSON) output checks."""
    env = dict(env or os.environ, PYTHONPROFILEIMPORTTIME="1")
    r = run_once(argv, timeout, env=env, stdout_path=out_path)
    modules, other, top = parse_importtime(r["stderr"])
    jieba = sorted({m for m in modules if m.split(".")[0] == "jieba"})
    res = {"command": shlex.join(argv), "rc": r["rc"], "timeout": r["timeout"],
           "wall_with_importtime": r["wall"], "rss_mb": r["rss_mb"],
           "modules_imported": len(modules),
           "jieba_imported": (bool(jieba) if modules else None),   # None: no import log seen
           "jieba_modules": jieba[:10], "top_imports_ms": top,
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
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        return {"output": "JSON without a 'files' list"}
    files = data["files"]
    findings = [f for x in files for f in (x.get("findings") or [])]
    internal = {}
    for f in findings:
        if f.get("rule") in ("FZ-X01", "FZ-X02"):
            key = f"{f['rule']}: {str(f.get('message', ''))[:160]}"
            internal[key] = internal.get(key, 0) + 1
    return {"output": "ok", "files": len(files), "unreadable": sum(1 for x in files if x.get("error")),
            "findings": len(findings), "internal_errors": internal}


# --------------------------------------------------------------------------- timing

def interleaved(jobs, rounds, timeout, label):
    """jobs: list of (name, argv, env). Run every job once per round, rotating the order."""
    times = {name: [] for name, _, _ in jobs}
    for r in range(rounds):
        k = r % len(jobs)
        parts = []
        for name, argv, env in jobs[k:] + jobs[:k]:
            res = run_once(argv, timeout, env=env)
            times[name].append(res)
            wall = "-" if res["wall"] is None else f"{res['wall']:.3f}s"
            parts.append(f"{name} {wall}" + (f" (rc={res['rc']})" if res["rc"] not in (0, 1) else ""))
        if label:
            print(f"   {label} round {r + 1}/{rounds}: " + "  ".join(parts), flush=True)
    return times


def summarise(runs) -> dict:
    walls = [r["wall"] for r in runs if r["wall"] is not None]
    return {"median": median(walls), "min": min(walls, default=None), "max": max(walls, default=None),
            "cpu_median": median([r["user"] + r["sys"] for r in runs if r["user"] is not None]),
            "rss_mb_max": max((r["rss_mb"] or 0 for r in runs), default=0),
            "exit_codes": sorted({r["rc"] for r in runs}, key=str), "runs": [round(w, 4) for w in walls],
            "timeouts": sum(1 for r in runs if r["timeout"])}


def bar(tool, name, value, limit, unit):
    met = value is not None and value <= limit
    return {"tool": tool, "bar": name, "value": None if value is None else round(value, 3), "limit": limit,
            "unit": unit, "met": met, "headroom": round(limit / value, 2) if value else None}


# --------------------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=2000, help="reports in the corpus (default 2000)")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds on the whole corpus (default 5)")
    ap.add_argument("--cold-runs", type=int, default=15, help="runs per tool for the cold start (default 15)")
    ap.add_argument("--big-rounds", type=int, default=3, help="interleaved rounds on the big files (default 3)")
    ap.add_argument("--corpus", help="an existing corpus folder (reports/, big/); default: build one in --work")
    ap.add_argument("--work", default=str(DEFAULT_WORK), help=f"writable copy of the bench harness (default {DEFAULT_WORK})")
    ap.add_argument("--bench-src", default=str(DEFAULT_BENCH_SRC), help="the shared bench folder to copy (default ../shared/bench)")
    ap.add_argument("--seeds", help="seed reports for make_corpus.py (default ../shared/seeds)")
    ap.add_argument("--fazhi", default=DEFAULT_FAZHI, help=f"fazhi-lint command, {{}} = target (default: {DEFAULT_FAZHI!r})")
    ap.add_argument("--no-issue2", action="store_true", help="with --variants: leave out the issue-2 rule subset")
    ap.add_argument("--variants", action="store_true",
                    help="also time --ignore FZ-N02 and issue 2's --select (the same work now: every rule runs for the score)")
    ap.add_argument("--baseline", default=DEFAULT_BASELINE,
                    help="baseline command; {python} and {bench} are filled in (default: %(default)r)")
    ap.add_argument("--python", default=sys.executable, help="interpreter for the baseline and make_corpus.py")
    ap.add_argument("--timeout", type=float, default=300, help="seconds before a single run is killed (default 300)")
    ap.add_argument("--no-big", action="store_true", help="skip the 1 MB / 10 MB files")
    ap.add_argument("--bytecode", choices=["cache", "env"], default="cache",
                    help="cache (default): .pyc cache under --work, as on an installed machine; env: environment as given")
    ap.add_argument("--out", default=str(HERE / "results" / "latest.json"), help="results JSON (default benchmarks/results/latest.json)")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a bar is missed")
    args = ap.parse_args(argv)
    if min(args.cold_runs, args.rounds, args.big_rounds) < 1:
        ap.error("rounds and runs must be >= 1")

    started = time.perf_counter()
    corpus = prepare_corpus(args)
    reports = corpus / "reports"
    files = sorted(reports.rglob("*.txt"))
    if not files:
        print(f"run_bench: no *.txt under {reports}", file=sys.stderr)
        return 2
    small = files[0]
    bench_dir = Path(args.bench_src) if args.corpus and not (Path(args.work) / "baseline.py").exists() else Path(args.work)
    baseline_tpl = args.baseline.replace("{python}", shlex.quote(args.python)).replace("{bench}", shlex.quote(str(bench_dir)))
    tools = {"fazhi-lint": args.fazhi}
    # --select/--ignore change what is shown, not what runs (the score counts every rule), so the
    # issue-2 subset and the "no jieba rule" variant of earlier runs time the same work: only with
    # --variants, to compare with the figures of those runs.
    if args.variants and "--select" not in shlex.split(args.fazhi) and "--ignore" not in shlex.split(args.fazhi):
        tools["fazhi-lint[no-jieba]"] = with_options(args.fazhi, "--ignore", JIEBA_RULES)
    if args.variants and not args.no_issue2 and "--select" not in shlex.split(args.fazhi):
        tools["fazhi-lint[issue2]"] = with_options(args.fazhi, "--select", ISSUE2_RULES)
    tools["baseline"] = baseline_tpl
    fazhi = [t for t in tools if t != "baseline"]
    big = {name: corpus / "big" / f"{name}.txt" for name in BIG_FILES}
    if args.no_big or not all(p.exists() for p in big.values()):
        big = {}
    manifest = {}
    if (corpus / "manifest.json").exists():
        manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    machine = machine_info(args)
    corpus_bytes = sum(f.stat().st_size for f in files)
    dirty = machine["uncommitted_src_rules_files"]
    print(f"== machine: {machine['cpu']} ({machine['cores']} cores, {machine['memory']}), Python {machine['python']}, "
          f"{machine['fazhi_lint']} @ {machine['commit']}" + (f" + {dirty} uncommitted files in src/ rules/" if dirty else ""))
    print(f"== corpus: {reports} ({len(files)} files, {corpus_bytes / 1e6:.1f} MB); cold-start file {small.name}")
    for name, tpl in tools.items():
        print(f"   {name:18s} {shlex.join(expand(tpl, '<target>'))}")
    env = bytecode_env(args)
    if env is not None:
        print(f"== bytecode cache: PYTHONPYCACHEPREFIX={env['PYTHONPYCACHEPREFIX']}"
              + (" (PYTHONDONTWRITEBYTECODE is set here; dropped for the timed runs)"
                 if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""))

    # ---- verification (import log + output checks); also warms the file and bytecode caches
    print("== verification runs (PYTHONPROFILEIMPORTTIME=1)")
    checks = {}
    targets = {"corpus": reports, "one": small, **big}
    with tempfile.TemporaryDirectory() as tmp:
        for tname, target in targets.items():
            for tool, tpl in tools.items():
                out = os.path.join(tmp, "out.json") if tool in fazhi else None
                v = verify(expand(tpl, target), args.timeout, out, env)
                checks[f"{tool}/{tname}"] = v
                extra = ""
                if v.get("output") == "ok":
                    extra = (f", {v['files']} files, {v['unreadable']} unreadable, {v['findings']} findings, "
                             f"{sum(v['internal_errors'].values())} internal errors")
                elif v.get("output"):
                    extra = f", output: {v['output']}"
                jieba = "?" if v["jieba_imported"] is None else ("YES" if v["jieba_imported"] else "no")
                print(f"   {tool:18s} {tname:9s} rc={v['rc']} jieba={jieba}{extra}", flush=True)
                for k, n in (v.get("internal_errors") or {}).items():
                    print(f"      !! {n} x {k}")
                if v["rc"] not in (0, 1):
                    for ln in v["stderr_tail"]:
                        print(f"      stderr: {ln}")

    def jobs(target):
        return [(t, expand(tpl, target), env) for t, tpl in tools.items()]

    print(f"== whole corpus: {args.rounds} interleaved rounds")
    corpus_runs = interleaved(jobs(reports), args.rounds, args.timeout, "corpus")

    print(f"== cold start on {small.name}: 2 warm-up + {args.cold_runs} runs each, interleaved")
    cold_jobs = jobs(small) + [("python -c pass", [args.python, "-c", "pass"], env)]
    if env is not None:
        cold_jobs.append(("fazhi-lint (env as given)", expand(args.fazhi, small), None))
    interleaved(cold_jobs, 2, args.timeout, None)
    cold_runs = interleaved(cold_jobs, args.cold_runs, args.timeout, None)

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
        "whole_corpus_round_ratios": {
            t: [round(f["wall"] / b["wall"], 3) for f, b in zip(corpus_runs[t], corpus_runs["baseline"])
                if f["wall"] and b["wall"]] for t in fazhi},
        "cold_start": {t: summarise(r) for t, r in cold_runs.items()},
        "big": {t: summarise(r) for t, r in big_runs.items()},
        "verification": checks,
    }
    bars = []
    base = res["whole_corpus"]["baseline"]["median"]
    for t in fazhi:
        bars.append(bar(t, "whole corpus, x baseline", ratio(res["whole_corpus"][t]["median"], base),
                        CORPUS_LIMIT.get(t, BAR_CORPUS_RATIO), "x"))
        bars.append(bar(t, "cold start, seconds", res["cold_start"][t]["median"], BAR_COLD_SECONDS, "s"))
        if big:
            bars.append(bar(t, "10 MB / 1 MB", ratio(res["big"][f"{t}/big_10MB"]["median"],
                                                    res["big"][f"{t}/big_1MB"]["median"]), BAR_BIG_RATIO, "x"))
        seen = [v["jieba_imported"] for k, v in checks.items() if k.split("/")[0] == t]
        where = [k.split("/")[1] for k, v in checks.items() if k.split("/")[0] == t and v["jieba_imported"]]
        value = ("imported (" + ", ".join(where) + ")") if where else ("unknown" if None in seen else "not imported")
        if t in JIEBA_ALLOWED:      # the full pack runs FZ-N02, which needs jieba: report, do not judge
            bars.append({"tool": t, "bar": "jieba imported (FZ-N02 needs it)", "value": value,
                         "limit": "only when a jieba rule runs", "unit": "", "met": True, "headroom": None})
        else:
            bars.append({"tool": t, "bar": "jieba not imported", "value": value, "limit": "not imported",
                         "unit": "", "met": value == "not imported", "headroom": None})
    bad_rc = [f"{k}: {v['rc']}" for k, v in checks.items() if v["rc"] not in (0, 1)]
    bad_rc += [f"{t} (timed): {rc}" for group in (corpus_runs, cold_runs, big_runs) for t, rs in group.items()
               for rc in sorted({r["rc"] for r in rs}, key=str) if rc not in (0, 1)]
    res["bars"] = bars
    res["machine"]["load_average_at_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    res["non_success_exit_codes"] = bad_rc
    res["bench_seconds"] = round(time.perf_counter() - started, 1)

    print_table(res, tools, fazhi, big)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(res, ensure_ascii=False, indent=1) + "\n"
    out.write_text(text, encoding="utf-8")
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    (out.parent / f"bench-{stamp}.json").write_text(text, encoding="utf-8")
    print(f"(results in {out}; the bench took {res['bench_seconds']:.0f} s)")
    if args.strict and not all(b["met"] for b in bars):
        return 1
    return 0


def print_table(res, tools, fazhi, big):
    def f(x, nd=3):
        return "-" if x is None else f"{x:.{nd}f}"
    wc = res["whole_corpus"]
    base = wc["baseline"]["median"]
    w = max(len(t) for t in list(tools) + ["fazhi-lint (env as given)"]) + 1
    loads = [res["machine"].get(k) for k in ("load_average_at_start", "load_average_at_end")]
    print("\nLoad average (1, 5, 15 min) at start / end: "
          + " / ".join("-" if x is None else ", ".join(f"{v:.2f}" for v in x) for x in loads))
    print(f"\nWhole corpus ({res['corpus']['files']} files, {res['corpus']['bytes'] / 1e6:.1f} MB), "
          f"{res['settings']['rounds']} interleaved rounds")
    base_cpu = wc["baseline"]["cpu_median"]
    print(f"  {'tool':{w}s} {'median s':>9s} {'min s':>7s} {'max s':>7s} {'CPU s':>7s} {'RSS MB':>7s} {'x base':>7s} "
          f"{'CPU x base':>10s}  exit")
    for t, s in wc.items():
        print(f"  {t:{w}s} {f(s['median']):>9s} {f(s['min']):>7s} {f(s['max']):>7s} {f(s['cpu_median'], 2):>7s} "
              f"{f(s['rss_mb_max'], 0):>7s} {f(ratio(s['median'], base), 2):>7s} {f(ratio(s['cpu_median'], base_cpu), 2):>10s}"
              f"  {','.join(map(str, s['exit_codes']))}")
    for t, rs in res["whole_corpus_round_ratios"].items():
        print(f"  per-round ratio {t}/baseline: {', '.join(f(x, 2) for x in rs)}")
    print("  (the bar is on wall time; CPU time = user + sys of the process, less sensitive to other load)")
    print(f"\nCold start on {res['corpus']['cold_start_file']} ({res['corpus']['cold_start_bytes']} bytes), "
          f"{res['settings']['cold_runs']} runs each")
    print(f"  {'tool':{w}s} {'median s':>9s} {'min s':>7s} {'max s':>7s}")
    for t, s in res["cold_start"].items():
        print(f"  {t:{w}s} {f(s['median']):>9s} {f(s['min']):>7s} {f(s['max']):>7s}")
    if big:
        bg, sizes = res["big"], res["corpus"]["big_bytes"]
        print(f"\nBig files, {res['settings']['big_rounds']} interleaved rounds "
              f"(size ratio {sizes['big_10MB'] / sizes['big_1MB']:.2f})")
        print(f"  {'tool':{w}s} {'1 MB s':>8s} {'10 MB s':>8s} {'10/1':>6s} {'RSS MB (10)':>12s}")
        for t in tools:
            a, b = bg[f"{t}/big_1MB"], bg[f"{t}/big_10MB"]
            print(f"  {t:{w}s} {f(a['median']):>8s} {f(b['median']):>8s} {f(ratio(b['median'], a['median']), 2):>6s} "
                  f"{f(b['rss_mb_max'], 0):>12s}")
    print("\nBars")
    for b in res["bars"]:
        val = b["value"] if isinstance(b["value"], str) else f"{f(b['value'])}{b['unit']}"
        lim = b["limit"] if isinstance(b["limit"], str) else f"<= {b['limit']:g}{b['unit']}"
        room = f"  (headroom x{b['headroom']:.2f})" if b.get("headroom") else ""
        print(f"  {'MET ' if b['met'] else 'MISS'}  {b['tool']:{w}s} {b['bar']:25s} {val:>14s}  {lim}{room}")
    if res["non_success_exit_codes"]:
        print("\n  !! exit codes other than 0/1 (figures still shown): " + "; ".join(res["non_success_exit_codes"]))


if __name__ == "__main__":
    sys.exit(main())
