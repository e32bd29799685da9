"""``fazhi-lint db backup PATH`` / ``db export`` / ``db upgrade``: the desk's store from the command line."""
from __future__ import annotations

import json
import sys

import click

from ..errors import EXIT_OK, EXIT_USAGE, FazhiError
from .common import err

DB_OPTION = click.option("--db", "db", default=None, metavar="PATH|URL",
                         help="数据库：SQLite 文件路径（默认在用户数据目录中），或 postgresql://…")


def _open(db, upgrade=True):
    from ..serve.store import Store, default_path

    try:
        return Store(db or default_path(), upgrade=upgrade, create=False)
    except FazhiError as exc:
        err(str(exc))
        sys.exit(exc.exit_code)


@click.group("db")
def db_group():
    """审查台数据库：备份、导出（JSON）、升级结构。"""


def _closing(store, action):
    """``action()``'s value; the store closed however it ends, a FazhiError said in one line (its exit code)."""
    try:
        return action()
    except FazhiError as exc:
        err(str(exc))
        sys.exit(exc.exit_code)
    finally:
        store.close()


@db_group.command("backup")
@click.argument("path")
@DB_OPTION
def backup_command(path, db):
    """把数据库完整备份为一个 SQLite 文件（审查台可用 --db 直接打开）；审查台运行时也可备份。"""
    from ..serve.dump import backup

    store = _open(db)
    rows = _closing(store, lambda: backup(store, path))
    err(f"已备份 {store.shown()} 到 {path}（{rows} 行）")
    sys.exit(EXIT_OK)


@db_group.command("export")
@DB_OPTION
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="写入文件（默认标准输出）")
@click.option("--files", is_flag=True, help="同时导出报告文件本身（base64）")
def export_command(db, output, files):
    """把数据库导出为 JSON：检查记录、单位、报告、问题、审阅决定、意见和状态。"""
    from ..serve.dump import export

    store = _open(db)
    try:
        text = json.dumps(export(store, files), ensure_ascii=False, indent=1) + "\n"
    finally:
        store.close()
    if output:                        # the output layer: atomic, never through a link (issue 22)
        from ..outputs.targets import OutputProblem, encode_output, write_file

        try:
            write_file(output, encode_output(text, "json"))
        except OutputProblem as exc:
            err(str(exc))
            sys.exit(EXIT_USAGE)
        err(f"已导出到 {output}")
    else:
        click.echo(text, nl=False)


@db_group.command("upgrade")
@DB_OPTION
def upgrade_command(db):
    """把数据库结构升级到本程序的版本（审查台打开数据库时也会自动升级）。"""
    from ..serve import migrate
    from ..serve.schema import SCHEMA_VERSION

    store = _open(db, upgrade=False)
    before = store.version
    after = _closing(store, lambda: migrate.upgrade(store))
    err(f"{store.shown()}：结构版本 {before} → {after}（本程序支持 {SCHEMA_VERSION}）")


COMMANDS = [db_group]
