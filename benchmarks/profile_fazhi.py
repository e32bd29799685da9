#!/usr/bin/env python3
"""Profile one fazhi-lint run in-process with cProfile and print where the time goes.

    python benchmarks/profile_fazhi.py [--top 25] [--save FILE.prof] [--issue2] TARGET [fazhi-lint options]

Runs ``checker.cli.main`` on TARGET (default options: --format json --fail-on never --jobs 1, output
to /dev/null; --issue2 adds --select with issue 2's rules; other options go to fazhi-lint) under cProfile,
then prints
  * own time per source file of the ``checker`` package (and "other" libraries grouped by top folder),
  * the functions with the most own time (tottime), and
  * the functions with the most cumulative time inside ``checker``.
Shares are of the whole profiled run. cProfile inflates the cost of many small Python calls, so
use the shares to rank hotspots and run_bench.py for wall-clock figures.
For import (cold-start) cost use:  PYTHONPROFILEIMPORTTIME=1 fazhi-lint one.txt 2>&1 >/dev/null | sort -t'|' -k2 -n
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys


def short(path: str) -> str:
    """Shorten a source path: checker/... for the project, else site-packages' top folder."""
    norm = path.replace(os.sep, "/")
    if "/checker/" in norm:
        return "checker/" + norm.split("/checker/", 1)[1]
    if "site-packages/" in norm:
        return "lib:" + norm.split("site-packages/", 1)[1].split("/", 1)[0]
    if path.startswith("<") or path == "~":
        return "builtins"
    return "stdlib:" + os.path.basename(path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--save", help="also write the raw profile (for snakeviz / pstats)")
    ap.add_argument("--issue2", action="store_true", help="only issue 2's rules (as run_bench's fazhi-lint[issue2])")
    ap.add_argument("target", nargs="+", help="report file(s) or folder(s)")
    args, extra = ap.parse_known_args(argv)

    # --jobs 1: worker processes would be invisible to cProfile
    cli_args = ["--format", "json", "--fail-on", "never", "--jobs", "1", "--output", os.devnull, *extra, *args.target]
    if args.issue2:
        from run_bench import ISSUE2_RULES
        cli_args[:0] = ["--select", ISSUE2_RULES]
    from checker.cli import main as fazhi_main   # imported outside the profile: import cost is -X importtime's job

    prof = cProfile.Profile()
    prof.enable()
    try:
        fazhi_main(cli_args, standalone_mode=False)
    except SystemExit:
        pass
    finally:
        prof.disable()
    if args.save:
        prof.dump_stats(args.save)
    stats = pstats.Stats(prof)
    total = stats.total_tt
    raw = stats.stats    # (file, line, func) -> (cc, nc, tt, ct, callers)

    by_file: dict[str, float] = {}
    for (path, _line, _func), (_cc, _nc, tt, _ct, _callers) in raw.items():
        by_file[short(path)] = by_file.get(short(path), 0.0) + tt
    print(f"profiled run: {total:.2f} s (cProfile clock)\n")
    print("own time by file")
    for name, tt in sorted(by_file.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {100 * tt / total:5.1f}%  {tt:7.3f} s  {name}")

    def label(key):
        path, line, func = key
        return f"{short(path)}:{line}:{func}"

    print("\nown time by function (tottime)")
    for key, (cc, nc, tt, ct, _c) in sorted(raw.items(), key=lambda kv: -kv[1][2])[: args.top]:
        print(f"  {100 * tt / total:5.1f}%  {tt:7.3f} s  {nc:>9d} calls  {label(key)}")

    print("\ncumulative time, checker functions")
    mine = [(k, v) for k, v in raw.items() if "/checker/" in k[0].replace(os.sep, "/")]
    for key, (cc, nc, tt, ct, _c) in sorted(mine, key=lambda kv: -kv[1][3])[: args.top]:
        print(f"  {100 * ct / total:5.1f}%  {ct:7.3f} s  {nc:>9d} calls  {label(key)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
