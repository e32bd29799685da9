"""Render docs/accuracy.md: the checklist rules on the blind sets (tests/accuracy_blind.py: round by
round, the figure never tuned on, per rule, the label disputes), then the tool's output on the seeds,
judged against the reviewer labels.

    python -m tests.accuracy_doc        # rewrite docs/accuracy.md

On the seeds each finding is judged by the independent label file of its seed (tests/data/review/*.yaml,
written from reading the report): **expected** (a defect the reviewer raises), **acceptable** (advice the
reviewer accepts either way), **false alarm** (listed as must-not), **unlabelled** (in no list). The
reasons shown are the golden files' `why`. tests/test_docs.py keeps the page current.
"""
import glob
import os

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = os.path.join(ROOT, "docs", "accuracy.md")
REVIEW = os.path.join(ROOT, "tests", "data", "review")

HEAD = """# Accuracy

How often fazhi-lint's checklist rules agree with a careful reviewer: first on reports written blind to the
rules (the measure that counts: writing the rules were not made on), then on the five seed reports the rules
were made on, finding by finding. `python benchmarks/blind_eval.py [--sets …] [--misses]` prints the blind
figures; this page is generated (`python -m tests.accuracy_doc`) and the test suite fails when it drifts.

"""

INTRO = """## On the five seed reports

Every finding fazhi-lint reports on the five seeds with the national pack, judged against an **independent
label file per seed** (`tests/data/review/*.yaml`). The labels were written from reading each report against the
regulation: the defects a 司法局 reviewer would raise (`expected`), advice the reviewer accepts either way
(`acceptable`), and findings that would be wrong on that report (`must_not`: the part is there, the term is
right, the date is in time). They are not derived from the tool's severities; a finding the labels do not
list is shown as *unlabelled*, and one they forbid as a **false alarm**. (The author had seen the tool's output
on these seeds before writing them, so this is a careful annotation, not a blind test; the real measure is a
set of reports the tool has not seen.)

- **recall** = expected defects reported / expected defects;
- **precision** = expected defects reported / (expected + false alarms + unlabelled reported), counting rules
  once per report (acceptable advice is left out of both);
- the page is regenerated from the tool's output (`python -m tests.accuracy_doc`) and the test suite fails
  when it drifts, or when a `must_not` finding appears (`tests/test_review_labels.py`).
"""

OUTRO = """### Elements and facts

- Elements: the `elements` object equals the reviewer labels in `tests/data/seed_labels.yaml` for all five seeds
  (30 of 30 values; `tests/test_seed_elements.py`), and holds on altered seeds (parts removed, years shifted,
  re-encoded, converted to traditional; `tests/test_altered_seeds.py`, `tests/test_bad_input.py`) and on five
  heading layouts not seen in the seeds (`tests/test_variants.py`).
- Report year, unit and subject: equal to the review labels for all five seeds (`tests/test_review_labels.py`);
  an untitled report whose opening names an earlier year keeps the year of its work, plan and signature
  (`tests/test_subject_and_year.py`).
- Facts: all 37 study and other counts listed in the labels are extracted (recall 37/37); against a full hand
  reading of every quantity in the seeds (`tests/data/seed_facts.yaml`), 60 of 60 extracted facts are real and 60
  of 61 quantities are found (the miss is 002's “一项综合性督查”: a bare 一 is not read as a count on purpose).
  That reading was made after seeing the extractor's output, so it is an annotation, not a blind test.
"""


def load_review(name):
    with open(os.path.join(REVIEW, name.replace(".txt", ".yaml")), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def judge(review, rule):
    for key, word in (("expected", "expected"), ("acceptable", "acceptable"), ("must_not", "FALSE ALARM")):
        if any(item["rule"] == rule for item in review.get(key) or ()):
            return word
    return "unlabelled"


def tally(review, reported):
    """Counts for one report: reported is the set of rule ids the tool reported."""
    expected = {i["rule"] for i in review.get("expected") or ()}
    must_not = {i["rule"] for i in review.get("must_not") or ()}
    acceptable = {i["rule"] for i in review.get("acceptable") or ()}
    return {"expected": len(expected), "hit": len(expected & reported), "missed": sorted(expected - reported),
            "false": sorted(reported & must_not), "unlabelled": sorted(reported - expected - must_not - acceptable),
            "acceptable": len(reported & acceptable)}


def render(ruleset) -> str:
    from checker.engine import check_path

    sections, total = [], {"expected": 0, "hit": 0, "false": 0, "unlabelled": 0, "acceptable": 0}
    for golden in sorted(glob.glob(os.path.join(ROOT, "tests", "golden", "*.yaml"))):
        spec = yaml.safe_load(open(golden, encoding="utf-8"))
        review = load_review(spec["file"])
        result = check_path(os.path.join(ROOT, "seeds", spec["file"]), ruleset)
        severity = {(f.rule, f.line, f.column): f.severity for f in result.findings}
        counts = tally(review, {f.rule for f in result.findings})
        for key in total:
            total[key] += counts[key] if isinstance(counts[key], int) else len(counts[key])
        rows = [f"### {spec['file']} — {review['unit']}（{review['subject']}，{review['report_year']}，得分 {result.score:g}）", "",
                f"Expected defects reported: {counts['hit']}/{counts['expected']}; false alarms: {len(counts['false'])}"
                f"{' (' + ', '.join(counts['false']) + ')' if counts['false'] else ''}; unlabelled: "
                f"{len(counts['unlabelled'])}{' (' + ', '.join(counts['unlabelled']) + ')' if counts['unlabelled'] else ''}.", "",
                "| rule | severity | line:col | judgement | why |", "|---|---|---|---|---|"]
        for f in sorted(spec["findings"], key=lambda f: (f["line"], f["column"], f["rule"])):
            sev = severity.get((f["rule"], f["line"], f["column"]), "?")
            rows.append(f"| {f['rule']} | {sev} | {f['line']}:{f['column']} | {judge(review, f['rule'])} | {f['why']} |")
        if counts["missed"]:
            rows += ["", "Expected but not reported: " + ", ".join(counts["missed"]) + "."]
        rows += ["", "Not reported, though a reviewer might note it:", ""]
        rows += [f"- {m}" for m in spec.get("missed", [])] + [""]
        sections.append("\n".join(rows))
    reported = total["hit"] + total["false"] + total["unlabelled"]
    precision = total["hit"] / reported if reported else 1.0
    recall = total["hit"] / total["expected"] if total["expected"] else 1.0
    summary = (f"Over the five seeds: recall {total['hit']}/{total['expected']} ({recall:.0%}), precision "
               f"{total['hit']}/{reported} ({precision:.0%}), **false alarms {total['false']}**, unlabelled "
               f"{total['unlabelled']}, acceptable advice reported {total['acceptable']}.\n")
    from .accuracy_blind import blind_section

    return HEAD + blind_section() + "\n" + INTRO + "\n" + summary + "\n" + "\n".join(sections) + "\n" + OUTRO


if __name__ == "__main__":
    from checker.plugins import build_plugins
    from checker.rules import load_ruleset

    with open(PAGE, "w", encoding="utf-8") as handle:
        handle.write(render(load_ruleset(build_plugins())))
    print(f"wrote {PAGE}")
