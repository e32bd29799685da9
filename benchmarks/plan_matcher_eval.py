#!/usr/bin/env python3
"""Which matcher tells best whether last year's plan items were reported on (FZ-Y01)?

    python benchmarks/plan_matcher_eval.py

Reads the labelled last-year/this-year pairs (tests/data/yoy/): round 1's plan_pairs.yaml and
plan_pairs_heldout.yaml (a seed as this year, with sentences added), round 2's
plan_eval_tuning.yaml (the file to tune on), plan_eval_heldout.yaml (held out until measured once,
then tuned on) and plan_eval_heldout2.yaml (measured blind at 61 %, then tuned on), where this
year's report is written the way a unit writes, and round 3's plan_eval_heldout3..20.yaml, whose
last-year reports are written too, with plan items of their own, each written blind by someone who
had not seen the matcher and measured before it was tuned on (docs/year-over-year.md says which
was measured when); and prints, for each
matcher and threshold, how many plan items get the label's verdict, for the default matcher the
confusion (label -> verdict), and how often its verdicts agree by how sure they are
(PlanVerdict.sure); then, for the rule's matcher, each set's agreement with its 95 % Wilson interval,
and the aggregates: all sets, the sets it was tuned on, and the six it was frozen before and never
tuned on (heldout15..20; tests/test_year_over_year.py keeps a floor under the first and the last).
``--summary`` prints only that last table (seconds instead of about a minute).

  any-term        the FZ-N02 approach (plan <-> shortcomings): done when any key term of the item
                  occurs anywhere in this year's review; no threshold;
  jieba           plans.follow_up with jieba term groups, rarity weights, best sentence;
  bigram          the same with character bigrams instead of words.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import yaml  # noqa: E402

from checker.compare import plans  # noqa: E402
from checker.document import build_document  # noqa: E402
from tests.yoy_pairs import EVAL_SETS, NEVER_TUNED_ON  # noqa: E402

THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


def rule_params():
    path = os.path.join(os.path.dirname(HERE), "rules", "national", "fz-y-year-over-year.yaml")
    with open(path, encoding="utf-8") as handle:
        rules = yaml.safe_load(handle)["rules"]
    return next(r for r in rules if r["id"] == "FZ-Y01")["params"]


def stopwords():
    return rule_params()["stopwords"]


def any_term(last, this, stop):
    review = "".join(s.text for s in plans.sentences(this) if not s.in_plan)
    out = []
    for item in plans.plan_items(last):
        groups = plans.terms_of(plans._ENUM_LEAD.sub("", item.text), stop)
        out.append("done" if any(t in review for g in groups for t in g) else "not_reported")
    return out


def score(pairs, verdict_lists):
    agree = total = 0
    for (_, _, _, labels), verdicts in zip(pairs, verdict_lists):
        for label, verdict in zip(labels, verdicts):
            total += 1
            agree += label == verdict
    return agree, total


SETS = EVAL_SETS


def wilson(agree: int, total: int, z: float = 1.96):
    """The Wilson score interval of agree/total (95 % for z = 1.96), as (low, high) shares."""
    if not total:
        return 0.0, 1.0
    p = agree / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def agreement(label: str, agree: int, total: int) -> str:
    low, high = wilson(agree, total)
    return (f"{label:42} {agree:5}/{total:<5} {100 * agree / total:5.1f}%   "
            f"95% CI {100 * low:5.1f}% – {100 * high:5.1f}%")


def confusion(pairs, verdict_lists) -> Counter:
    return Counter((label, verdict) for (_, _, _, labels), verdicts in zip(pairs, verdict_lists)
                   for label, verdict in zip(labels, verdicts) if label != verdict)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--summary", action="store_true",
                        help="only the rule's matcher: per-set agreement with 95%% Wilson intervals and the aggregates")
    args = parser.parse_args(argv)
    stop = stopwords()
    t = float(rule_params()["threshold"])
    sure = Counter()
    per_set = {}
    for name, reader in SETS:
        pairs = [(n, build_document(a), build_document(b), labels) for n, a, b, labels in reader(name)]
        full = [plans.follow_up(a, b, stop, "jieba", t) for _, a, b, _ in pairs]
        per_set[name] = score(pairs, [[v.status for v in vs] for vs in full])
        if args.summary:
            continue
        agree, total = score(pairs, [any_term(a, b, stop) for _, a, b, _ in pairs])
        print(f"{name:26} any-term            {agree}/{total} = {100 * agree / total:.0f}%")
        for segmenter in ("jieba", "bigram"):
            for threshold in THRESHOLDS:
                verdicts = [[v.status for v in plans.follow_up(a, b, stop, segmenter, threshold)]
                            for _, a, b, _ in pairs]
                agree, total = score(pairs, verdicts)
                mark = "  <- the rule's" if segmenter == "jieba" and threshold == t else ""
                print(f"{name:26} {segmenter:6} threshold {threshold:.2f} {agree}/{total} = {100 * agree / total:.0f}%{mark}")
        wrong = confusion(pairs, [[v.status for v in vs] for vs in full])
        print(f"{name:26} the rule's errors: " + (", ".join(f"{a}->{b} {n}" for (a, b), n in sorted(wrong.items()))
                                                 or "none"))
        for (_, _, _, labels), vs in zip(pairs, full):
            for label, v in zip(labels, vs):
                sure[(v.sure, v.status, label == v.status)] += 1
    if not args.summary:
        print("all sets, the rule's verdicts by how sure they are (agree/items):")
        for is_sure in (True, False):
            for status in (plans.DONE, plans.CARRIED, plans.NOT_REPORTED, plans.UNCLEAR):
                n = sure[(is_sure, status, True)] + sure[(is_sure, status, False)]
                if n:
                    print(f"  {'sure' if is_sure else 'to check':8} {status:13} {sure[(is_sure, status, True)]}/{n}"
                          f" = {100 * sure[(is_sure, status, True)] / n:.0f}%")
            n = sum(c for (s, _, _), c in sure.items() if s == is_sure)
            agree = sum(c for (s, _, ok), c in sure.items() if s == is_sure and ok)
            print(f"  {'sure' if is_sure else 'to check':8} {'all':13} {agree}/{n} = {100 * agree / max(n, 1):.0f}%")
        print()
    print(f"the rule's matcher (jieba, threshold {t:.2f}), each set:")
    for name, (agree, total) in per_set.items():
        print("  " + agreement(name + (" (never tuned on)" if name in NEVER_TUNED_ON else ""), agree, total))

    def total_of(names):
        return tuple(map(sum, zip(*(per_set[n] for n in names))))

    print("aggregates:")
    print("  " + agreement(f"all {len(per_set)} sets", *total_of(per_set)))
    print("  " + agreement("tuned on (all but heldout15..20)", *total_of([n for n in per_set if n not in NEVER_TUNED_ON])))
    print("  " + agreement("frozen, never tuned on (15..20)", *total_of(NEVER_TUNED_ON)))


if __name__ == "__main__":
    main()
