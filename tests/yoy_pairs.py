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
