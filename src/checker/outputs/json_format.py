"""``--format json``: the public contract other tools read (see README, "JSON contract")."""
from __future__ import annotations

import json

from .summary import summarise


def render_json(results, context) -> str:
    doc = {
        "tool": {"name": "fazhi-lint", "version": context["version"]},
        "files": [r.to_json() for r in results],
        "summary": summarise(results),
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
