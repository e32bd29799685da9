"""Stored reports read back as the engine's records (``Result``, ``Finding``), so the outputs and
comparisons below the desk (letters, ``compare.drafts``, the marked-up text) work on them as they
work on a fresh run."""
from __future__ import annotations

import json
from dataclasses import replace

from ..records import Finding, Result
from .ingest import context_lines
from ..waivers.fingerprint import fingerprint as text_fingerprint


class StoredText:
    """The ``ContextReader`` of ``waivers.fingerprint`` for texts already in the store."""

    def __init__(self, texts: dict):
        self.texts = texts

    def context(self, path, finding) -> str:
        return context_lines(self.texts.get(path) or "", finding)

    def fingerprint(self, path, finding) -> str:
        return text_fingerprint(finding.rule, self.context(path, finding), finding.excerpt)


def _load(value, default):
    if value in (None, ""):
        return default
    try:
        return json.loads(value)
    except ValueError:
        return default


def finding_of(row) -> Finding:
    location = _load(row.location, None)
    return Finding(rule=row.rule, severity=row.severity, message=row.message or "", hint=row.hint or "",
                   basis=_load(row.basis, ""), line=row.line or 1, column=row.col or 1,
                   end_line=row.end_line or row.line or 1, end_column=row.end_col or 1, excerpt=row.excerpt or "",
                   location=location)


def report_row(conn, t, report_id):
    from sqlalchemy import select

    r = t["reports"]
    return conn.execute(select(r).where(r.c.id == report_id)).first()


def finding_rows(conn, t, report_id) -> list:
    from sqlalchemy import select

    f = t["findings"]
    return list(conn.execute(select(f).where(f.c.report_id == report_id).order_by(f.c.position)))


def result_of(conn, t, report_id, row=None):
    """(Result, text, {id(finding): fingerprint}) of a stored report; ``path`` is ``report-ID``."""
    row = row or report_row(conn, t, report_id)
    findings, prints = [], {}
    for frow in finding_rows(conn, t, report_id):
        finding = finding_of(frow)
        findings.append(finding)
        prints[id(finding)] = frow.fingerprint
    result = Result(path=f"report-{report_id}", error=row.error, score=row.score, meta=_load(row.meta, {}),
                    elements=_load(row.elements, {}), findings=tuple(findings),
                    subscores=_load(row.subscores, {}))
    return result, row.text or "", prints


def reviewed_result(conn, t, report_id, decisions: dict):
    """The report as its letter shows it: struck findings left out, edited wording in place of the
    tool's message, the reviewed score and parts; ``decisions``: {fingerprint: decision row}."""
    row = report_row(conn, t, report_id)
    result, text, prints = result_of(conn, t, report_id, row)
    kept = []
    for finding in result.findings:
        decision = decisions.get(prints[id(finding)])
        if decision is not None and decision.decision == "dismissed":
            continue
        if decision is not None and decision.wording:
            finding = replace(finding, message=decision.wording)
        kept.append(finding)
    elements = _load(row.reviewed_elements, None) or result.elements
    return replace(result, findings=tuple(kept), score=row.reviewed_score, elements=elements), row
