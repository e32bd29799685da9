"""The desk's guard, in front of every request (an ASGI middleware):

- **Host**: on 127.0.0.1 (the default) only requests naming this machine are answered, so a web
  page elsewhere cannot reach the desk by pointing a name of its own at 127.0.0.1 (DNS rebinding);
- **access token**: another ``--host`` needs one (given, or generated and printed); every request
  carries it, as ``Authorization: Bearer …`` or as the cookie set when the printed link
  (``/?token=…``) is opened once;
- **CSRF**: every request that changes something (POST, PUT, PATCH, DELETE) carries the desk's
  token (``GET /api/csrf``) in ``X-CSRF-Token`` (the pages' script) or as ``?csrf_token=`` (the
  pages' forms, which work without JavaScript), and a browser's ``Origin``, when sent, must be the
  desk's own; anything else is 403;
- **size**: a request body larger than its limit (uploads: ``--max-upload``; anything else 1 MB) is
  refused with 413, by its declared length before it is read, or as soon as it grows past it;
- **headers**: a Content-Security-Policy that runs no script but the desk's own file, no framing,
  no sniffing, no referrer; ``Server-Timing`` says how long the desk took.
"""
from __future__ import annotations

import hmac
import json
import time
from urllib.parse import parse_qs, urlencode, urlsplit

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SMALL_BODY = 1024 * 1024
DRAIN_LIMIT = 512 * 1024 * 1024        # a refused body is read to its end up to this size (see _drain)
UPLOAD_PATHS = ("/api/upload", "/upload")
HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


class BodyTooLarge(Exception):
    pass


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


class Guard:
    """``Guard(app, hosts, token, csrf, max_upload, cookie)``; ``hosts``: the Host values accepted
    (None: any, with a token)."""

    def __init__(self, app, hosts=None, token=None, csrf="", max_upload=256 * 1024 * 1024, cookie="fazhi_desk"):
        self.app, self.hosts, self.token, self.csrf = app, hosts, token, csrf
        self.max_upload, self.cookie = max_upload, cookie

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
        path, method = scope.get("path", "/"), scope.get("method", "GET")
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        refusal = self._refusal(headers, path, method, query)
        if refusal is not None:
            await _answer(send, path, *refusal)
            return
        if self.token and (query.get("token") or [""])[0] and method == "GET":
            rest = {k: v for k, v in query.items() if k != "token"}
            where = path + ("?" + urlencode(rest, doseq=True) if rest else "")
            cookie = f"{self.cookie}={self.token}; HttpOnly; SameSite=Strict; Path=/"
            await _answer(send, path, 303, "", [(b"location", where.encode("latin-1")),
                                                (b"set-cookie", cookie.encode("latin-1"))])
            return
        limit = self.max_upload if path in UPLOAD_PATHS else SMALL_BODY
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _drain(receive, int(declared))
            await _answer(send, path, 413, _too_large(int(declared), limit))
            return
        seen = {"bytes": 0, "started": False}

        async def limited_receive():
            message = await receive()
            if message["type"] == "http.request":
                seen["bytes"] += len(message.get("body", b""))
                if seen["bytes"] > limit:
                    raise BodyTooLarge()
            return message

        async def timed_send(message):
            if message["type"] == "http.response.start":
                seen["started"] = True
                spent = (time.perf_counter() - started) * 1000
                message = {**message, "headers": [*message.get("headers", []), *HEADERS,
                                                  (b"server-timing", f"app;dur={spent:.1f}".encode())]}
            await send(message)

        try:
            await self.app(scope, limited_receive, timed_send)
        except BodyTooLarge:
            if not seen["started"]:
                await _drain(receive, DRAIN_LIMIT)
                await _answer(send, path, 413, _too_large(seen["bytes"], limit, streaming=True))

    def _refusal(self, headers, path, method, query):
        """(status, message) when the request is refused, else None."""
        host = headers.get("host", "")
        if self.hosts is not None and host.lower() not in self.hosts:
            return 400, "主机名不符：审查台只接受本机地址的请求"
        if self.token:
            given = headers.get("authorization", "")
            given = given[7:].strip() if given.lower().startswith("bearer ") else ""
            given = given or _cookie(headers.get("cookie", ""), self.cookie) or (query.get("token") or [""])[0]
            if not _same(given, self.token):
                return 401, "需要访问令牌：打开启动时显示的链接（含 ?token=…），或在请求头中加 Authorization: Bearer 令牌"
        if method not in SAFE_METHODS:
            origin = headers.get("origin", "")
            if origin and origin != "null" and urlsplit(origin).netloc.lower() != host.lower():
                return 403, "跨站请求被拒绝（Origin 与审查台不符）"
            token = headers.get("x-csrf-token", "") or (query.get("csrf_token") or [""])[0]
            if not _same(token, self.csrf):
                return 403, "缺少或错误的 CSRF 令牌：请刷新页面后重试（API：先 GET /api/csrf，再在 X-CSRF-Token 头中带上）"
        return None


async def _drain(receive, size: int) -> None:
    """Read (and drop) what the client is still sending, so that it reads the 413 instead of a broken
    connection; at most ``DRAIN_LIMIT`` bytes (past that the connection is simply closed)."""
    if size > DRAIN_LIMIT:
        return
    taken = 0
    while taken <= DRAIN_LIMIT:
        message = await receive()
        if message["type"] != "http.request":
            return
        taken += len(message.get("body", b""))
        if not message.get("more_body"):
            return


def _too_large(size: int, limit: int, streaming: bool = False) -> str:
    return (f"上传内容过大（{'超过 ' if streaming else ''}{size / 1e6:.1f} MB，上限 {limit / 1e6:.0f} MB），"
            "未接收；请分批上传，或把报告压缩为 .zip")


def _cookie(header: str, name: str) -> str:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


async def _answer(send, path: str, status: int, message: str, extra=()):
    if path.startswith("/api/"):
        body, kind = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8"), b"application/json"
    else:
        from markupsafe import escape

        page = (f"<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{status}</title>"
                f"<body><h1>{status}</h1><p>{escape(message)}</p><p><a href=\"/\">返回审查台</a></p></body></html>")
        body, kind = page.encode("utf-8"), b"text/html; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), *HEADERS, *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
