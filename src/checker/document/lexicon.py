"""Load the document model's vocabulary (lexicon.yaml) once, compiled.

The lexicon ships with the package, so its patterns use the standard ``re`` module (faster to
compile at start-up); user-supplied rule patterns go through ``regex`` with a timeout instead.
"""
from __future__ import annotations

import functools
import os
import re

from ..helpers.yamlio import load_yaml_file_cached

LEXICON_PATH = os.path.join(os.path.dirname(__file__), "lexicon.yaml")


def _any(patterns) -> "re.Pattern":
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@functools.lru_cache(maxsize=1)
def lexicon() -> dict:
    data = load_yaml_file_cached(LEXICON_PATH)
    chrome = data["chrome"]
    compiled = {
        "chrome_header": _any(chrome["header"]),
        "chrome_footer": _any(chrome["footer"]),
        "chrome_anywhere": _any(chrome["anywhere"]),
        "title_subject": re.compile(data["title"]["subject"]),
        "title_doctype": re.compile(data["title"]["doctype"]),
        "published_fields": [re.compile(f"(?:{p})\\s*[:：|]?\\s*[|]?\\s*") for p in data["dates"]["published_fields"]],
    }
    raw = data["elements"]
    for key, value in raw.items():
        if "{Y" not in value:
            compiled[key] = re.compile(value)
    compiled["_templates"] = {k: v for k, v in raw.items() if "{Y" in v}
    return compiled


@functools.lru_cache(maxsize=64)
def year_pattern(name: str, year: int) -> "re.Pattern":
    """Compile a lexicon pattern that mentions the report year ({Y}) or the year after ({Y1})."""
    template = lexicon()["_templates"][name]
    y = str(year) if year else r"20\d\d"
    y1 = str(year + 1) if year else r"20\d\d"
    return re.compile(template.replace("{Y1}", y1).replace("{Y}", y))
