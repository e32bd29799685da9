"""The desk's pages: server-rendered (Jinja2, autoescape on: every report string is escaped; the
marked-up text is built from escaped pieces by ``outputs.html_report.marked_text``), readable with
JavaScript off. The forms post to the handlers below (the CSRF token in their action), which
redirect back; with JavaScript the same actions go through the JSON API without a reload."""
from __future__ import annotations

import os
from urllib.parse import quote, unquote

from starlette.responses import HTMLResponse, RedirectResponse

from .. import __version__
from ..outputs import desk as office
from .review import DecisionError, add_remark, decide, set_status
from .schema import DECISIONS, STATUSES

_ENV = None


def environment():
    global _ENV
    if _ENV is None:
        import jinja2

        folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
        _ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True, trim_blocks=True,
                                  lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    return _ENV


def reviewer_of(request) -> str:
    return unquote(request.cookies.get("reviewer", ""))[:40]


def render(request, name: str, status: int = 200, **values) -> HTMLResponse:
    desk = request.app.state.desk
    flash = values.pop("flash", "") or ""
    page = environment().get_template(name).render(
        csrf=desk.csrf, version=__version__, pack=desk.loaded.ruleset.pack, store_name=desk.store_name,
        reviewer=reviewer_of(request), here=request.url.path, flash=flash, flash_bad=values.pop("flash_bad", False),
        **values)
    return HTMLResponse(page, status_code=status)


def ranking_page(request):
    from .queries import ranking

    desk = request.app.state.desk
    with desk.store.read() as conn:
        rows = ranking(conn, desk.store.t, desk.loaded.ruleset)
    good = [r for r in rows if r["reviewed_score"] is not None]
    years = sorted({r["year"] for r in rows if r["year"]})
    overview = {"mean": round(sum(r["reviewed_score"] for r in good) / len(good), 1) if good else None,
                "tool_mean": round(sum(r["score"] for r in good) / len(good), 1) if good else None,
                "reviewed": sum(1 for r in rows if r["status"] != "pending"),
                "unreadable": sum(1 for r in rows if r["error"])}
    job = None
    wanted = request.query_params.get("job", "")
    found = desk.checker.job(int(wanted)) if wanted.isdigit() else desk.checker.latest()
    if found is not None:
        job = found.to_json()
    accept = ",".join(sorted({*desk.loaded.ruleset.readers, ".zip"}))
    return render(request, "ranking.html.j2", rows=rows, overview=overview, years="、".join(map(str, years)),
                  parts=office.parts_of(desk.loaded.ruleset), job=job, accept=accept, max_mb=f"{desk.max_bytes / 1048576:g}",
                  flash=request.query_params.get("msg", "")[:300])


def _finding_view(frow, decision, rules, anchor) -> dict:
    from .records import finding_of

    finding = finding_of(frow)
    return {"fingerprint": frow.fingerprint, "rule": frow.rule, "severity": frow.severity,
            "severity_zh": office.severity_word(frow.severity), "message": frow.message, "hint": frow.hint,
            "excerpt": frow.excerpt, "where": office.location_words(finding), "anchor": anchor,
            "part": office.part_label(office.part_of(finding, rules), rules),
            "decision": decision.decision if decision is not None else None,
            "decision_zh": DECISIONS.get(decision.decision, "待定") if decision is not None and decision.decision else "待定",
            "reason": decision.reason if decision is not None else None,
            "wording": decision.wording if decision is not None else None,
            "decided_by": decision.reviewer if decision is not None else "",
            "decided_at": (decision.decided_at or "")[:16].replace("T", " ") if decision is not None else "",
            "record": finding}


def report_page(request, flash="", status=200):
    from ..outputs.html_report import marked_text
    from .queries import changes, missing_names, parts_of, report_view

    desk = request.app.state.desk
    try:
        report_id = int(request.path_params["report_id"])
    except ValueError:
        report_id = 0
    with desk.store.read() as conn:
        view = report_view(conn, desk.store.t, report_id)
        found_changes = changes(conn, desk.store.t, report_id) if view is not None else None
    if view is None:
        return render(request, "missing.html.j2", status=404, what="这份报告")
    rules = office.rule_index(desk.loaded.ruleset)
    findings = [_finding_view(f, view["decisions"].get(f.fingerprint), rules, f"t-{n}")
                for n, f in enumerate(view["findings"])]
    shown = [(f["record"], f["anchor"]) for f in findings if f["decision"] != "dismissed"]
    row = view["row"]
    text = marked_text(row.text, [r for r, _ in shown], [a for _, a in shown]) if row.text else None
    elements = view["elements"]
    parts = parts_of(elements, desk.loaded.ruleset)
    missing = missing_names(parts, desk.loaded.ruleset) if not row.error else []
    return render(request, "report.html.j2", status=status, row=row, unit=view["unit"], filing=view["filing"],
                  year=view["filing"].year, versions=view["versions"], findings=findings, text=text,
                  remarks=view["remarks"], missing=missing, statuses=STATUSES, changes=found_changes,
                  flash=flash, flash_bad=bool(flash))


def unit_page(request):
    from .history import unit_history

    desk = request.app.state.desk
    try:
        unit_id = int(request.path_params["unit_id"])
    except ValueError:
        unit_id = 0
    found = unit_history(desk.store, desk.loaded.ruleset, unit_id)
    if found is None:
        return render(request, "missing.html.j2", status=404, what="这个单位")
    return render(request, "unit.html.j2", unit=found["unit"], years=found["years"], statuses=STATUSES)


def _back(request, path: str):
    return RedirectResponse(path, status_code=303)


async def decide_form(request):
    from starlette.concurrency import run_in_threadpool

    desk, form = request.app.state.desk, await request.form()
    report_id = int(request.path_params["report_id"])
    fingerprint = str(form.get("fingerprint", ""))
    decision = str(form.get("decision", "")) or None
    wording = str(form.get("wording", "")).strip() if "wording" in form else None
    if wording is not None and wording == str(form.get("original", "")).strip():
        wording = None                                   # the text area as it came: nothing edited
    try:
        await run_in_threadpool(decide, desk.store, desk.loaded.ruleset, report_id, fingerprint, decision,
                                str(form.get("reason", "")), wording, reviewer_of(request))
    except DecisionError as exc:
        return await run_in_threadpool(report_page, request, str(exc), exc.status)
    return _back(request, f"/reports/{report_id}#f-{quote(fingerprint)}")


async def _report_form(request, action, field: str):
    """A report page's form (status, remark): ``action(store, report id, the field's value, reviewer)``
    in a thread, then back to the report; a refused change shows the page with the reason."""
    from starlette.concurrency import run_in_threadpool

    desk, form = request.app.state.desk, await request.form()
    report_id = int(request.path_params["report_id"])
    try:
        await run_in_threadpool(action, desk.store, report_id, str(form.get(field, "")), reviewer_of(request))
    except DecisionError as exc:
        return await run_in_threadpool(report_page, request, str(exc), exc.status)
    return _back(request, f"/reports/{report_id}")


async def status_form(request):
    return await _report_form(request, set_status, "status")


async def remark_form(request):
    return await _report_form(request, add_remark, "text")


async def reviewer_form(request):
    form = await request.form()
    back = str(form.get("back", "/"))
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    response = _back(request, back)
    response.set_cookie("reviewer", quote(str(form.get("name", "")).strip()[:40]), max_age=3600 * 24 * 365,
                        samesite="strict", path="/")
    return response


async def upload_form(request):
    from . import api

    answer = await api.upload(request)
    import json

    data = json.loads(answer.body)
    if answer.status_code == 202:
        return _back(request, f"/?job={data['job']}")
    return _back(request, "/?msg=" + quote(data.get("error", "上传失败")))
