"""Fuzz the text pipeline: mutated reports through decode -> check -> every output format.

    python benchmarks/fuzz/run_fuzz.py                  # 1,000,000 inputs on every CPU
    python benchmarks/fuzz/run_fuzz.py -n 20000 -j 2 --seed 7

Inputs are made from the seed reports and the test reports: a random window of a report, then
1-6 mutations (hostile characters: control and line-break characters, ANSI escapes, invisible
and bidi characters, lone CRs, heading markers, numbers and dates that do not exist, key terms,
repeated lines, emptied or doubled spans), then turned into bytes (UTF-8, GB18030, UTF-16 with or
without BOM, Big5) and sometimes damaged at byte level (a stray byte, a truncation, a flipped
byte, mixed encodings). Each input also gets a hostile file name (quotes, <&>, newlines, escapes,
bytes that are not UTF-8). Every input goes through ``decode``; what decodes goes through the
whole rule set; the results go, in groups of ``--group`` inputs, through every output format,
each output is parsed back (JSON, SARIF as JSON, JUnit as XML, CSV), and a formula cell in the
CSV counts as a failure. A group that fails is replayed input by input to name the input.

Any exception (or unparsable output) is counted by its location (innermost frame in fazhi-lint)
and one example input is kept. The summary goes to stdout and to ``--out`` (JSON).

``--target config|compare|diff|letters`` fuzzes the configuration loaders and the commands of issue
22 instead (``command_targets.py``):

    python benchmarks/fuzz/run_fuzz.py --target config -n 20000
    python benchmarks/fuzz/run_fuzz.py --target compare -n 2000 --out benchmarks/results/fuzz_compare.json
"""
from __future__ import annotations

import argparse
import collections
import csv
import dataclasses
import io
import json
import multiprocessing
import os
import random
import signal
import sys
import time
import traceback
import xml.parsers.expat

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCES = [os.path.join(ROOT, "seeds"), os.path.join(ROOT, "tests", "data", "reports")]

HOSTILE = ["\r", "\n", "\r\n", "\x00", "\x07", "\x0b", "\x0c", "\x1b[31m", "\x1b]8;;http://x\x07", "\x7f",
           "\x85", "\u2028", "\u2029", "\u00ad", "\u180e", "\u034f", "\u200b", "\u200d", "\u200e", "\u202e",
           "\u2066", "\u2061", "\ufe0f", "\ufeff", "\U000e0041", "\ufffd", "\u3000", "\t", " ", "?", "？？？",
           "关(guān)", "一、", "二、", "（一）", "（二）", "三是", "第一", "1.", "（1）", "①", "=", "+", "-", "@",
           "=HYPERLINK(\"http://x\")", "<", "&", "]]>", "\"", "'", "%", "::", ",", ":", "年", "月", "日", "次", "%",
           "法制政府", "法治政府", "存在的不足", "主要原因", "下一年度", "主要负责人", "党政主要负责人", "述法",
           "2023年", "2024年2月30日", "2024-13-01", "20240101", "9999999999999999999次", "〇", "两", "十万",
           "一百二十三点五", "１２３", "𠀀", "\U0001f600", "é", "ｅ", "國務院", "為", "{N}", "{year}", "(?", "\\",
           "9" * 30, "0.000", "-5", "1e309", "nan", "inf"]
NAMES = ["r.txt", "报告 2023.txt", "a\nb.txt", "x\"<&>'.txt", "\x1b[31m.txt", "=cmd.txt", "+1.txt",
         "@x.txt", "-x.txt", "tab\there.txt", "\u2028.txt", "bad\udcff\udcfe.txt", "%0A.txt", "a,b:c.txt"]
ENCODINGS = ["utf-8", "utf-8", "utf-8", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "big5"]


def load_sources() -> list:
    texts = []
    for folder in SOURCES:
        for name in sorted(os.listdir(folder)):
            if name.endswith(".txt"):
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
                    texts.append(handle.read())
    return texts


def mutate_text(rng: random.Random, text: str) -> str:
    kind = rng.randrange(9)
    pos = rng.randrange(len(text) + 1)
    if kind <= 2:
        piece = rng.choice(HOSTILE) * rng.choice((1, 1, 1, 2, 5, 40))
        return text[:pos] + piece + text[pos:]
    if kind == 3:
        end = min(len(text), pos + rng.randrange(200))
        return text[:pos] + text[end:]
    if kind == 4:
        end = min(len(text), pos + rng.randrange(300))
        return text[:pos] + text[pos:end] * rng.choice((2, 3, 20)) + text[end:]
    if kind == 5:
        lines = text.split("\n")
        rng.shuffle(lines)
        return "\n".join(lines)
    if kind == 6:
        return text[:pos] + "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(1, 30))) + text[pos:]
    if kind == 7:
        heading = rng.choice(("一、", "二、", "三、", "（一）", "四、存在的不足", "五、2024年工作计划"))
        return text[:pos] + "\n" + heading * rng.choice((1, 1, 30)) + "\n" + text[pos:]
    return text[:pos] + str(rng.choice((0, 1, 12, 100, 2023, 2024, 10 ** 12, -3, 3.5))) + rng.choice("次个项件%年人") + text[pos:]


def to_bytes(rng: random.Random, text: str) -> bytes:
    data = text.encode(rng.choice(ENCODINGS), "replace") if rng.random() < 0.25 else text.encode("utf-8", "replace")
    roll = rng.random()
    if roll < 0.04 and data:
        i = rng.randrange(len(data))
        data = data[:i] + bytes([rng.randrange(256)]) + data[i + 1:]
    elif roll < 0.07:
        i = rng.randrange(len(data) + 1)
        data = data[:i] + bytes([rng.randrange(0x80, 0x100)]) + data[i:]
    elif roll < 0.09:
        data = data[: rng.randrange(len(data) + 1)]
    elif roll < 0.11:
        data = data + text[: rng.randrange(200)].encode("gb18030", "replace")
    elif roll < 0.12:
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
    return data


def make_input(rng: random.Random, sources: list):
    source = rng.choice(sources)
    start = rng.randrange(len(source))
    text = source[start: start + rng.choice((40, 120, 300, 800, 1500))]
    if rng.random() < 0.3:
        text = source[:200] + text
    for _ in range(rng.randrange(1, 7)):
        text = mutate_text(rng, text)
    return rng.choice(NAMES), to_bytes(rng, text)


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "checker" in f.filename.replace("\\", "/").split("/")]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return type(exc).__name__
    return f"{type(exc).__name__} at {os.path.relpath(frame.filename, ROOT)}:{frame.lineno}"


def _check_outputs(name: str, text) -> None:
    """Parse an output back; raise ValueError when it is not valid. A format written as bytes
    (json) must be valid UTF-8 as it is."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    text.encode("utf-8", "backslashreplace").decode("utf-8")
    if name in ("json", "sarif"):
        json.loads(text)
    elif name == "junit":
        parser = xml.parsers.expat.ParserCreate()
        parser.Parse(text.encode("utf-8", "backslashreplace"), True)
    elif name == "csv":
        for row in list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:]:
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    raise ValueError(f"formula cell {cell[:40]!r}")
    elif name in ("text", "github"):
        for line in text.split("\n"):
            if any(ch in line for ch in ("\r", "\x1b", "\u2028", "\u2029", "\x85")):
                raise ValueError(f"line-breaking or escape character in {name} output")


_STATE: dict = {}


def _setup():
    sys.path.insert(0, os.path.join(ROOT, "src"))
    from checker.engine.evaluate import warm_up
    from checker.plugins import build_plugins
    from checker.rules import load_ruleset

    plugins = build_plugins()
    ruleset = load_ruleset(plugins, "national", (), None)
    warm_up(ruleset)
    formats = {n: f for n, f in plugins.output_formats().items() if n in ("text", "json", "junit", "sarif", "github", "csv")}
    _STATE.update(ruleset=ruleset, formats=formats, sources=load_sources())


def _render(results, errors, example):
    from checker import __version__

    context = {"version": __version__, "ruleset": _STATE["ruleset"], "fail_on": "error", "lang": "zh",
               "colour": False, "pack": "national", "settings": None}
    for name, formatter in _STATE["formats"].items():
        try:
            _check_outputs(name, formatter(results, context))
        except Exception as exc:
            errors[f"output {name}: {_where(exc)}"] += 1
            example.setdefault(f"output {name}: {_where(exc)}", repr(results[0].path)[:200])


def run_target(args):
    """A chunk of ``--target`` inputs (command_targets.py): (count, count, errors, examples)."""
    seed, count, target = args
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import command_targets

    rng = random.Random(seed)
    errors, examples = collections.Counter(), {}
    state = {"sources": _STATE["sources"], "ruleset": _STATE["ruleset"], "names": NAMES}
    for _ in range(count):
        if target == "config":
            command_targets.fuzz_config(rng, errors, examples)
        else:
            getattr(command_targets, f"fuzz_{target}")(rng, errors, examples, state, mutate_text)
    return count, count, errors, examples


def run_chunk(args):
    if len(args) == 3 and isinstance(args[2], str):
        return run_target(args)
    seed, count, group = args
    from checker.outputs.targets import shown_name
    from checker.document import build_document
    from checker.readers.text import UnreadableInput, decode
    from checker.engine import evaluate

    rng = random.Random(seed)
    errors, examples = collections.Counter(), {}
    decoded = 0
    batch = []
    for i in range(count):
        name, data = make_input(rng, _STATE["sources"])
        try:
            try:
                text, encoding = decode(data)
            except UnreadableInput:
                continue
            decoded += 1
            doc = build_document(text, path=f"fuzz/{name}", encoding=encoding)
            result = evaluate(doc, _STATE["ruleset"])
            result = dataclasses.replace(result, path=shown_name(result.path))    # records are frozen values
            batch.append((result, data))
        except Exception as exc:
            key = _where(exc)
            errors[key] += 1
            examples.setdefault(key, data[:300].hex())
        if len(batch) >= group or (i == count - 1 and batch):
            before = sum(errors.values())
            _render([r for r, _ in batch], errors, examples)
            if sum(errors.values()) > before:          # replay one by one to name the input
                for result, data in batch:
                    single = collections.Counter()
                    _render([result], single, {})
                    for key in single:
                        examples[key] = data[:300].hex()
            batch = []
    return count, decoded, errors, examples


def _save(args, done, decoded, errors, examples, started, finished: bool) -> dict:
    """Write the summary so far (a run stopped early still leaves its figures)."""
    summary = {"target": args.target, "inputs": done, "requested": args.inputs, "finished": finished, "decoded": decoded,
               "exceptions": sum(errors.values()), "seconds": round(time.monotonic() - started, 1),
               "jobs": args.jobs, "seed": args.seed, "by_location": dict(errors.most_common()),
               "examples_hex": examples}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(summary, handle, ensure_ascii=False, indent=1)
    os.replace(args.out + ".tmp", args.out)
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--inputs", type=int, default=1_000_000)
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--chunk", type=int, default=2000, help="inputs per task")
    parser.add_argument("--group", type=int, default=25, help="results rendered together per output call")
    parser.add_argument("--out", default=None, help="summary (JSON); default benchmarks/results/fuzz_latest.json, "
                                                       "or fuzz_TARGET.json for a --target")
    parser.add_argument("--target", choices=("text", "config", "compare", "diff", "letters"), default="text",
                        help="text: the pipeline and every output format; the others: command_targets.py")
    args = parser.parse_args(argv)
    if args.out is None:
        suffix = "latest" if args.target == "text" else args.target
        args.out = os.path.join(ROOT, "benchmarks", "results", f"fuzz_{suffix}.json")
    os.environ.setdefault("FAZHI_LINT_NO_CACHE", "1")
    _setup()
    chunk = args.chunk if args.target == "text" else max(1, min(args.chunk, 200))
    tasks = [(args.seed * 1_000_003 + i, min(chunk, args.inputs - i * chunk),
              args.group if args.target == "text" else args.target)
             for i in range((args.inputs + chunk - 1) // chunk)]
    started = time.monotonic()
    done = decoded = 0
    errors, examples = collections.Counter(), {}
    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)       # a run stopped early still saves what it counted
    finished = False
    pool = multiprocessing.get_context("fork").Pool(args.jobs, initializer=signal.signal,
                                                    initargs=(signal.SIGTERM, signal.SIG_DFL))
    try:
        for count, ok, errs, exs in pool.imap_unordered(run_chunk, tasks):
            done += count
            decoded += ok
            errors.update(errs)
            for key, value in exs.items():
                examples.setdefault(key, value)
            if done % 20_000 < chunk:
                print(f"{done:>9} inputs  {sum(errors.values())} exceptions  {time.monotonic() - started:7.0f} s",
                      flush=True)
                _save(args, done, decoded, errors, examples, started, finished=False)
        finished = True
    except KeyboardInterrupt:
        print("stopped early", flush=True)
    finally:
        pool.terminate()
        pool.join()
    elapsed = time.monotonic() - started
    summary = _save(args, done, decoded, errors, examples, started, finished=finished)
    print(f"inputs {done}{'' if finished else ' (stopped early)'}, decoded {decoded}, "
          f"exceptions {summary['exceptions']}, {elapsed:.0f} s on {args.jobs} processes")
    for key, n in errors.most_common():
        print(f"  {n:>7}  {key}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
