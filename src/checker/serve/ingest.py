"""Putting a run's results into the store: units, filings and versions, findings with their text
fingerprints, and the decisions a resubmission carries over.

Which filing a report belongs to (one unit's report for one year):

- the unit is the report's own name for itself (``meta.unit``), normalised (NFKC, no spaces), so
  某区司法局 in 2023 and in 2024 is one unit; a report that names no unit is known by its file name;
- a report whose unit and year match a filing received in an *earlier* run is a new version of it
  (a resubmission); of several such filings, the one whose latest version shares the most findings
  with it (then the same file name). Reports of one run are never versions of each other: an inbox
  holds one report per unit, and two that read alike are two filings;
- the same bytes checked with the same rules as the filing's latest version add nothing.

A new version is compared with the one before (``compare.drafts``: findings fixed, new, still
there, matched by their words): a decision on a finding that is still there holds, also when its
paragraph was edited and its fingerprint changed with it.
"""
from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from dataclasses import dataclass, field

from .. import __version__
from ..compare.companions import name_key
from ..waivers.fingerprint import fingerprint as text_fingerprint
from .review import dismissed_of, refresh_report
from .store import now


@dataclass
class Incoming:
    """One checked report, ready to store."""

    result: object                 # records.Result
    file_name: str
    data: bytes
    text: str
    fingerprints: list
    contexts: list

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Stored:
    run_id: int = 0
    added: list = field(default_factory=list)          # report ids of new filings
    versions: list = field(default_factory=list)       # report ids of new versions of a filing
    unchanged: list = field(default_factory=list)      # file names already in the store as they are

    def to_json(self) -> dict:
        return {"run": self.run_id, "added": len(self.added), "versions": len(self.versions),
                "unchanged": len(self.unchanged), "reports": self.added + self.versions}


def pack_versions(loaded) -> list:
    """``[{name, version}]`` of the rule packs the loaded rule set is made of, base first."""
    versions = {p.name: p.version for p in loaded.plugins.rule_packs()}
    return [{"name": name, "version": versions.get(name, "")} for name in loaded.ruleset.chain or (loaded.ruleset.pack,)]


def signature(loaded, request) -> str:
    """What decides a report's findings besides its bytes: the tool, the packs and their versions,
    plugins, and the rules themselves (an edited ``--rules`` file is a new signature)."""
    rules = [(r.id, r.severity, r.check, repr(r.params), r.message) for r in loaded.ruleset.rules]
    key = json.dumps([__version__, pack_versions(loaded), list(request.plugins), list(request.rule_paths),
                      request.lang, rules], ensure_ascii=False, default=str)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def unit_identity(meta: dict, file_name: str) -> tuple:
    """(key, shown name) of the unit a report is from."""
    unit = "".join(unicodedata.normalize("NFKC", (meta or {}).get("unit") or "").split())
    if unit:
        return unit, (meta.get("unit") or unit).strip()
    stem = os.path.splitext(file_name)[0]
    return "file:" + (name_key(file_name) or stem), stem or file_name


def context_lines(text, finding) -> str:
    """The original text of the lines a finding covers (``text``: the report's text, or its lines)."""
    lines = text.split("\n") if isinstance(text, str) else text
    first = max(finding.line - 1, 0)
    last = max(finding.end_line, finding.line)
    return "\n".join(line.rstrip("\r") for line in lines[first:last])


def prepare(result, data: bytes, text: str, file_name: str) -> Incoming:
    lines = text.split("\n") if text else []
    contexts = [context_lines(lines, f) for f in result.findings] if text else ["" for _ in result.findings]
    prints = [text_fingerprint(f.rule, c, f.excerpt) for f, c in zip(result.findings, contexts)]
    return Incoming(result, file_name, data, text, prints, contexts)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _latest(conn, t, filing_id):
    from sqlalchemy import select

    r = t["reports"]
    return conn.execute(select(r.c.id, r.c.run_id, r.c.content_hash, r.c.signature, r.c.file_name, r.c.version)
                        .where(r.c.filing_id == filing_id).order_by(r.c.version.desc()).limit(1)).first()


def _filing(conn, t, unit_id, year, item, digest, sig, run_id):
    """(filing id or None for a new one, latest report row or None, duplicate?)"""
    from sqlalchemy import select

    fl, f = t["filings"], t["findings"]
    candidates = []
    for filing_id in conn.execute(select(fl.c.id).where(fl.c.unit_id == unit_id, fl.c.year == year)
                                  .order_by(fl.c.id)).scalars():
        latest = _latest(conn, t, filing_id)
        if latest is None:
            continue
        if latest.content_hash == digest and latest.signature == sig:
            return filing_id, latest, True
        if latest.run_id != run_id:
            candidates.append((filing_id, latest))
    if not candidates:
        return None, None, False
    mine = set(item.fingerprints)

    def shared(candidate):
        prints = set(conn.execute(select(f.c.fingerprint).where(f.c.report_id == candidate[1].id)).scalars())
        return (len(mine & prints), candidate[1].file_name == item.file_name, candidate[1].id)
    filing_id, latest = max(candidates, key=shared)
    return filing_id, latest, False


def counts_of(result) -> dict:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in result.findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return counts


def _insert_report(conn, t, item, filing_id, run_id, version, sig) -> int:
    from sqlalchemy import insert

    result, counts = item.result, counts_of(item.result)
    report_id = conn.execute(insert(t["reports"]).values(
        filing_id=filing_id, run_id=run_id, version=version, file_name=item.file_name, content_hash=item.digest,
        signature=sig, text=item.text, meta=_json(result.meta or {}), elements=_json(result.elements or {}),
        outcomes=_json([list(o) for o in result.outcomes]), score=result.score, subscores=_json(result.subscores or {}),
        error=result.error, errors=counts["error"], warnings=counts["warning"], infos=counts["info"],
        created_at=now())).inserted_primary_key[0]
    rows = [{"report_id": report_id, "position": n, "fingerprint": fp, "rule": fnd.rule, "severity": fnd.severity,
             "message": fnd.message, "hint": fnd.hint, "basis": _json(fnd.basis), "line": fnd.line, "col": fnd.column,
             "end_line": fnd.end_line, "end_col": fnd.end_column, "excerpt": fnd.excerpt,
             "location": _json(fnd.location) if fnd.location else None, "context": ctx}
            for n, (fnd, fp, ctx) in enumerate(zip(result.findings, item.fingerprints, item.contexts))]
    if rows:
        conn.execute(insert(t["findings"]), rows)
    return report_id


def _store_file(conn, t, item) -> None:
    from sqlalchemy import insert, select

    files = t["files"]
    if conn.execute(select(files.c.hash).where(files.c.hash == item.digest)).first() is None:
        conn.execute(insert(files).values(hash=item.digest, size=len(item.data), data=item.data))


def carry_over(conn, t, filing_id, old_report_id, new_report_id) -> int:
    """Copy the decisions on findings still there (matched by ``compare.drafts``) to their new
    fingerprints; the number copied."""
    from sqlalchemy import insert, select

    from ..compare.drafts import diff_results
    from .records import StoredText, result_of

    d = t["decisions"]
    decided = {row.fingerprint: row for row in conn.execute(select(d).where(d.c.filing_id == filing_id))}
    if not decided:
        return 0
    old, old_text, old_prints = result_of(conn, t, old_report_id)
    new, new_text, new_prints = result_of(conn, t, new_report_id)
    diff = diff_results(old, new, StoredText({old.path: old_text, new.path: new_text}))
    carried = 0
    for before, after in diff.still_open:
        was, becomes = old_prints[id(before)], new_prints[id(after)]
        if was == becomes or was not in decided or becomes in decided:
            continue
        row = decided[was]
        conn.execute(insert(d).values(filing_id=filing_id, fingerprint=becomes, decision=row.decision,
                                      reason=row.reason, wording=row.wording, reviewer=row.reviewer,
                                      decided_at=row.decided_at, carried_from=was))
        decided[becomes] = row
        carried += 1
    return carried


def store_results(store, items, loaded, request, source: str, inbox: str = "", problems=()) -> Stored:
    """Store ``items`` (Incoming) as one run; see the module's doc. The reports that open a filing
    of their own go in together (``bulk``); a resubmission is matched, stored and carried over one by one."""
    from sqlalchemy import insert, update

    from . import bulk

    t, sig, out, ruleset = store.t, signature(loaded, request), Stored(), loaded.ruleset
    packs = pack_versions(loaded)
    years = [i.result.meta.get("report_year") for i in items if i.result.meta and i.result.meta.get("report_year")]
    with store.write() as conn:
        run_id = conn.execute(insert(t["runs"]).values(
            started_at=now(), source=source, inbox=inbox, tool_version=__version__, packs=_json(packs),
            year=max(set(years), key=years.count) if years else None, status="running",
            problems=_json([str(p) for p in problems]))).inserted_primary_key[0]
        out.run_id = run_id
        identities = [unit_identity(i.result.meta or {}, i.file_name) for i in items]
        unit_ids = bulk.units(conn, t, dict(identities))
        slots = [(unit_ids[key], (i.result.meta or {}).get("report_year") or 0) for i, (key, _) in zip(items, identities)]
        known = bulk.filed(conn, t, slots)
        fresh, seen, later = [], set(), []
        for item, slot in zip(items, slots):
            if slot in known:
                later.append((item, slot))
            elif (slot, item.digest) in seen:
                out.unchanged.append(item.file_name)          # the same file twice in one inbox
            else:
                seen.add((slot, item.digest))
                fresh.append(item)
        out.added += bulk.new_filings(conn, t, fresh, unit_ids, run_id, sig)
        for item, (unit_id, year) in later:
            _one(conn, store, t, item, unit_id, year, sig, run_id, ruleset, out)
        conn.execute(update(t["runs"]).where(t["runs"].c.id == run_id).values(
            finished_at=now(), status="done", reports=len(out.added) + len(out.versions)))
    return out


def _one(conn, store, t, item, unit_id, year, sig, run_id, ruleset, out) -> None:
    """A report whose unit already has a filing for its year: a new version of it (its decisions
    carried over), the same bytes again (nothing), or a filing of its own (another report of the run)."""
    from sqlalchemy import insert

    filing_id, latest, duplicate = _filing(conn, t, unit_id, year, item, item.digest, sig, run_id)
    if duplicate:
        out.unchanged.append(item.file_name)
        return
    _store_file(conn, t, item)
    if filing_id is None:
        filing_id = conn.execute(insert(t["filings"]).values(unit_id=unit_id, year=year, status="pending",
                                                             created_at=now())).inserted_primary_key[0]
    else:
        store.lock(conn, "filings", filing_id)
    report_id = _insert_report(conn, t, item, filing_id, run_id, latest.version + 1 if latest else 1, sig)
    if latest is not None and not item.result.error:
        carry_over(conn, t, filing_id, latest.id, report_id)
        out.versions.append(report_id)
    else:
        out.added.append(report_id)
    refresh_report(conn, t, report_id, ruleset, dismissed_of(conn, t, filing_id))
