"""Measure the checklist rules on the blind sets (tests/data/blind/setNN): per-rule precision and recall
with 95 % Wilson intervals, and the aggregate figures a reviewer's labels give.

Each set holds reports written and labelled by a helper who never saw the rules (tests/data/blind/README.md).
For every report the labels say what a careful reviewer would raise (``expected``), what would be wrong to
raise (``must_not``) and what is advice either way (``acceptable``), plus the six elements, the year, the unit
and who reports. A rule *fires* on a report when it has at least one finding there (any severity).

    python benchmarks/blind_eval.py                       # every set
    python benchmarks/blind_eval.py --sets set01 set02    # a pair, as measured blind in a round
    python benchmarks/blind_eval.py --misses              # list every miss and false alarm with the label's why
    python benchmarks/blind_eval.py --json out.json

Definitions:
  must-fire   expected labels on which the rule fired / expected labels
  must-not    must_not labels on which the rule stayed silent / must_not labels
  elements    the six element fields (measures, shortcomings, causes, first responsible person, plan,
              plan year) that agree with the labels / fields labelled
  precision   of a rule: expected-and-fired / (expected-and-fired + must_not-and-fired)
  recall      of a rule: expected-and-fired / expected
"""
from __future__ import annotations

import argparse
import glob
import json
import math
import os
import sys
from collections import defaultdict

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BLIND = os.path.join(ROOT, "tests", "data", "blind")
ELEMENT_FIELDS = ("measures_and_results", "shortcomings", "causes", "first_responsible_person", "next_year_plan",
                  "next_year_plan_year")


def wilson(k: int, n: int, z: float = 1.96):
    """(low, high) of the 95 % Wilson interval of k successes in n; (0, 1) when n is 0."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def sets_available():
    """The labelled sets (a set still being written has no labels.yaml yet)."""
    return sorted(os.path.basename(p) for p in glob.glob(os.path.join(BLIND, "set*"))
                  if os.path.isfile(os.path.join(p, "labels.yaml")))


def load_labels(name: str) -> list:
    with open(os.path.join(BLIND, name, "labels.yaml"), encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return data["reports"]


def check_set(name: str, labels: list) -> dict:
    """{file name: Result} of fazhi-lint's national pack on a set's reports (read as files)."""
    from checker.run import RunRequest, run

    paths = tuple(os.path.join(BLIND, name, label["file"]) for label in labels)
    outcome = run(RunRequest(paths=paths, no_suppressions=True))
    return {os.path.basename(r.path): r for r in outcome.results if r.is_report}


def _element_value(elements: dict, field: str):
    value = elements.get(field)
    if field == "first_responsible_person":
        return value not in (None, False, "none")
    return value


def _same_unit(a, b) -> bool:
    return "".join(str(a or "").split()) == "".join(str(b or "").split())


def score_report(label: dict, result) -> dict:
    fired = {f.rule for f in result.findings}
    row = {"file": label["file"], "fired": sorted(fired), "elements": [], "meta": [], "rules": []}
    for field in ELEMENT_FIELDS:
        want = label.get("elements", {}).get(field)
        got = _element_value(result.elements, field)
        row["elements"].append((field, want, got, want == got))
    meta = result.meta
    for field, want, got, same in (("report_year", label.get("report_year"), meta.get("report_year"), None),
                                   ("unit", label.get("unit"), meta.get("unit"), _same_unit),
                                   ("subject", label.get("subject"), meta.get("subject"), None)):
        row["meta"].append((field, want, got, same(want, got) if same else want == got))
    for kind in ("expected", "must_not", "acceptable"):
        for item in label.get(kind) or ():
            row["rules"].append((kind, item["rule"], item["rule"] in fired, item.get("why", "")))
    return row


def evaluate(names) -> dict:
    rows = {}
    for name in names:
        labels = load_labels(name)
        results = check_set(name, labels)
        rows[name] = [score_report(label, results[label["file"]]) for label in labels if label["file"] in results]
    return rows


def _pct(k, n) -> str:
    """"k/n (share, 95 % Wilson interval)"; the interval's ends rounded outwards (99.6 % shows as 99, not 100)."""
    if not n:
        return "—"
    low, high = wilson(k, n)
    return f"{k}/{n} ({100 * k / n:.1f} %, 95 % {math.floor(100 * low + 1e-9)}–{math.ceil(100 * high - 1e-9)} %)"


def summarise(rows: dict) -> dict:
    per_rule = defaultdict(lambda: {"tp": 0, "fn": 0, "fp": 0, "tn": 0})
    totals = {"fire": [0, 0], "not": [0, 0], "elements": [0, 0], "year": [0, 0], "unit": [0, 0], "subject": [0, 0]}
    per_set = {}
    for name, reports in rows.items():
        s = {"fire": [0, 0], "not": [0, 0], "elements": [0, 0]}
        for row in reports:
            for _, _, _, same in row["elements"]:
                s["elements"][0] += same
                s["elements"][1] += 1
            for field, _, _, same in row["meta"]:
                key = {"report_year": "year"}.get(field, field)
                totals[key][0] += same
                totals[key][1] += 1
            for kind, rule, fired, _ in row["rules"]:
                stat = per_rule[rule]
                if kind == "expected":
                    s["fire"][0] += fired
                    s["fire"][1] += 1
                    stat["tp" if fired else "fn"] += 1
                elif kind == "must_not":
                    s["not"][0] += not fired
                    s["not"][1] += 1
                    stat["fp" if fired else "tn"] += 1
        per_set[name] = s
        for key in s:
            totals[key][0] += s[key][0]
            totals[key][1] += s[key][1]
    return {"per_set": per_set, "totals": totals, "per_rule": dict(per_rule)}


def render(summary: dict, rows: dict, misses: bool) -> str:
    out = ["# Blind evaluation of the checklist rules", ""]
    out.append("| set | elements | must-fire | must-not |")
    out.append("|---|---|---|---|")
    for name, s in summary["per_set"].items():
        out.append(f"| {name} | {_pct(*s['elements'])} | {_pct(*s['fire'])} | {_pct(*s['not'])} |")
    t = summary["totals"]
    out.append(f"| **all** | {_pct(*t['elements'])} | {_pct(*t['fire'])} | {_pct(*t['not'])} |")
    out += ["", f"report year {_pct(*t['year'])}; unit {_pct(*t['unit'])}; subject {_pct(*t['subject'])}", ""]
    out.append("| rule | expected | fired on expected (recall) | fired on must_not | precision |")
    out.append("|---|---:|---|---:|---|")
    for rule in sorted(summary["per_rule"]):
        st = summary["per_rule"][rule]
        expected = st["tp"] + st["fn"]
        fired = st["tp"] + st["fp"]
        if not expected and not st["fp"]:
            continue
        out.append(f"| {rule} | {expected} | {_pct(st['tp'], expected)} | {st['fp']}/{st['fp'] + st['tn']} | "
                   f"{_pct(st['tp'], fired)} |")
    if misses:
        out += ["", "## Misses and false alarms", ""]
        for name, reports in rows.items():
            for row in reports:
                for kind, rule, fired, why in row["rules"]:
                    if (kind == "expected" and not fired) or (kind == "must_not" and fired):
                        what = "MISSED" if kind == "expected" else "FALSE ALARM"
                        out.append(f"- {name}/{row['file']} {rule} {what}: {why}")
                for field, want, got, same in row["elements"] + row["meta"]:
                    if not same:
                        out.append(f"- {name}/{row['file']} {field}: label {want!r}, tool {got!r}")
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="*", help="set folders (default: all)")
    parser.add_argument("--misses", action="store_true", help="list every miss, false alarm and element disagreement")
    parser.add_argument("--json", help="write the per-report rows and the summary to this file")
    args = parser.parse_args(argv)
    names = args.sets or sets_available()
    rows = evaluate(names)
    summary = summarise(rows)
    sys.stdout.write(render(summary, rows, args.misses))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"rows": rows, "summary": summary}, handle, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
