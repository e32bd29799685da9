"""The desk as a web application: ``create_app(desk)``, the Starlette application behind
``fazhi-lint serve`` (``desk.Desk``: the store, the loaded rule set, the checker and the settings)."""
from __future__ import annotations

import os

from . import api, pages
from .desk import Desk, open_desk  # noqa: F401  (the desk and its opening, re-exported)
from .security import Guard


def routes() -> list:
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    static = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
    return [
        Route("/", pages.ranking_page),
        Route("/reports/{report_id:int}", pages.report_page),
        Route("/units/{unit_id:int}", pages.unit_page),
        Route("/reports/{report_id:int}/decide", pages.decide_form, methods=["POST"]),
        Route("/reports/{report_id:int}/status", pages.status_form, methods=["POST"]),
        Route("/reports/{report_id:int}/remarks", pages.remark_form, methods=["POST"]),
        Route("/reviewer", pages.reviewer_form, methods=["POST"]),
        Route("/upload", pages.upload_form, methods=["POST"]),
        Route("/api/csrf", api.csrf),
        Route("/api/reports", api.reports),
        Route("/api/reports/{report_id:int}", api.report),
        Route("/api/reports/{report_id:int}/letter.docx", api.letter),
        Route("/api/reports/{report_id:int}/suppressions.yaml", api.suppressions),
        Route("/api/reports/{report_id:int}/changes", api.changes),
        Route("/api/reports/{report_id:int}/status", api.status, methods=["POST"]),
        Route("/api/reports/{report_id:int}/remarks", api.remark, methods=["POST"]),
        Route("/api/findings/{fingerprint}/decision", api.decision, methods=["POST"]),
        Route("/api/units", api.units),
        Route("/api/units/{unit_id:int}", api.unit),
        Route("/api/letters.zip", api.letters),
        Route("/api/upload", api.upload, methods=["POST"]),
        Route("/api/jobs/{job_id:int}", api.job),
        Route("/api/progress", api.progress),
        Mount("/static", app=StaticFiles(directory=static), name="static"),
    ]


def create_app(desk: Desk):
    from starlette.applications import Starlette
    from starlette.middleware import Middleware

    guard = Middleware(Guard, hosts=desk.hosts, token=desk.token or None, csrf=desk.csrf,
                       max_upload=desk.max_upload, cookie="fazhi_desk_token")
    app = Starlette(routes=routes(), middleware=[guard], exception_handlers={404: _not_found, 405: _not_allowed})
    app.state.desk = desk
    return app


async def _not_found(request, exc):
    from starlette.responses import JSONResponse, PlainTextResponse

    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": "没有这个地址"}, status_code=404)
    return PlainTextResponse("没有这个页面", status_code=404)


async def _not_allowed(request, exc):
    from starlette.responses import JSONResponse

    return JSONResponse({"error": "不支持这个请求方法"}, status_code=405)
