"""One HTTP request to an ASGI application in this process (no server, no HTTP client library):
what the desk's in-process tests need to time a page by its own ``Server-Timing``."""
import asyncio


def call(app, method="GET", path="/", headers=(), body=b""):
    """(status, {header: value}, body bytes) of one request to ``app``."""
    async def run():
        sent, answer = [False], {"status": None, "headers": {}, "body": b""}

        async def receive():
            if sent[0]:
                await asyncio.sleep(3600)
            sent[0] = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message):
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["headers"] = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message["headers"]}
            elif message["type"] == "http.response.body":
                answer["body"] += message.get("body", b"")
        path_part, _, query = path.partition("?")
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
                 "path": path_part, "raw_path": path_part.encode(), "query_string": query.encode(), "root_path": "",
                 "headers": [(b"host", b"127.0.0.1:8765"), *((k.lower().encode(), v.encode()) for k, v in headers)],
                 "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8765)}
        await app(scope, receive, send)
        return answer["status"], answer["headers"], answer["body"]
    return asyncio.run(run())
