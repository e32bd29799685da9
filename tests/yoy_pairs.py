"""Last-year / this-year pairs built from the seeds (tests/data/yoy/plan_pairs.yaml)."""
import os

import yaml

from checker.document import build_document
from tests.cli_helpers import DATA, SEEDS


def seed_text(name: str) -> str:
    with open(os.path.join(SEEDS, name), encoding="utf-8") as handle:
        return handle.read()


def with_evidence(doc_text: str, sentences) -> str:
    """The text with ``sentences`` added as a paragraph after the first line of the measures part."""
    doc = build_document(doc_text)
    part = next(p for p in doc.parts if "measures_and_results" in p.elements)
    line_end = doc.norm.offsets.span_to_original(part.start, part.heading_end)[1]
    line_end = doc_text.index("\n", line_end) if "\n" in doc_text[line_end:] else len(doc_text)
    return doc_text[:line_end] + "\n\n" + "".join(sentences) + "\n" + doc_text[line_end:]


def plan_pairs(name="plan_pairs.yaml"):
    """(name, last text, this text, labels) for each pair of the file."""
    with open(os.path.join(DATA, "yoy", name), encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    for pair in spec["pairs"]:
        evidence = [pair["evidence"][k] for k in sorted(pair.get("evidence") or {})]
        this = with_evidence(seed_text(pair["this"]), evidence) if evidence else seed_text(pair["this"])
        yield f"{pair['last'][:3]}->{pair['this'][:3]}", seed_text(pair["last"]), this, pair["labels"]


def written_this_year(last_doc, pair) -> str:
    """The next year's report of ``last_doc``'s unit, assembled from an evaluation pair's written
    sentences (tests/data/yoy/plan_eval_*.yaml): title, measures, shortcomings, plan."""
    year = (last_doc.meta.report_year or 2023) + 1
    unit = last_doc.meta.unit or "某某单位"
    lines = [f"{unit}{year}年度法治政府建设情况报告", "",
             f"一、{year}年度推进法治政府建设的主要举措和成效", *pair["measures"], "",
             "二、存在的不足和原因"]
    ordinals = "一二三四五六七八九十"
    lines += [f"{ordinals[k]}是{s}" for k, s in enumerate(pair["shortcomings"])]
    lines += ["", f"三、{year + 1}年度推进法治政府建设的主要安排", *pair["plan"], ""]
    return "\n".join(lines)


def written_pairs(name):
    """(name, last text, this text, labels) for each pair of a round-2 evaluation file."""
    with open(os.path.join(DATA, "yoy", name), encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    for k, pair in enumerate(spec["pairs"]):
        last = seed_text(pair["last"])
        yield f"{pair['last'][:3]}#{k}", last, written_this_year(build_document(last), pair), pair["labels"]


def written_last_year(pair) -> str:
    """Last year's report of an evaluation pair that carries it inline (``unit``, ``last_year``,
    ``last_measures``, ``last_shortcomings``, ``last_plan``) rather than naming a seed."""
    year = int(pair["last_year"])
    lines = [f"{pair['unit']}{year}年度法治政府建设情况报告", "",
             f"一、{year}年度推进法治政府建设的主要举措和成效", *(pair.get("last_measures") or ["全年依法行政工作有序推进。"]), "",
             "二、存在的不足和原因", *(pair.get("last_shortcomings") or ["法治工作与业务工作结合还不够紧密。"]), "",
             f"三、{year + 1}年度推进法治政府建设的主要安排", *pair["last_plan"], ""]
    return "\n".join(lines)


def inline_pairs(name):
    """(name, last text, this text, labels) for each pair of an evaluation file whose last-year
    reports are written inline (tests/data/yoy/plan_eval_heldout3.yaml and later)."""
    with open(os.path.join(DATA, "yoy", name), encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    for k, pair in enumerate(spec["pairs"]):
        last = written_last_year(pair)
        yield f"{name.split('.')[0].replace('plan_eval_', '')}#{k}", last, written_this_year(build_document(last), pair), \
            pair["labels"]


# Every labelled FZ-Y01 evaluation set, oldest first, with the reader of its format (docs/year-over-year.md
# says how each was made and measured). Read by tests/test_year_over_year.py (aggregate floors) and
# benchmarks/plan_matcher_eval.py (per-set figures).
EVAL_SETS = (("plan_pairs.yaml", plan_pairs), ("plan_pairs_heldout.yaml", plan_pairs),
             ("plan_eval_tuning.yaml", written_pairs), ("plan_eval_heldout.yaml", written_pairs),
             ("plan_eval_heldout2.yaml", written_pairs),
             *((f"plan_eval_heldout{k}.yaml", inline_pairs) for k in range(3, 21)))

# The sets the final matcher was frozen before and never tuned on: its three blind looks (heldout15..20).
NEVER_TUNED_ON = tuple(f"plan_eval_heldout{k}.yaml" for k in range(15, 21))
