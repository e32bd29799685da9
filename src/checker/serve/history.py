"""A unit's history: its reports year by year (tool and reviewed score), and each year's report
held against the year before (last year's plan items against this year's work, FZ-Y01 verdicts
with 待核 marked, parts copied from last year FZ-Y02, shortcomings repeated FZ-Y04, facts that
moved). The pairs come from the store by unit and year: no ``--previous`` folder is needed.

A comparison is worked out once (``compare.report.compare_pair``, in a guarded worker process like
every check: ``engine.batch``) and kept in ``comparisons``.
"""
from __future__ import annotations

import json

from .jobs import CHECK_LOCK
from .store import now


def _verdict(v) -> dict:
    from ..compare.plans import STATUS_ZH

    def text(sentence):
        return sentence.text if sentence is not None else None
    return {"item": v.label, "status": v.status, "status_zh": STATUS_ZH.get(v.status, v.status), "sure": v.sure,
            "evidence": text(v.evidence), "replanned": text(v.replanned), "nearest": text(v.nearest)}


def compare_stored(previous, current, ruleset) -> dict:
    """The comparison of two stored reports given as ``inputs.Input`` (bytes), as plain data."""
    from ..compare.report import compare_pair

    pair = compare_pair(previous, current, ruleset)
    return {"plan": [_verdict(v) for v in pair.plan],
            "facts": [c.to_json() for c in pair.facts if c.moved and c.before is not None and c.after is not None],
            "findings": [{"rule": f.rule, "severity": f.severity, "message": f.message, "excerpt": f.excerpt,
                          "line": f.line} for f in pair.result.findings if f.suppressed is None]}


def _guarded(previous, current, ruleset) -> dict:
    """``compare_stored`` in a forked worker, with the batch's time limits."""
    from ..engine.batch import Limits, report_budget, run_jobs

    def work(_item, _timed_out, _watch):
        try:
            return compare_stored(previous, current, ruleset)
        except Exception as exc:              # an unreadable report: the page says so
            return {"error": f"无法比较：{type(exc).__name__}: {exc}"}
    limits = Limits(rule_ids=(), rule_budget=lambda item: 60.0, report_budget=lambda item: report_budget(current),
                    failed=lambda item, problem: {"error": problem.message})
    with CHECK_LOCK:
        return run_jobs([current], work, limits, jobs=1)[0]


def _input(conn, t, report_row):
    from sqlalchemy import select

    from ..inputs import Input

    data = conn.execute(select(t["files"].c.data).where(t["files"].c.hash == report_row.content_hash)).scalar()
    return Input(display=report_row.file_name, data=bytes(data or b""))


def comparison(store, ruleset, previous_row, current_row) -> dict:
    from sqlalchemy import insert, select

    c = store.t["comparisons"]
    with store.read() as conn:
        cached = conn.execute(select(c.c.data).where(c.c.previous_id == previous_row.id,
                                                     c.c.report_id == current_row.id)).scalar()
        if cached:
            return json.loads(cached)
        previous, current = _input(conn, store.t, previous_row), _input(conn, store.t, current_row)
    data = _guarded(previous, current, ruleset)
    if "error" not in data:
        with store.write() as conn:
            if conn.execute(select(c.c.report_id).where(c.c.previous_id == previous_row.id,
                                                        c.c.report_id == current_row.id)).first() is None:
                conn.execute(insert(c).values(previous_id=previous_row.id, report_id=current_row.id,
                                              data=json.dumps(data, ensure_ascii=False), created_at=now()))
    return data


def unit_history(store, ruleset, unit_id):
    """``{unit, years: [{year, filing, status, report (latest version row), versions, remarks,
    comparison (with the year before, or None)}]}``, latest year first; None for an unknown unit."""
    from sqlalchemy import select

    from .queries import latest_of_filings

    t = store.t
    u, fl, m = t["units"], t["filings"], t["remarks"]
    with store.read() as conn:
        unit = conn.execute(select(u).where(u.c.id == unit_id)).first()
        if unit is None:
            return None
        filings = list(conn.execute(select(fl).where(fl.c.unit_id == unit_id).order_by(fl.c.year, fl.c.id)))
        latest = latest_of_filings(conn, t, [f.id for f in filings])
        remarks = {}
        for row in conn.execute(select(m).where(m.c.filing_id.in_([f.id for f in filings])).order_by(m.c.id)):
            remarks.setdefault(row.filing_id, []).append(row)
    years, by_year = [], {}
    for filing in filings:
        report = latest.get(filing.id)
        if report is None:
            continue
        entry = {"year": filing.year, "filing": filing, "status": filing.status, "report": report,
                 "remarks": remarks.get(filing.id, []), "comparison": None, "previous": None}
        years.append(entry)
        by_year.setdefault(filing.year, entry)
    for entry in years:
        before = by_year.get(entry["year"] - 1) if entry["year"] else None
        if before is not None and not entry["report"].error and not before["report"].error:
            entry["previous"] = before["report"]
            entry["comparison"] = comparison(store, ruleset, before["report"], entry["report"])
    return {"unit": unit, "years": sorted(years, key=lambda e: (-e["year"], -e["filing"].id))}
