"""``fazhi-lint serve [INBOX…] [--db PATH] [--host 127.0.0.1] [--port 8765]``: the office's review desk.

Opens (or creates, or upgrades) the store, loads the rule set once, starts checking the inbox in
the background (the page shows the progress) and serves the desk until Ctrl-C. It answers on
127.0.0.1 only unless ``--host`` says otherwise, and then only with an access token (``--token``,
or ``--token auto`` to generate one): every request must carry it.
"""
from __future__ import annotations

import os
import secrets
import socket
import sys

import click

from ..errors import EXIT_USAGE, FazhiError
from .common import err, ruleset_options

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise click.UsageError(f"无法在 {host}:{port} 上监听：{exc.strerror or exc}（端口被占用？换一个 --port）")
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


@click.command("serve")
@click.argument("inbox", nargs=-1)
@click.option("--db", "db", default=None, metavar="PATH|URL",
              help="数据库：SQLite 文件路径（默认在用户数据目录中），或 postgresql://用户@主机/库")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；非本机地址必须同时给出 --token")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="端口（0：任选一个空闲端口）")
@click.option("--token", default=None, help="访问令牌（auto：生成一个并显示）；每个请求都必须带上")
@click.option("--office", default="", help="反馈意见的落款单位（如 某某县司法局）")
@click.option("--date", "letter_date", default="", help="反馈意见的落款日期（默认今天）")
@click.option("--max-size", type=click.FloatRange(0.001), default=64, show_default=True, help="单个文件大小上限（MB）")
@click.option("--max-upload", type=click.FloatRange(0.001), default=256, show_default=True, help="一次上传的总大小上限（MB）")
@click.option("--jobs", "-j", type=click.IntRange(0), default=0, show_default=True, help="检查用的进程数（0：按 CPU 数）")
@ruleset_options
def serve(inbox, db, host, port, token, office, letter_date, max_size, max_upload, jobs, plugin_modules, province,
          rules_paths):
    """审查台：在浏览器中逐份审阅报告，确认或不采纳问题，写反馈意见，查看各单位历年情况。"""
    from ..run import RunRequest
    from ..serve.desk import open_desk
    from ..serve.store import Store, default_path

    if host not in LOOPBACK and not token:
        err(f"监听 {host} 会让其他计算机访问审查台：必须同时给出访问令牌（--token 令牌，或 --token auto 生成一个）")
        sys.exit(EXIT_USAGE)
    if token == "auto":
        token = secrets.token_urlsafe(24)
    for path in inbox:
        if not os.path.exists(path):
            err(f"{path}: 文件或目录不存在")
            sys.exit(EXIT_USAGE)
    sock = _bind(host, port)
    port = sock.getsockname()[1]
    try:
        store = Store(db or default_path())
        request = RunRequest(province=province or "national", plugins=tuple(plugin_modules),
                             rule_paths=tuple(rules_paths), no_suppressions=True,
                             max_bytes=int(max_size * 1024 * 1024), jobs=jobs)
        hosts = None
        if host in LOOPBACK:
            hosts = {f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")}
        desk = open_desk(store, request, office=office, date=letter_date, token=token or "", hosts=hosts,
                         max_upload=int(max_upload * 1024 * 1024))
    except FazhiError as exc:
        sock.close()
        err(str(exc))
        sys.exit(exc.exit_code)
    if inbox:
        desk.checker.submit(inbox, "inbox", skip_known=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"审查台：http://{shown}:{port}/   数据库：{store.shown()}", err=False)
    if token:
        click.echo(f"访问令牌：{token}\n请用这个链接打开：http://{shown}:{port}/?token={token}")
    click.echo("按 Ctrl-C 结束。")
    sys.stdout.flush()
    from ..serve.app import create_app          # the web framework, once the inbox is being checked

    _run(create_app(desk), sock)


def _run(app, sock) -> None:
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


COMMANDS = [serve]
