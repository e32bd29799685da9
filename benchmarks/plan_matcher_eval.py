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
(PlanVerdict.sure):

  any-term        the FZ-N02 approach (plan <-> shortcomings): done when any key term of the item
                  occurs anywhere in this year's review; no threshold;
  jieba           plans.follow_up with jieba term groups, rarity weights, best sentence;
  bigram          the same with character bigrams instead of words.
"""
from __future__ import annotations

import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import yaml  # noqa: E402

from checker.compare import plans  # noqa: E402
from checker.document import build_document  # noqa: E402
from tests.yoy_pairs import inline_pairs, plan_pairs, written_pairs  # noqa: E402

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


SETS = (("plan_pairs.yaml", plan_pairs), ("plan_pairs_heldout.yaml", plan_pairs),
        ("plan_eval_tuning.yaml", written_pairs), ("plan_eval_heldout.yaml", written_pairs),
        ("plan_eval_heldout2.yaml", written_pairs), ("plan_eval_heldout3.yaml", inline_pairs),
        ("plan_eval_heldout4.yaml", inline_pairs), ("plan_eval_heldout5.yaml", inline_pairs),
        ("plan_eval_heldout6.yaml", inline_pairs), ("plan_eval_heldout7.yaml", inline_pairs),
        ("plan_eval_heldout8.yaml", inline_pairs), ("plan_eval_heldout9.yaml", inline_pairs),
        ("plan_eval_heldout10.yaml", inline_pairs), ("plan_eval_heldout11.yaml", inline_pairs),
        ("plan_eval_heldout12.yaml", inline_pairs), ("plan_eval_heldout13.yaml", inline_pairs),
        ("plan_eval_heldout14.yaml", inline_pairs), ("plan_eval_heldout15.yaml", inline_pairs),
        ("plan_eval_heldout16.yaml", inline_pairs), ("plan_eval_heldout17.yaml", inline_pairs),
        ("plan_eval_heldout18.yaml", inline_pairs), ("plan_eval_heldout19.yaml", inline_pairs),
        ("plan_eval_heldout20.yaml", inline_pairs))


def confusion(pairs, verdict_lists) -> Counter:
    return Counter((label, verdict) for (_, _, _, labels), verdicts in zip(pairs, verdict_lists)
                   for label, verdict in zip(labels, verdicts) if label != verdict)


def main():
    stop = stopwords()
    sure = Counter()
    for name, reader in SETS:
        pairs = [(n, build_document(a), build_document(b), labels) for n, a, b, labels in reader(name)]
        agree, total = score(pairs, [any_term(a, b, stop) for _, a, b, _ in pairs])
        print(f"{name:26} any-term            {agree}/{total} = {100 * agree / total:.0f}%")
        for segmenter in ("jieba", "bigram"):
            for t in THRESHOLDS:
                verdicts = [[v.status for v in plans.follow_up(a, b, stop, segmenter, t)] for _, a, b, _ in pairs]
                agree, total = score(pairs, verdicts)
                mark = "  <- the rule's" if segmenter == "jieba" and t == float(rule_params()["threshold"]) else ""
                print(f"{name:26} {segmenter:6} threshold {t:.2f} {agree}/{total} = {100 * agree / total:.0f}%{mark}")
        t = float(rule_params()["threshold"])
        full = [plans.follow_up(a, b, stop, "jieba", t) for _, a, b, _ in pairs]
        wrong = confusion(pairs, [[v.status for v in vs] for vs in full])
        print(f"{name:26} the rule's errors: " + (", ".join(f"{a}->{b} {n}" for (a, b), n in sorted(wrong.items()))
                                                 or "none"))
        for (_, _, _, labels), vs in zip(pairs, full):
            for label, v in zip(labels, vs):
                sure[(v.sure, v.status, label == v.status)] += 1
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


if __name__ == "__main__":
    main()
