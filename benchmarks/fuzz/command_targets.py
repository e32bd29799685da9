"""Fuzz targets beyond the text pipeline (``run_fuzz.py --target NAME``): the configuration loaders
and the commands issue 22 hardened, each run in process on generated input.

- ``config``: random ``.fazhi-lint.yaml`` / ``pyproject.toml`` / suppressions / baseline files (every
  key with values of every YAML type, nesting, aliases, dates that do not exist, special floats, junk
  bytes); anything but the loaders' own errors (exit 2 with a place) counts.
- ``compare``: two mutated reports compared as ``fazhi-lint compare`` does (the comparing rules, the
  plan table, the facts that moved), rendered as text and JSON and parsed back.
- ``diff``: two mutated drafts checked and matched as ``fazhi-lint diff`` does, rendered as text, JSON
  and HTML and checked (valid UTF-8, no raw control character in text or page).
- ``letters``: a feedback letter per mutated report, with hostile ``--office``/``--date`` values made
  visible as the command does, rendered as Markdown and .docx.
"""
from __future__ import annotations

import json
import os
import random
import re
import tempfile

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\u2028\u2029]|\r(?!\n)")
KEYS = ["select", "ignore", "per-file-ignores", "province", "fail-on", "min-score", "format", "thresholds",
        "suppressions", "baseline", "subject", "Select", "unknown", 3, "format:"]
SCALARS = ["error", "warning", "FZ-W01", "FZ-", "town", "national", "json:out.json", "../x", "/etc/passwd",
           "2024-02-30", "2024-02-28", "1e309", ".nan", ".inf", "-.inf", "~", "null", "true", "0x1F", "0o17",
           "'quoted'", "\"\\x1b[31m\"", "中文", "法制政府", "", " ", "*", "&a x", "*a", "!!binary aGk=",
           "!!python/object:os.system ls", "2024-02-30T25:61:00", "12:30:60", "1_000", "-1", "101", "50.5"]


def _value(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth > 3 or roll < 0.45:
        return rng.choice(SCALARS)
    if roll < 0.7:
        return "[" + ", ".join(_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))) + "]"
    if roll < 0.9:
        return "{" + ", ".join(f"{rng.choice(SCALARS) or 'k'}: {_value(rng, depth + 1)}"
                               for _ in range(rng.randrange(0, 3))) + "}"
    return "[" * 60 + "]" * 60


def config_yaml(rng: random.Random) -> str:
    lines = [f"{rng.choice(KEYS)}: {_value(rng)}" for _ in range(rng.randrange(1, 6))]
    if rng.random() < 0.1:
        lines.append("\t" + rng.choice(SCALARS))
    return "\n".join(lines) + "\n"


def config_toml(rng: random.Random) -> str:
    body = []
    for _ in range(rng.randrange(1, 5)):
        key = rng.choice([k for k in KEYS if isinstance(k, str)])
        value = rng.choice(['"error"', "[\"FZ-W\"]", "3", "1e400", "nan", "{a = 1}", "[[1]]", "true", '"2024-02-30"',
                            "2024-02-30", '"town"', "[\"town\"]", "{ x = [1, {y = 2}] }"])
        body.append(f'"{key}" = {value}')
    return "[tool.fazhi-lint]\n" + "\n".join(body) + "\n"


def suppressions_yaml(rng: random.Random) -> str:
    entries = []
    for _ in range(rng.randrange(0, 4)):
        fields = {"rule": rng.choice(["FZ-W01", "FZ-W", "", "x", "[1]"]), "text": rng.choice(["法制政府", "", "{a: 1}"]),
                  "reason": rng.choice(["因为", "", "[]"]), "approved_by": rng.choice(["某科", "~"]),
                  "expires": rng.choice(["2024-02-30", "2099-12-31", "tomorrow", "2024-13-01", "[2024]"]),
                  "file": rng.choice(["*.txt", "../*", "[", "~"])}
        keys = rng.sample(list(fields), rng.randrange(0, len(fields) + 1))
        entries.append("  - " + "\n    ".join(f"{k}: {fields[k]}" for k in keys) if keys else "  - ~")
    head = rng.choice(["suppressions:\n", "suppressions: ~\n", "suppressions: 3\n", "x: 1\n", ""])
    return head + "\n".join(entries) + "\n"


def baseline_json(rng: random.Random) -> str:
    finding = {"path": rng.choice(["a.txt", 3, None, "\x1b"]), "rule": rng.choice(["FZ-W01", 1, None]),
               "fingerprint": rng.choice(["abc", 5, [], None])}
    shapes = [{"version": 1, "findings": [finding]}, {"findings": finding}, [finding], "x", 3, None,
              {"version": "9", "findings": [finding] * rng.randrange(0, 3)}]
    return json.dumps(rng.choice(shapes)) if rng.random() < 0.9 else "[" * 5000


def fuzz_config(rng: random.Random, errors, examples) -> None:
    from checker.cli.config import read_config
    from checker.errors import FazhiError
    from checker.waivers.baseline import load_baseline
    from checker.waivers.suppressions import load_suppressions

    kind = rng.choice(["yaml", "toml", "suppressions", "baseline"])
    text = {"yaml": config_yaml, "toml": config_toml, "suppressions": suppressions_yaml,
            "baseline": baseline_json}[kind](rng)
    data = text.encode("utf-8")
    if rng.random() < 0.05:
        data = data[: rng.randrange(len(data) + 1)] + bytes([rng.randrange(0x80, 0x100)])
    with tempfile.TemporaryDirectory() as folder:
        name = {"yaml": ".fazhi-lint.yaml", "toml": "pyproject.toml", "suppressions": "fazhi-lint-suppressions.yaml",
                "baseline": "baseline.json"}[kind]
        path = os.path.join(folder, name)
        with open(path, "wb") as handle:
            handle.write(data)
        try:
            {"yaml": read_config, "toml": read_config, "suppressions": load_suppressions,
             "baseline": load_baseline}[kind](path)
        except FazhiError:
            pass                                           # a place and a reason: what a user should get
        except Exception as exc:                           # a traceback
            _count(errors, examples, f"config {kind}: {type(exc).__name__}: {str(exc)[:60]}", text)


def _count(errors, examples, key, example) -> None:
    errors[key] += 1
    examples.setdefault(key, example[:400] if isinstance(example, str) else repr(example)[:400])


def _pair(rng, sources, mutate):
    texts = []
    for _ in range(2):
        text = rng.choice(sources)
        for _ in range(rng.randrange(0, 5)):
            text = mutate(rng, text)
        texts.append(text)
    return texts


def _check_text(name: str, text: str) -> None:
    text.encode("utf-8")
    for line in text.split("\n"):
        if CONTROL.search(line):
            raise ValueError(f"raw control character in {name}: {line[:60]!r}")


def fuzz_compare(rng: random.Random, errors, examples, state, mutate) -> None:
    from checker.compare.plans import follow_up
    from checker.compare.report import PairReport, comparing_rules, facts_change, render_pair_json, render_pair_text
    from checker.document import build_document
    from checker.engine import evaluate

    last, this = _pair(rng, state["sources"], mutate)
    try:
        previous = build_document(last, path=rng.choice(state["names"]))
        current = build_document(this, path=rng.choice(state["names"])).with_companions(previous=previous)
        rules = comparing_rules(state["ruleset"], "previous")
        result = evaluate(current, rules)
        rule = next((r for r in rules.rules if r.check == "plan_follow_up"), None)
        plan = follow_up(previous, current, rule.config.stopwords) if rule else []
        report = PairReport(previous.path, current.path, previous.meta.to_json(), result, plan,
                            facts_change(previous, current))
        json.loads(render_pair_json(report, "fuzz").encode("utf-8", "backslashreplace").decode("utf-8"))
        _check_text("compare text", render_pair_text(report))
    except Exception as exc:
        _count(errors, examples, f"compare: {type(exc).__name__}: {str(exc)[:60]}", this)


def fuzz_diff(rng: random.Random, errors, examples, state, mutate) -> None:
    from checker.compare.drafts import diff_results, render_diff_html, render_diff_json, render_diff_text
    from checker.document import build_document
    from checker.engine import evaluate
    from checker.inputs import Texts, pack_text
    from checker.waivers.fingerprint import ContextReader

    old, new = _pair(rng, state["sources"], mutate)
    names = rng.sample(state["names"], 2)
    try:
        results = [evaluate(build_document(text, path=name), state["ruleset"]) for text, name in ((old, names[0]),
                                                                                                  (new, names[1]))]
        texts = Texts({names[0]: pack_text(old), names[1]: pack_text(new)})
        diff = diff_results(results[0], results[1], ContextReader(texts))
        json.loads(render_diff_json(diff, "fuzz").encode("utf-8", "backslashreplace").decode("utf-8"))
        _check_text("diff text", render_diff_text(diff))
        from checker.outputs.escape import visible_controls

        _check_text("diff html", visible_controls(render_diff_html(diff)))
    except Exception as exc:
        _count(errors, examples, f"diff: {type(exc).__name__}: {str(exc)[:60]}", new)


def fuzz_letters(rng: random.Random, errors, examples, state, mutate) -> None:
    from checker.document import build_document
    from checker.engine import evaluate
    from checker.outputs.escape import visible_in
    from checker.outputs.letters import letter, to_docx, to_markdown
    from checker.outputs.targets import encode_output

    text = rng.choice(state["sources"])
    for _ in range(rng.randrange(1, 5)):
        text = mutate(rng, text)
    office = rng.choice(["某某县司法局", "\x1b[31m司法局", "局\u202e", "a\rb", "", "\x00"])
    try:
        result = evaluate(build_document(text, path=rng.choice(state["names"])), state["ruleset"])
        content = visible_in(letter(result, state["ruleset"], rng.randrange(0, 3), office, "2025年3月10日"))
        markdown = encode_output(to_markdown(content), "md").decode("utf-8")
        _check_text("letter md", markdown)
        to_docx(content)
    except Exception as exc:
        _count(errors, examples, f"letters: {type(exc).__name__}: {str(exc)[:60]}", text)
