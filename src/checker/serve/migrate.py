"""The store's schema versions and the steps between them (see ``schema.py``).

``upgrade(store)`` reads ``desk_meta.schema_version`` (0 for an empty database), runs each missing
step in its own transaction and records the new version with it: a step that fails leaves the
store at the version before it, never half-way. A store newer than this fazhi-lint is refused
(an older program must not write into a schema it does not know).
"""
from __future__ import annotations

import secrets

from ..errors import ConfigError
from .schema import SCHEMA_VERSION, V2_COLUMNS, _v1_tables, _v2_tables


def _create(conn, build, refers_to=()) -> None:
    """Create the tables ``build`` defines (the tables they refer to are read from the store)."""
    from sqlalchemy import MetaData

    metadata = MetaData()
    if refers_to:
        metadata.reflect(conn, only=list(refers_to))
    tables = build(metadata)
    metadata.create_all(conn, tables=list(tables.values()))


def to_v1(conn) -> None:
    _create(conn, _v1_tables)


def to_v2(conn) -> None:
    from sqlalchemy import text

    _create(conn, _v2_tables, refers_to=("filings", "reports"))
    for table, column, kind in V2_COLUMNS:
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {kind().compile(dialect=conn.dialect)}"))


MIGRATIONS = {0: to_v1, 1: to_v2}          # version n -> the step to n + 1


def _version(conn) -> int:
    from sqlalchemy import inspect, text

    if not inspect(conn).has_table("desk_meta"):
        return 0
    value = conn.execute(text("SELECT value FROM desk_meta WHERE key = 'schema_version'")).scalar()
    return int(value or 0)


def version_of(store) -> int:
    with store.read() as conn:
        return _version(conn)


def _record(conn, version: int) -> None:
    from sqlalchemy import text

    conn.execute(text("DELETE FROM desk_meta WHERE key = 'schema_version'"))
    conn.execute(text("INSERT INTO desk_meta (key, value) VALUES ('schema_version', :v)"), {"v": str(version)})


def upgrade(store, target: int = SCHEMA_VERSION) -> int:
    """Bring ``store`` to schema ``target``; the version it is at afterwards."""
    from sqlalchemy import text

    version = version_of(store)
    if version > SCHEMA_VERSION:
        raise ConfigError(f"数据库 {store.shown()} 的结构版本是 {version}，比本程序支持的 {SCHEMA_VERSION} 新："
                          "请升级 fazhi-lint 后再打开")
    while version < target:
        with store.write() as conn:
            version = _version(conn)            # another process may have upgraded it meanwhile
            if version >= target:
                break
            MIGRATIONS[version](conn)
            _record(conn, version + 1)
            if version == 0:
                conn.execute(text("INSERT INTO desk_meta (key, value) VALUES ('csrf_secret', :v)"),
                             {"v": secrets.token_urlsafe(32)})
        version += 1
    return version
