"""``--format json``: the public contract other tools read (see README, "JSON contract")."""
from __future__ import annotations

import json

from .summary import summarise


def render_json(results, context) -> bytes:
    doc = {
        "tool": {"name": "fazhi-lint", "version": context["version"]},
        "files": [r.to_json() for r in results],
        "skipped": [{"path": path, "reason": reason} for path, reason in context.get("skipped", ())],
        "summary": summarise(results, context.get("skipped", ())),
    }
    # One line (pipe through `python -m json.tool` to read it), written by orjson: the same JSON
    # as json.dumps(doc, ensure_ascii=False) up to spaces after separators, ~8x faster on a batch.
    # json writes what orjson refuses (a lone surrogate, an integer beyond 64 bits).
    # The result is UTF-8 bytes, written as they are (no decode and re-encode of a 35 MB batch).
    try:
        import orjson

        return orjson.dumps(doc, option=orjson.OPT_APPEND_NEWLINE)
    except (ImportError, TypeError, ValueError):
        return (json.dumps(doc, ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace")
