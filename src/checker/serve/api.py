"""The JSON API the pages use (documented in docs/serve.md). Every handler that reads or writes the
store is a plain function: Starlette runs it in its thread pool, so the event loop never waits on
the database."""
from __future__ import annotations

import datetime

from starlette.responses import JSONResponse, Response

from .review import DecisionError, add_remark, decide, set_status


def desk_of(request):
    return request.app.state.desk


def reviewer(request, data) -> str:
    """Who decides: the name the page sends, else the 审阅人 cookie the header's form set."""
    from urllib.parse import unquote

    return data.get("reviewer") or unquote(request.cookies.get("reviewer", ""))[:40]


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _id(request, key="report_id"):
    try:
        return int(request.path_params[key])
    except (KeyError, ValueError):
        return None


def csrf(request):
    return JSONResponse({"token": desk_of(request).csrf})


def reports(request):
    from .queries import ranking

    desk = desk_of(request)
    with desk.store.read() as conn:
        rows = ranking(conn, desk.store.t, desk.loaded.ruleset)
    keys = ("id", "unit", "unit_id", "year", "score", "reviewed_score", "file_name", "rank", "status", "version",
            "errors", "warnings", "infos", "missing", "error")
    return JSONResponse([{k: row[k] for k in keys} for row in rows])


def report(request):
    from .queries import report_json, report_view

    desk = desk_of(request)
    with desk.store.read() as conn:
        view = report_view(conn, desk.store.t, _id(request) or 0)
    if view is None:
        return _error("没有这份报告", 404)
    return JSONResponse(report_json(view))


async def _body(request) -> dict:
    try:
        data = await request.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


async def decision(request):
    from starlette.concurrency import run_in_threadpool

    desk, data = desk_of(request), await _body(request)
    if data is None:
        return _error("请求体应是 JSON 对象：{\"report\": 编号, \"decision\": \"dismissed\"|\"confirmed\", \"reason\": \"…\"}", 400)
    report_id = data.get("report")
    if not isinstance(report_id, int):
        return _error("缺少 report（报告编号，整数）", 400)
    try:
        done = await run_in_threadpool(decide, desk.store, desk.loaded.ruleset, report_id,
                                       request.path_params["fingerprint"], data.get("decision"), data.get("reason"),
                                       data.get("wording"), reviewer(request, data))
    except DecisionError as exc:
        return _error(str(exc), exc.status)
    return JSONResponse(done)


async def _report_change(request, action, field: str, example: str):
    """A change to a report (status, remark): ``action(store, report id, the JSON field, reviewer)`` in
    a thread; its value, or the refusal with its status code."""
    from starlette.concurrency import run_in_threadpool

    desk, data = desk_of(request), await _body(request)
    if data is None:
        return None, _error(f"请求体应是 JSON 对象：{{\"{field}\": \"{example}\"}}", 400)
    try:
        return await run_in_threadpool(action, desk.store, _id(request) or 0, data.get(field),
                                       reviewer(request, data)), None
    except DecisionError as exc:
        return None, _error(str(exc), exc.status)


async def status(request):
    value, refused = await _report_change(request, set_status, "status", "reviewed")
    return refused or JSONResponse({"report": _id(request), "status": value})


async def remark(request):
    value, refused = await _report_change(request, add_remark, "text", "意见")
    return refused or JSONResponse(value)


def _attachment(data: bytes, name: str, kind: str) -> Response:
    from urllib.parse import quote

    ascii_name = "".join(c if c.isascii() and c.isalnum() or c in "._-" else "_" for c in name)
    return Response(data, media_type=kind, headers={
        "content-disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"})


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def letter(request):
    from .letters import letter_of

    desk = desk_of(request)
    found = letter_of(desk.store, desk.loaded.ruleset, _id(request) or 0, desk.office, desk.date)
    if found is None:
        return _error("没有这份报告，或报告无法读取（无法写反馈意见）", 404)
    return _attachment(found[1], found[0], DOCX)


def letters(request):
    from .letters import letters_zip
    from .queries import reports_with_status

    desk = desk_of(request)
    with desk.store.read() as conn:
        ids = reports_with_status(conn, desk.store.t, "reviewed")
    data = letters_zip(desk.store, desk.loaded.ruleset, ids, desk.office, desk.date)
    return _attachment(data, f"反馈意见_{datetime.date.today().isoformat()}.zip", "application/zip")


def suppressions(request):
    from .letters import suppressions_yaml

    desk = desk_of(request)
    expires = request.query_params.get("expires")
    try:
        expires = datetime.date.fromisoformat(expires) if expires else None
    except ValueError:
        return _error("expires 应是 YYYY-MM-DD 格式的日期", 400)
    text = suppressions_yaml(desk.store, _id(request) or 0, expires)
    if text is None:
        return _error("没有这份报告", 404)
    return _attachment(text.encode("utf-8"), "fazhi-lint-suppressions.yaml", "application/yaml")


def changes(request):
    from .queries import changes as changes_of

    desk = desk_of(request)
    with desk.store.read() as conn:
        found = changes_of(conn, desk.store.t, _id(request) or 0)
    if found is None:
        return JSONResponse({"previous": None, "fixed": [], "new": [], "still_open": []})
    return JSONResponse({"previous": found["previous"], "fixed": [f.to_json() for f in found["fixed"]],
                         "new": [f.to_json() for f in found["new"]],
                         "still_open": [{**new.to_json(), "old_line": old.line} for old, new in found["still_open"]]})


def units(request):
    from .queries import ranking

    desk = desk_of(request)
    with desk.store.read() as conn:
        rows = ranking(conn, desk.store.t, desk.loaded.ruleset)
    out = {}
    for row in rows:
        unit = out.setdefault(row["unit_id"], {"id": row["unit_id"], "name": row["unit"], "years": []})
        unit["years"].append({"year": row["year"], "report": row["id"], "score": row["score"],
                              "reviewed_score": row["reviewed_score"], "status": row["status"]})
    return JSONResponse(sorted(out.values(), key=lambda u: u["name"]))


def unit(request):
    from .history import unit_history

    desk = desk_of(request)
    found = unit_history(desk.store, desk.loaded.ruleset, _id(request, "unit_id") or 0)
    if found is None:
        return _error("没有这个单位", 404)
    return JSONResponse({"id": found["unit"].id, "name": found["unit"].name, "years": [
        {"year": e["year"] or None, "report": e["report"].id, "file_name": e["report"].file_name,
         "score": e["report"].score, "reviewed_score": e["report"].reviewed_score, "status": e["status"],
         "remarks": [{"text": r.text, "author": r.author, "created_at": r.created_at} for r in e["remarks"]],
         "previous": e["previous"].id if e["previous"] is not None else None, "comparison": e["comparison"]}
        for e in found["years"]]})


async def upload(request):
    from .uploads import receive

    desk = desk_of(request)
    try:
        form = await request.form(max_files=1000, max_fields=100)
    except Exception as exc:        # a malformed multipart body: say so, keep serving
        return _error(f"无法读取上传的内容：{getattr(exc, 'detail', None) or exc}", 400)
    files = [v for v in form.getlist("files") if hasattr(v, "filename")]
    if not files:
        return _error("没有收到文件（multipart 字段名应为 files）", 400)
    readers = desk.loaded.ruleset.readers
    folder, names, refused = await receive(files, readers, desk.max_bytes)
    await form.close()
    if folder is None:
        reasons = "；".join(f"{n}：{r}" for n, r in refused)
        return JSONResponse({"error": f"没有可检查的文件：{reasons}",
                             "refused": [{"name": n, "reason": r} for n, r in refused]}, status_code=422)
    job = desk.checker.submit(sorted(names), "upload", names=names, cleanup=folder, refused=refused)
    return JSONResponse({"job": job.id, "accepted": sorted(names.values()),
                         "refused": [{"name": n, "reason": r} for n, r in refused]}, status_code=202)


def job(request):
    found = desk_of(request).checker.job(_id(request, "job_id") or 0)
    if found is None:
        return _error("没有这个任务", 404)
    return JSONResponse(found.to_json())


def progress(request):
    latest = desk_of(request).checker.latest()
    return JSONResponse(latest.to_json() if latest is not None else {"state": "idle"})
