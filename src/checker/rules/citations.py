"""A rule's legal basis as data: ``basis: [{doc, article, verified, note, local}]``.

Only what has been checked against a source is shown to users: an entry with ``verified: false``
names its document but not the article or clause (a wrong article number in an official's
report review costs more trust than none). ``note`` is free text shown as written (e.g. "阈值为经验值").
``local`` names the place a document binds ("四川省", "威海市"): a province's or a city's own rule,
which the national pack may quote as an example of practice but which is no basis for a unit
elsewhere, so a feedback letter never cites it (``outputs/letters.citation``). A province pack's
own documents need no mark: its rules are for that province's units.
A plain string is still accepted (older province packs); it is shown as written.
"""
from __future__ import annotations

from ..errors import RuleError

ENTRY_KEYS = {"doc", "article", "verified", "note", "local"}


def parse_basis(value) -> tuple:
    """Validate a rule's ``basis`` and return it as a tuple of entry dicts (a string -> one note)."""
    if isinstance(value, str):
        if not value.strip():
            raise RuleError("basis 必须是非空字符串或条目列表")
        return ({"note": value.strip()},)
    if not isinstance(value, list) or not value:
        raise RuleError("basis 必须是非空的条目列表：[{doc, article, verified, note}]")
    entries = []
    for index, entry in enumerate(value):
        where = f"basis[{index}]"
        if not isinstance(entry, dict):
            raise RuleError(f"{where} 必须是映射 {{doc, article, verified, note}}")
        unknown = set(entry) - ENTRY_KEYS
        if unknown:
            raise RuleError(f"{where} 中未知的字段：{', '.join(sorted(map(str, unknown)))}；"
                            "可用：doc, article, verified, note, local")
        for key in ("doc", "article", "note", "local"):
            if key in entry and (not isinstance(entry[key], str) or not entry[key].strip()):
                raise RuleError(f"{where}.{key} 必须是非空字符串")
        if "doc" not in entry and "note" not in entry:
            raise RuleError(f"{where} 须有 doc（文件名称）或 note（说明）")
        if "article" in entry and "doc" not in entry:
            raise RuleError(f"{where} 有 article 却没有 doc")
        if "article" in entry and not isinstance(entry.get("verified"), bool):
            raise RuleError(f"{where} 有 article 时必须写明 verified: true 或 false（是否已对照原文核实）")
        entries.append(dict(entry))
    return tuple(entries)


def render_basis(entries) -> str:
    """The user-facing basis: each document once, with its verified articles; then the notes."""
    order, articles, notes = [], {}, []
    for entry in entries:
        doc = entry.get("doc")
        if doc:
            if doc not in articles:
                order.append(doc)
                articles[doc] = []
            article = entry.get("article")
            if article and entry.get("verified") and article not in articles[doc]:
                articles[doc].append(article)
        if entry.get("note") and entry["note"] not in notes:
            notes.append(entry["note"])
    parts = [doc + "、".join(articles[doc]) for doc in order]
    return "；".join(parts + notes)
