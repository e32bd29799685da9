"""The reviewer's decisions, and what follows from them: scores follow decisions.

A finding the reviewer strikes (不采纳, with a reason) no longer counts. The reviewed score is the
engine's own arithmetic (``engine.scoring``) over the report's rule outcomes as the decisions leave
them: a rule whose every finding is struck counts as passed; a rule with some struck keeps the
severity of the worst finding left; a statutory part whose finding is struck (the reviewer found
the part the tool missed) counts as present. With no decision the reviewed score is the tool's.

Decisions belong to a filing (one unit's report for one year, through its versions) and name a
finding by its text fingerprint, so a decision holds for every version of the report in which the
finding's paragraph is unchanged; ``ingest`` carries it over to a finding whose paragraph was
edited (``compare.drafts``). Every decision is kept in ``decision_log`` as well.
"""
from __future__ import annotations

import json

from ..engine import scoring
from ..records import ELEMENTS, SEVERITY_RANK, RuleOutcome
from .schema import DECISIONS
from .store import now

MAX_TEXT = 2000


class DecisionError(ValueError):
    """A decision the desk refuses (HTTP 400/404): the message says why, in Chinese."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def _parts_of(rule) -> list:
    params = rule.params or {}
    return [p for p in (params.get("element"), params.get("needs")) if p in ELEMENTS]


def reviewed(outcomes, elements, findings, dismissed, ruleset) -> dict:
    """``{score, elements, counts}`` of a report once the ``dismissed`` fingerprints are struck.

    ``outcomes``: RuleOutcome-like tuples; ``findings``: objects with ``fingerprint``, ``rule``, ``severity``."""
    by_rule = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    rules = {r.id: r for r in ruleset.rules}
    statutory = scoring.policy_of(ruleset).statutory_tag
    elements = dict(elements or {})
    out = []
    for raw in outcomes:
        outcome = RuleOutcome(*raw)
        found = by_rule.get(outcome.rule_id)
        if outcome.status == "failed" and found:
            left = [f for f in found if f.fingerprint not in dismissed]
            if not left:
                outcome = RuleOutcome(outcome.rule_id, "passed")
                rule = rules.get(outcome.rule_id)
                if rule is not None and statutory in (rule.tags or ()):
                    for part in _parts_of(rule):
                        elements[part] = True
            elif len(left) < len(found):
                outcome = outcome._replace(severity=max((f.severity for f in left), key=SEVERITY_RANK.get))
        out.append(outcome)
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        if f.fingerprint not in dismissed:
            counts[f.severity] = counts.get(f.severity, 0) + 1
    return {"score": scoring.score(out, ruleset, elements), "elements": elements, "counts": counts}


class _Row:
    __slots__ = ("fingerprint", "rule", "severity")

    def __init__(self, fingerprint, rule, severity):
        self.fingerprint, self.rule, self.severity = fingerprint, rule, severity


def dismissed_of(conn, t, filing_id) -> set:
    from sqlalchemy import select

    d = t["decisions"]
    return set(conn.execute(select(d.c.fingerprint).where(d.c.filing_id == filing_id, d.c.decision == "dismissed"))
               .scalars())


def refresh_report(conn, t, report_id, ruleset, dismissed) -> dict:
    """Work out a stored report's reviewed score, parts and counts again and save them."""
    from sqlalchemy import select, update

    r, f = t["reports"], t["findings"]
    row = conn.execute(select(r.c.outcomes, r.c.elements, r.c.error).where(r.c.id == report_id)).one()
    findings = [_Row(*x) for x in conn.execute(select(f.c.fingerprint, f.c.rule, f.c.severity)
                                                .where(f.c.report_id == report_id))]
    if row.error:
        value = {"score": None, "elements": {}, "counts": {"error": 0, "warning": 0, "info": 0}}
    else:
        value = reviewed(json.loads(row.outcomes or "[]"), json.loads(row.elements or "{}"), findings, dismissed, ruleset)
    conn.execute(update(r).where(r.c.id == report_id).values(
        reviewed_score=value["score"], reviewed_elements=json.dumps(value["elements"], ensure_ascii=False),
        reviewed_counts=json.dumps(value["counts"])))
    return value


def refresh_filing(conn, t, filing_id, ruleset) -> None:
    from sqlalchemy import select

    r = t["reports"]
    dismissed = dismissed_of(conn, t, filing_id)
    for report_id in conn.execute(select(r.c.id).where(r.c.filing_id == filing_id)).scalars():
        refresh_report(conn, t, report_id, ruleset, dismissed)


def _clean(value, what: str):
    if value is None:
        return None
    if not isinstance(value, str):
        raise DecisionError(f"{what}应是文字")
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise DecisionError(f"{what}过长（上限 {MAX_TEXT} 字）")
    return value


def decide(store, ruleset, report_id, fingerprint, decision, reason=None, wording=None, reviewer=None) -> dict:
    """Record a reviewer's decision on the finding ``fingerprint`` of report ``report_id``.

    ``decision``: "confirmed", "dismissed" (``reason`` required) or None (no decision: withdrawn);
    ``wording``: the message as the letter should say it (None: unchanged, "": the tool's again).
    Returns the decision and the report's reviewed score. Raises DecisionError."""
    from sqlalchemy import insert, select, update

    if decision not in (None, *DECISIONS):
        raise DecisionError("decision 应是 confirmed（确认）、dismissed（不采纳）或 null（撤销）")
    reason, wording = _clean(reason, "理由"), _clean(wording, "修改后的表述")
    reviewer = (_clean(reviewer, "审阅人") or "")[:80] or "未署名"
    if decision == "dismissed" and not reason:
        raise DecisionError("不采纳一个问题必须写明理由")
    t = store.t
    r, f, d = t["reports"], t["findings"], t["decisions"]
    with store.write() as conn:
        filing_id = conn.execute(select(r.c.filing_id).where(r.c.id == report_id)).scalar()
        if filing_id is None:
            raise DecisionError(f"没有编号为 {report_id} 的报告", 404)
        store.lock(conn, "filings", filing_id)
        known = conn.execute(select(f.c.id).where(f.c.report_id == report_id, f.c.fingerprint == fingerprint)
                             .limit(1)).scalar()
        if known is None:
            raise DecisionError("这份报告没有这个问题（指纹不符）", 404)
        at = now()
        current = conn.execute(select(d.c.id, d.c.wording).where(d.c.filing_id == filing_id,
                                                                 d.c.fingerprint == fingerprint)).first()
        if wording is None:
            wording = current.wording if current is not None else None
        values = {"decision": decision, "reason": reason if decision == "dismissed" else (reason or None),
                  "wording": wording or None, "reviewer": reviewer, "decided_at": at, "carried_from": None}
        if current is None:
            conn.execute(insert(d).values(filing_id=filing_id, fingerprint=fingerprint, **values))
        else:
            conn.execute(update(d).where(d.c.id == current.id).values(**values))
        conn.execute(insert(t["decision_log"]).values(filing_id=filing_id, fingerprint=fingerprint, at=at,
                                                      decision=decision, reason=values["reason"],
                                                      wording=values["wording"], reviewer=reviewer))
        refresh_filing(conn, t, filing_id, ruleset)
        score = conn.execute(select(r.c.reviewed_score).where(r.c.id == report_id)).scalar()
    return {"report": report_id, "fingerprint": fingerprint, **values, "reviewed_score": score}


def set_status(store, report_id, status, reviewer=None) -> str:
    from sqlalchemy import select, update

    from .schema import STATUSES

    if status not in STATUSES:
        raise DecisionError("status 应是 " + "、".join(f"{k}（{v}）" for k, v in STATUSES.items()))
    t = store.t
    with store.write() as conn:
        filing_id = conn.execute(select(t["reports"].c.filing_id).where(t["reports"].c.id == report_id)).scalar()
        if filing_id is None:
            raise DecisionError(f"没有编号为 {report_id} 的报告", 404)
        conn.execute(update(t["filings"]).where(t["filings"].c.id == filing_id).values(
            status=status, status_by=(_clean(reviewer, "审阅人") or "未署名")[:80], status_at=now()))
    return status


def add_remark(store, report_id, text, author=None) -> dict:
    from sqlalchemy import insert, select

    text = _clean(text, "意见")
    if not text:
        raise DecisionError("意见不能为空")
    t = store.t
    with store.write() as conn:
        filing_id = conn.execute(select(t["reports"].c.filing_id).where(t["reports"].c.id == report_id)).scalar()
        if filing_id is None:
            raise DecisionError(f"没有编号为 {report_id} 的报告", 404)
        at, author = now(), (_clean(author, "审阅人") or "未署名")[:80]
        conn.execute(insert(t["remarks"]).values(filing_id=filing_id, text=text, author=author, created_at=at))
    return {"text": text, "author": author, "created_at": at}
