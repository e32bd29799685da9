"""``fazhi-lint db backup PATH`` and ``db export``: the store copied whole, or written out as JSON.

A backup is a SQLite file that ``fazhi-lint serve --db PATH`` opens as it is. From SQLite it is
made with SQLite's online backup (a consistent copy, also while the desk is serving and writing);
from PostgreSQL the rows of every table are copied into a new SQLite store of the same schema.
The export is one JSON document: every table's rows (the reports' files by hash and size; their
bytes too with ``files=True``, in base64).
"""
from __future__ import annotations

import base64
import datetime
import os

from .. import __version__
from ..errors import UsageError
from .schema import METADATA, SCHEMA_VERSION


def _tables_in_order():
    return list(METADATA.sorted_tables)


def backup(store, path: str) -> int:
    """Copy ``store`` into a new SQLite file ``path``; the number of rows copied."""
    import sqlite3

    from sqlalchemy import insert, select

    from .store import Store

    target = os.path.abspath(path)
    if os.path.exists(target):
        raise UsageError(f"{path} 已存在：备份不覆盖已有的文件，请换一个文件名")
    if store.is_sqlite and os.path.abspath(store.target) == target:
        raise UsageError("备份文件不能是数据库本身")
    os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
    if store.is_sqlite:
        source = sqlite3.connect(os.path.abspath(store.target))
        try:
            copy = sqlite3.connect(target)
            with copy:
                source.backup(copy)
            rows = sum(copy.execute(f"SELECT COUNT(*) FROM {t.name}").fetchone()[0] for t in _tables_in_order())
            copy.execute("PRAGMA journal_mode=DELETE")      # one self-contained file
            copy.close()
        finally:
            source.close()
        return rows
    copy, rows = Store(target), 0
    try:
        with store.read() as src, copy.write() as dst:
            for table in _tables_in_order():
                if table.name == "desk_meta":
                    dst.execute(table.delete())
                batch = [dict(row._mapping) for row in src.execute(select(table))]
                if batch:
                    dst.execute(insert(table), batch)
                rows += len(batch)
    finally:
        copy.close()
    return rows


def _plain(value, files: bool, column: str):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii") if files else None
    return value


def export(store, files: bool = False) -> dict:
    """Every table's rows as plain data (``files``: the reports' bytes too, base64)."""
    from sqlalchemy import select

    out = {"tool": {"name": "fazhi-lint", "version": __version__}, "schema_version": SCHEMA_VERSION,
           "exported_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "tables": {}}
    with store.read() as conn:
        for table in _tables_in_order():
            if table.name == "desk_meta":
                rows = [{"key": k, "value": v} for k, v in conn.execute(select(table.c.key, table.c.value))
                        if k != "csrf_secret"]
            else:
                columns = [c for c in table.c if files or c.name != "data"]
                rows = [{c.name: _plain(row[i], files, c.name) for i, c in enumerate(columns)}
                        for row in conn.execute(select(*columns).order_by(*table.primary_key.columns))]
            out["tables"][table.name] = rows
    return out
