"""The fast path of ``ingest.store_results``: the reports of a run that open a filing of their own
(no earlier version of that unit's report for that year: the whole inbox, the first time) go into
the store in a few statements each carrying every row, instead of a dozen statements per report.
Nothing to carry over and no decision yet: their reviewed score is the tool's."""
from __future__ import annotations

import json

from .store import now

CHUNK = 500


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def insert_ids(conn, table, rows) -> list:
    """Insert ``rows``; their new ids, in order (one statement where the database returns them)."""
    from sqlalchemy import insert

    if not rows:
        return []
    if getattr(conn.dialect, "insert_executemany_returning_sort_by_parameter_order", False):
        return list(conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())
    return [conn.execute(insert(table).values(**row)).inserted_primary_key[0] for row in rows]


def units(conn, t, wanted: dict) -> dict:
    """{key: unit id} for ``wanted`` {key: shown name}, creating the units not yet known."""
    from sqlalchemy import select, update

    u, found = t["units"], {}
    keys = list(wanted)
    for at in range(0, len(keys), CHUNK):
        for row in conn.execute(select(u.c.id, u.c.key, u.c.name).where(u.c.key.in_(keys[at:at + CHUNK]))):
            found[row.key] = row.id
            name = wanted[row.key]
            if name and row.name != name and not row.key.startswith("file:"):
                conn.execute(update(u).where(u.c.id == row.id).values(name=name))     # the latest spelling
    missing = [k for k in keys if k not in found]
    ids = insert_ids(conn, u, [{"key": k, "name": wanted[k], "created_at": now()} for k in missing])
    found.update(zip(missing, ids))
    return found


def filed(conn, t, pairs) -> set:
    """The (unit id, year) of ``pairs`` that already have a filing."""
    from sqlalchemy import select

    fl, out = t["filings"], set()
    unit_ids = sorted({u for u, _ in pairs})
    for at in range(0, len(unit_ids), CHUNK):
        out.update((row.unit_id, row.year) for row in
                   conn.execute(select(fl.c.unit_id, fl.c.year).where(fl.c.unit_id.in_(unit_ids[at:at + CHUNK]))))
    return out & set(pairs)


def store_files(conn, t, items) -> None:
    from sqlalchemy import insert, select

    files = t["files"]
    wanted = {i.digest: i for i in items}
    digests, known = list(wanted), set()
    for at in range(0, len(digests), CHUNK):
        known.update(conn.execute(select(files.c.hash).where(files.c.hash.in_(digests[at:at + CHUNK]))).scalars())
    rows = [{"hash": d, "size": len(i.data), "data": i.data} for d, i in wanted.items() if d not in known]
    if rows:
        conn.execute(insert(files), rows)


def new_filings(conn, t, items, unit_ids, run_id, sig) -> list:
    """Store each item (Incoming) as version 1 of a new filing; the new report ids."""
    from .ingest import counts_of, unit_identity

    if not items:
        return []
    store_files(conn, t, items)
    at = now()
    filings = insert_ids(conn, t["filings"], [
        {"unit_id": unit_ids[unit_identity(i.result.meta or {}, i.file_name)[0]],
         "year": (i.result.meta or {}).get("report_year") or 0, "status": "pending", "created_at": at} for i in items])
    rows = []
    for item, filing_id in zip(items, filings):
        result, counts = item.result, counts_of(item.result)
        rows.append({
            "filing_id": filing_id, "run_id": run_id, "version": 1, "file_name": item.file_name,
            "content_hash": item.digest, "signature": sig, "text": item.text, "meta": _json(result.meta or {}),
            "elements": _json(result.elements or {}), "outcomes": _json([list(o) for o in result.outcomes]),
            "score": result.score, "subscores": _json(result.subscores or {}), "error": result.error,
            "errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"],
            "reviewed_score": None if result.error else result.score,
            "reviewed_elements": _json({} if result.error else (result.elements or {})),
            "reviewed_counts": _json(counts if not result.error else {"error": 0, "warning": 0, "info": 0}),
            "created_at": at})
    reports = insert_ids(conn, t["reports"], rows)
    findings = []
    for item, report_id in zip(items, reports):
        for n, (f, fp, ctx) in enumerate(zip(item.result.findings, item.fingerprints, item.contexts)):
            findings.append({"report_id": report_id, "position": n, "fingerprint": fp, "rule": f.rule,
                             "severity": f.severity, "message": f.message, "hint": f.hint, "basis": _json(f.basis),
                             "line": f.line, "col": f.column, "end_line": f.end_line, "end_col": f.end_column,
                             "excerpt": f.excerpt, "location": _json(f.location) if f.location else None,
                             "context": ctx})
    insert_plain(conn, t["findings"], findings)
    return reports


def insert_plain(conn, table, rows) -> None:
    """Many rows of plain values in one DB-API ``executemany`` (SQLAlchemy's own executemany spends
    longer preparing 5,000 rows' parameters than the database spends storing them)."""
    if not rows:
        return
    names = list(rows[0])
    style = conn.dialect.paramstyle
    marks = ", ".join("?" if style == "qmark" else "%s" if style in ("format", "pyformat") else f":{n}" for n in names)
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"
    values = [tuple(row[n] for n in names) for row in rows] if style in ("qmark", "format", "pyformat") else rows
    for start in range(0, len(values), 5000):
        conn.exec_driver_sql(sql, values[start:start + 5000])
