"""What the pages and the API read from the store, each in a few queries (the ranking of 300
reports is one query and one pass)."""
from __future__ import annotations

import json

from ..outputs import desk as office
from .schema import STATUSES


def parts_of(elements: dict, ruleset=None) -> dict:
    """{part: present?} as the score reads it: the batch desk's own reading (``outputs.desk.part_presence``);
    the parts are the rule pack's (``ruleset``: the desk's, the national pack's when None)."""
    return office.part_presence(elements, ruleset)


def missing_names(parts: dict, ruleset=None) -> list:
    """The names (the pack's) of the parts ``parts`` marks absent, in the regulation's order."""
    return [label for key, label in office.parts_of(ruleset) if not parts.get(key, True)]


def _load(value, default):
    try:
        return json.loads(value) if value else default
    except ValueError:
        return default


def _latest_ids(t):
    from sqlalchemy import func, select

    r = t["reports"]
    newest = select(r.c.filing_id, func.max(r.c.version).label("version")).group_by(r.c.filing_id).subquery()
    return select(r.c.id).join(newest, (r.c.filing_id == newest.c.filing_id) & (r.c.version == newest.c.version))


def latest_of_filings(conn, t, filing_ids) -> dict:
    """{filing id: its latest report row}."""
    from sqlalchemy import select

    r = t["reports"]
    if not filing_ids:
        return {}
    rows = conn.execute(select(r).where(r.c.filing_id.in_(list(filing_ids)), r.c.id.in_(_latest_ids(t))))
    return {row.filing_id: row for row in rows}


def ranking(conn, t, ruleset=None) -> list:
    """One row per filing (its latest version): unit, year, file, tool and reviewed scores and counts,
    parts as reviewed, status; ranked by the reviewed score (ties share a rank), unreadable last."""
    from sqlalchemy import select

    r, fl, u = t["reports"], t["filings"], t["units"]
    query = (select(r.c.id, r.c.file_name, r.c.score, r.c.reviewed_score, r.c.errors, r.c.warnings, r.c.infos,
                    r.c.reviewed_counts, r.c.reviewed_elements, r.c.error, r.c.version, r.c.meta, r.c.filing_id,
                    fl.c.year, fl.c.status, u.c.id.label("unit_id"), u.c.name.label("unit"))
             .join(fl, fl.c.id == r.c.filing_id).join(u, u.c.id == fl.c.unit_id)
             .where(r.c.id.in_(_latest_ids(t))))
    rows = []
    for row in conn.execute(query):
        counts = _load(row.reviewed_counts, {})
        elements = _load(row.reviewed_elements, {})
        subject = _load(row.meta, {}).get("subject")
        parts = parts_of(elements, ruleset)
        rows.append({
            "id": row.id, "unit": row.unit, "unit_id": row.unit_id, "year": row.year or None, "file_name": row.file_name,
            "score": row.score, "reviewed_score": row.reviewed_score, "version": row.version, "error": row.error,
            "errors": counts.get("error", row.errors), "warnings": counts.get("warning", row.warnings),
            "infos": counts.get("info", row.infos), "tool_counts": [row.errors, row.warnings, row.infos],
            "status": row.status, "status_zh": STATUSES.get(row.status, row.status),
            "level": office.word(subject) if isinstance(subject, str) and subject else "",
            "parts": parts, "missing": missing_names(parts, ruleset) if not row.error else [],
            "rank": None})
    scored = sorted((x for x in rows if x["reviewed_score"] is not None),
                    key=lambda x: (-x["reviewed_score"], x["errors"], x["unit"], x["id"]))
    previous, rank = None, 0
    for position, row in enumerate(scored, 1):
        if row["reviewed_score"] != previous:
            rank, previous = position, row["reviewed_score"]
        row["rank"] = rank
    return scored + sorted((x for x in rows if x["reviewed_score"] is None), key=lambda x: x["id"])


def report_view(conn, t, report_id):
    """Everything a report page shows, or None: the report row, its unit and filing, its findings with
    their decisions, the filing's versions and remarks."""
    from sqlalchemy import select

    from .records import finding_rows, report_row

    row = report_row(conn, t, report_id)
    if row is None:
        return None
    fl, u, d, m, r = t["filings"], t["units"], t["decisions"], t["remarks"], t["reports"]
    filing = conn.execute(select(fl).where(fl.c.id == row.filing_id)).first()
    unit = conn.execute(select(u).where(u.c.id == filing.unit_id)).first()
    decisions = {x.fingerprint: x for x in conn.execute(select(d).where(d.c.filing_id == filing.id))}
    versions = list(conn.execute(select(r.c.id, r.c.version, r.c.file_name, r.c.score, r.c.reviewed_score, r.c.created_at)
                                 .where(r.c.filing_id == filing.id).order_by(r.c.version)))
    remarks = list(conn.execute(select(m).where(m.c.filing_id == filing.id).order_by(m.c.id)))
    return {"row": row, "filing": filing, "unit": unit, "findings": finding_rows(conn, t, report_id),
            "decisions": decisions, "versions": versions, "remarks": remarks, "meta": _load(row.meta, {}),
            "elements": _load(row.reviewed_elements, {}), "tool_elements": _load(row.elements, {})}


def finding_json(frow, decision) -> dict:
    return {"id": frow.id, "fingerprint": frow.fingerprint, "rule": frow.rule, "severity": frow.severity,
            "message": frow.message, "hint": frow.hint, "excerpt": frow.excerpt, "line": frow.line,
            "column": frow.col, "location": _load(frow.location, None),
            "decision": decision.decision if decision is not None else None,
            "reason": decision.reason if decision is not None else None,
            "wording": decision.wording if decision is not None else None,
            "decided_by": decision.reviewer if decision is not None else None,
            "decided_at": decision.decided_at if decision is not None else None}


def report_json(view) -> dict:
    row, filing = view["row"], view["filing"]
    return {"id": row.id, "unit": view["unit"].name, "unit_id": view["unit"].id, "year": filing.year or None,
            "file_name": row.file_name, "version": row.version, "status": filing.status,
            "score": row.score, "reviewed_score": row.reviewed_score, "error": row.error, "meta": view["meta"],
            "elements": view["tool_elements"], "reviewed_elements": view["elements"],
            "versions": [{"id": v.id, "version": v.version, "file_name": v.file_name, "score": v.score,
                          "reviewed_score": v.reviewed_score} for v in view["versions"]],
            "remarks": [{"text": x.text, "author": x.author, "created_at": x.created_at} for x in view["remarks"]],
            "findings": [finding_json(f, view["decisions"].get(f.fingerprint)) for f in view["findings"]]}


def reports_with_status(conn, t, status: str) -> list:
    """Latest report ids of the filings at ``status``, in ranking order (unit name, year)."""
    from sqlalchemy import select

    r, fl, u = t["reports"], t["filings"], t["units"]
    query = (select(r.c.id).join(fl, fl.c.id == r.c.filing_id).join(u, u.c.id == fl.c.unit_id)
             .where(fl.c.status == status, r.c.id.in_(_latest_ids(t))).order_by(u.c.name, fl.c.year))
    return list(conn.execute(query).scalars())


def changes(conn, t, report_id):
    """The findings fixed / new / still there since the version before, or None for a first version."""
    from sqlalchemy import select

    from ..compare.drafts import diff_results
    from .records import StoredText, report_row, result_of

    row = report_row(conn, t, report_id)
    if row is None or row.version <= 1:
        return None
    r = t["reports"]
    before = conn.execute(select(r.c.id).where(r.c.filing_id == row.filing_id, r.c.version == row.version - 1)).scalar()
    old, old_text, _ = result_of(conn, t, before)
    new, new_text, new_prints = result_of(conn, t, report_id, row)
    diff = diff_results(old, new, StoredText({old.path: old_text, new.path: new_text}))
    return {"previous": before, "fixed": diff.fixed, "new": diff.new, "still_open": diff.still_open,
            "new_prints": {new_prints[id(f)] for f in diff.new}, "errors": diff.errors}
