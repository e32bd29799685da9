"""Opening the desk's store: SQLite (a file, WAL mode) or PostgreSQL (a database URL), migrated to
the current schema; transactions for reading and for writing.

SQLite: one file, by default in the user's data folder (``default_path``), else ``--db PATH``. It
runs in WAL mode with ``synchronous=FULL``: a reader never waits for a writer, and a commit is on
disk before the reviewer is told it is saved, so a ``kill -9`` (or a power cut) loses nothing that
was acknowledged and never leaves a half-written store. A write transaction starts with ``BEGIN
IMMEDIATE`` (it takes the write lock at once; two writers queue, ``busy_timeout``, instead of one
failing halfway); reads use a plain ``BEGIN``.

PostgreSQL: ``postgresql://user@host/db`` (the psycopg driver, the ``postgres`` extra); writes
that recompute a filing's reviewed score lock its row (``SELECT … FOR UPDATE``), so two reviewers
deciding on one report at once are applied one after the other.
"""
from __future__ import annotations

import contextlib
import datetime
import os
import sys

from ..errors import ConfigError
from .schema import SCHEMA_VERSION, TABLES

BUSY_SECONDS = 30


def default_path() -> str:
    """``desk.db`` in the user's data folder: ``$XDG_DATA_HOME/fazhi-lint`` (``~/.local/share``),
    ``%LOCALAPPDATA%\\fazhi-lint`` on Windows, ``~/Library/Application Support/fazhi-lint`` on macOS."""
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), "AppData", "Local")
    elif sys.platform == "darwin":
        base = os.path.join(os.path.expanduser("~"), "Library", "Application Support")
    else:
        base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "fazhi-lint", "desk.db")


def is_url(target: str) -> bool:
    return "://" in (target or "")


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def _engine_url(target: str) -> str:
    if not is_url(target):
        return "sqlite:///" + os.path.abspath(target)
    scheme, rest = target.split("://", 1)
    if scheme in ("postgres", "postgresql"):
        scheme = "postgresql+psycopg"
    if scheme == "postgresql+psycopg":
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise ConfigError("PostgreSQL 数据库需要 psycopg：pip install 'fazhi-lint[postgres]'"
                              "（或 pip install 'psycopg[binary]'）") from None
    elif not scheme.startswith("sqlite"):
        raise ConfigError(f"不支持的数据库地址：{scheme}://…（可用 SQLite 文件路径或 postgresql://…）")
    return f"{scheme}://{rest}"


class Store:
    """The store at ``target`` (a file path or a database URL), created or upgraded on opening."""

    def __init__(self, target: str, upgrade: bool = True, create: bool = True):
        from sqlalchemy import create_engine, event

        self.target = target
        url = _engine_url(target)
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite and not create and not is_url(target) and not os.path.isfile(target):
            raise ConfigError(f"数据库 {target} 不存在（用 --db 指定审查台的数据库文件）")
        if self.is_sqlite and not is_url(target):
            folder = os.path.dirname(os.path.abspath(target))
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError as exc:
                raise ConfigError(f"无法创建数据库所在的目录：{exc.strerror or exc}") from None
        options = {"connect_args": {"timeout": BUSY_SECONDS}} if self.is_sqlite else {}
        self.engine = create_engine(url, **options)
        if self.is_sqlite:
            @event.listens_for(self.engine, "connect")
            def _connect(dbapi_connection, _record):
                dbapi_connection.isolation_level = None          # transactions are begun below, explicitly
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=FULL")
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
                cursor.close()

            @event.listens_for(self.engine, "begin")
            def _begin(conn):
                conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("desk_write") else "BEGIN")
        self.t = TABLES
        try:
            from . import migrate

            self.version = migrate.upgrade(self) if upgrade else migrate.version_of(self)
        except ConfigError:
            raise
        except Exception as exc:
            raise ConfigError(f"无法打开数据库 {self.shown()}：{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from None

    def shown(self) -> str:
        """The store named without a password."""
        if not is_url(self.target):
            return self.target
        return self.engine.url.render_as_string(hide_password=True)

    @contextlib.contextmanager
    def read(self):
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def write(self):
        with self.engine.connect() as conn:
            conn.execution_options(desk_write=True)
            with conn.begin():
                yield conn

    def lock(self, conn, table: str, row_id: int) -> None:
        """Serialise writers of one row (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises all)."""
        if not self.is_sqlite:
            from sqlalchemy import select

            t = self.t[table]
            conn.execute(select(t.c.id).where(t.c.id == row_id).with_for_update())

    def setting(self, conn, key: str, default=None):
        from sqlalchemy import select

        t = self.t["desk_meta"]
        value = conn.execute(select(t.c.value).where(t.c.key == key)).scalar()
        return default if value is None else value

    def put_setting(self, conn, key: str, value: str) -> None:
        from sqlalchemy import delete, insert

        t = self.t["desk_meta"]
        conn.execute(delete(t).where(t.c.key == key))
        conn.execute(insert(t).values(key=key, value=value))

    def close(self) -> None:
        self.engine.dispose()


__all__ = ["SCHEMA_VERSION", "Store", "default_path", "is_url", "now"]
