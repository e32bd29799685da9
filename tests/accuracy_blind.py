"""The blind part of docs/accuracy.md: the checklist rules measured on reports written and labelled by
helpers who never saw them (tests/data/blind/), round by round, from three sources:

- tests/data/blind/ROUNDS.yaml: which sets each round looked at, with which rules, what followed, and
  the label disputes;
- benchmarks/blind_rounds/*.md: each round's first look, saved before the sets were read (history:
  the rules measured there are gone, so the figures are read from the saved output, not recomputed);
- the rules as they stand, run now on every labelled set (benchmarks/blind_eval.py's functions).
"""
import os
import re

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROUNDS = os.path.join(ROOT, "tests", "data", "blind", "ROUNDS.yaml")


def load_rounds() -> dict:
    with open(ROUNDS, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _first_look(path: str) -> dict:
    """{"all": (elements, must-fire, must-not), "rules": [table lines]} of a saved first look."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
        text = handle.read()
    row = re.search(r"^\| \*\*all\*\* \| (.+?) \| (.+?) \| (.+?) \|$", text, re.M)
    table = re.search(r"^\| rule \|.*?(?=\n\n|\Z)", text, re.M | re.S)
    return {"all": row.groups() if row else ("?", "?", "?"), "rules": table.group(0).splitlines() if table else []}


def _writers(names) -> str:
    out = []
    for name in names:
        with open(os.path.join(ROOT, "tests", "data", "blind", name, "labels.yaml"), encoding="utf-8") as handle:
            writer = str(yaml.safe_load(handle).get("writer", "")).split("—")[0].strip()
        if writer not in out:
            out.append(writer)
    return "、".join(out)


def _rule_table(summary, pct) -> list:
    lines = ["| rule | expected | fired on expected (recall) | fired on must_not | precision |", "|---|---:|---|---:|---|"]
    for rule in sorted(summary["per_rule"]):
        st = summary["per_rule"][rule]
        expected, fired = st["tp"] + st["fn"], st["tp"] + st["fp"]
        if expected or st["fp"]:
            lines.append(f"| {rule} | {expected} | {pct(st['tp'], expected)} | {st['fp']}/{st['fp'] + st['tn']} | "
                         f"{pct(st['tp'], fired)} |")
    return lines


def blind_section() -> str:
    from benchmarks.blind_eval import _pct as pct
    from benchmarks.blind_eval import evaluate, sets_available, summarise

    data = load_rounds()
    names = sets_available()
    rows = evaluate(names)
    summary = summarise(rows)
    reports = sum(len(r) for r in rows.values())
    frozen_rounds = [r for r in data["rounds"] if r.get("never_tuned_on")]
    writers = sorted({_writers([name]) for name in names})
    t = summary["totals"]
    out = ["## On reports written blind to the rules (issue 21)", "",
           f"{len(names)} sets of 8 complete reports ({reports} reports; `tests/data/blind/`), each written and "
           "labelled by a helper who had not seen fazhi-lint's rules, code, tests or output: "
           f"{len(writers)} writers ({'、'.join(writers)}), "
           "county and city governments, departments, towns and streets, development zones, provinces across the "
           "country, reports on 2019–2025, with the traps real inboxes hold (法制审核, 维护国家法制统一, 安全生产第一责任人, "
           "years inside 《纲要（2021—2025年）》, titles broken over two lines, web chrome, 文号 and 主送 lines). The labels "
           "(the six elements, the year, unit and subject, and for every rule whether a careful reviewer would raise "
           "it: `expected`, `acceptable` or `must_not`) were committed before the tool ran on the set; the writers' "
           "brief is `tests/data/blind/CHECKLIST.md`. A rule *fires* on a report when it has a finding there at any "
           "severity, info included.", "",
           "Protocol (as for FZ-Y01, `docs/year-over-year.md`): each new pair of sets was measured once with the "
           "rules as they stood and the output saved (`benchmarks/blind_rounds/`) before the sets were read; then "
           "the misses were read and the rules changed for the general cause of each; the next pair measured the "
           "change. Twice the rules were frozen and measured once on sets never tuned on: after round 3, and "
           "again once the work of issues 19–23 had merged.", "",
           "### The figures measured on writing never tuned on", ""]
    for frozen in frozen_rounds:
        frozen_look = _first_look(frozen["first_look"])
        out += [f"Round {frozen['round']}: the frozen rules (commit {frozen['rules']}) on "
                f"{', '.join(frozen['sets'])} ({_writers(frozen['sets'])}), measured once "
                f"(`{frozen['first_look']}`); then {frozen['then']}:", "",
                "| elements | must-fire | must-not |", "|---|---|---|",
                "| " + " | ".join(frozen_look["all"]) + " |", "",
                f"Per rule (round {frozen['round']}'s look):", ""] + frozen_look["rules"] + [""]
    out += ["### Round by round", "",
            "| round | sets (writers) | rules | first look: elements | must-fire | must-not | then |",
            "|---|---|---|---|---|---|---|"]
    for r in data["rounds"]:
        look = _first_look(r["first_look"])
        out.append(f"| {r['round']} | {', '.join(r['sets'])} ({_writers(r['sets'])}) | {r['rules']} | "
                   + " | ".join(look["all"]) + f" | {r['then']} |")
    out += ["", "### The rules as they stand, on every set", "",
            "Every set below tuned on so far has been read, so its figures are not blind (a set whose round says "
            "*not tuned on* is still a look the rules were not made on); they are what the "
            "test suite keeps a floor under (`tests/test_blind_sets.py`).", "",
            "| set | elements | must-fire | must-not |", "|---|---|---|---|"]
    for name, s in summary["per_set"].items():
        out.append(f"| {name} | {pct(*s['elements'])} | {pct(*s['fire'])} | {pct(*s['not'])} |")
    out.append(f"| **all** | {pct(*t['elements'])} | {pct(*t['fire'])} | {pct(*t['not'])} |")
    out += ["", f"Report year {pct(*t['year'])}; unit {pct(*t['unit'])}; subject {pct(*t['subject'])}.", "",
            "Per rule (precision counts `must_not` reports it fired on against `expected` ones; `acceptable` "
            "findings count for neither; 95 % Wilson intervals):", ""]
    out += _rule_table(summary, pct)
    misses = []
    for name, reports_ in rows.items():
        for row in reports_:
            for kind, rule, fired, why in row["rules"]:
                if (kind == "expected" and not fired) or (kind == "must_not" and fired):
                    misses.append(f"- {name}/{row['file']} {rule} {'missed' if kind == 'expected' else 'false alarm'}: {why}")
            for field, want, got, same in row["elements"]:
                if not same:
                    misses.append(f"- {name}/{row['file']} {field}: label {want!r}, tool {got!r}")
    out += ["", "What the rules as they stand still get wrong (elements and rules; the unit and subject readings "
            "are issue 20's):", ""] + (misses or ["- nothing"])
    out += [f"- known cause outside the rules: {' '.join(k.split())}" for k in data.get("known") or ()]
    out += ["", "### Label disputes", "",
            "Labels the author of the rules reads differently. They are not changed: a reviewer's judgement is "
            "what is measured against, and each counts as a miss or a false alarm above.", ""]
    for d in data.get("disputes") or ():
        out.append(f"- {d['set']}/{d['file']} {d['rule']} (labelled {d['label']}): {' '.join(d['why'].split())}")
    return "\n".join(out) + "\n"
