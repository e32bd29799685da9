"""Reading cost per format (issue 9's bar: a 20-page .docx or .pdf report read in <= 0.5 s).

Builds one ~20-page report from the seeds (their bodies repeated) as .txt, .docx (python-docx),
.pdf and .doc (LibreOffice, when installed), .html and .ofd, then times, in this process:

- ``read``: bytes -> text + location map (``checker.readers.read_bytes``), median of --rounds;
- ``check``: read + the whole national rule set (``engine.evaluate.check_path``), median;

and, in the same run, ``../shared/bench/baseline.py`` on the .txt (its own in-process seconds, the
least work a regex linter does), so every figure is also given as a ratio to it and to the .txt.

    python benchmarks/read_formats.py [--rounds 7] [--pages 20] [--out benchmarks/results/formats.json]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "src"))

from tests.format_fixtures import html_page, soffice_convert, write_docx, write_ofd  # noqa: E402

CHARS_PER_PAGE = 1350     # characters per A4 page of 12 pt CJK text (LibreOffice puts ~1270 on a page)


def build_report(pages: int) -> str:
    seeds = sorted(f for f in os.listdir(os.path.join(ROOT, "seeds")) if f.endswith(".txt"))
    with open(os.path.join(ROOT, "seeds", seeds[0]), encoding="utf-8") as handle:
        text = handle.read().rstrip("\n")
    bodies = []
    for name in seeds[1:]:
        with open(os.path.join(ROOT, "seeds", name), encoding="utf-8") as handle:
            bodies.append(handle.read())
    paragraphs = [p for body in bodies for p in body.split("\n") if len(p) > 60]
    i = 0
    while len(text) < pages * CHARS_PER_PAGE:
        text += "\n" + paragraphs[i % len(paragraphs)]
        i += 1
    return text + "\n"


def median_time(func, rounds: int) -> tuple:
    """Median wall and CPU seconds of ``func`` (CPU time is the fairer figure on a loaded machine)."""
    walls, cpus = [], []
    for _ in range(rounds):
        start, cpu = time.perf_counter(), time.process_time()
        func()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def baseline_seconds(path: str, rounds: int) -> float:
    script = os.path.join(ROOT, "..", "shared", "bench", "baseline.py")
    if not os.path.exists(script):
        return float("nan")
    found = []
    for _ in range(rounds):
        done = subprocess.run([sys.executable, script, "--format", "none", path], capture_output=True, text=True)
        m = re.search(r"([\d.]+) s in-process", done.stderr)
        if m:
            found.append(float(m.group(1)))
    return statistics.median(found) if found else float("nan")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results", "formats.json"))
    args = ap.parse_args(argv)

    from checker.engine.evaluate import check_path
    from checker.plugins import build_plugins
    from checker.readers import read_bytes
    from checker.rules import load_ruleset

    work = tempfile.mkdtemp(prefix="fazhi-formats-")
    text = build_report(args.pages)
    files = {"txt": os.path.join(work, "report.txt"), "docx": os.path.join(work, "report.docx"),
             "html": os.path.join(work, "report.html"), "ofd": os.path.join(work, "report.ofd")}
    with open(files["txt"], "w", encoding="utf-8") as handle:
        handle.write(text)
    write_docx(text, files["docx"], header="区人民政府文件")
    with open(files["html"], "wb") as handle:
        handle.write(html_page(text, "gb2312"))
    write_ofd(text, files["ofd"])
    if shutil.which("soffice") or shutil.which("libreoffice"):
        soffice_convert([files["docx"]], "pdf", work)
        soffice_convert([files["docx"]], "doc", work)
        for fmt in ("pdf", "doc"):
            if os.path.exists(os.path.join(work, "report." + fmt)):
                files[fmt] = os.path.join(work, "report." + fmt)
    pages = None
    if "pdf" in files:
        import pypdfium2 as pdfium

        pages = len(pdfium.PdfDocument(files["pdf"]))
    ruleset = load_ruleset(build_plugins())
    check_path(files["txt"], ruleset)                # warm up: lexicons, jieba, lazy imports
    results = {}
    for fmt, path in files.items():
        with open(path, "rb") as handle:
            data = handle.read()
        read_bytes(data, path)                      # first use imports the reader's library
        rounds = 1 if fmt == "doc" else args.rounds  # .doc: one LibreOffice conversion is seconds
        read_wall, read_cpu = median_time(lambda: read_bytes(data, path), rounds)
        results[fmt] = {"bytes": len(data), "read_s": read_wall, "read_cpu_s": read_cpu,
                        "check_s": median_time(lambda: check_path(path, ruleset), rounds)[0]}
    base = baseline_seconds(files["txt"], 3)
    txt_read = results["txt"]["read_s"]
    print(f"report: {len(text)} characters, {pages or '?'} PDF pages (LibreOffice); baseline.py on the .txt: {base:.4f} s in-process")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (read s is wall time, read cpu s the process's CPU time)")
    print(f"{'format':6} {'bytes':>9} {'read s':>8} {'cpu s':>7} {'x txt':>7} {'x base':>7} {'check s':>8} {'bar 0.5 s':>9}")
    for fmt, r in results.items():
        ok = "" if fmt not in ("docx", "pdf") else ("met" if r["read_s"] <= 0.5 else "MISSED")
        print(f"{fmt:6} {r['bytes']:9d} {r['read_s']:8.4f} {r['read_cpu_s']:7.4f} {r['read_s'] / txt_read:7.0f} "
              f"{r['read_s'] / base:7.2f} {r['check_s']:8.4f} {ok:>9}")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump({"characters": len(text), "pdf_pages": pages, "baseline_s": base, "load": os.getloadavg()[0],
                   "formats": results}, handle, indent=1)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
