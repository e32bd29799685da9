"""``--format json``: the public contract other tools read (see README, "JSON contract")."""
from __future__ import annotations

import json

from .summary import summarise


def render_json(results, context) -> str:
    doc = {
        "tool": {"name": "fazhi-lint", "version": context["version"]},
        "files": [r.to_json() for r in results],
        "skipped": [{"path": path, "reason": reason} for path, reason in context.get("skipped", ())],
        "summary": summarise(results, context.get("skipped", ())),
    }
    # One line: json's C encoder is used only without indent (10x faster on a large batch);
    # pipe through `python -m json.tool` to read it.
    return json.dumps(doc, ensure_ascii=False) + "\n"
