"""The desk's store: its tables as they stand now, and every migration that led there.

The schema is versioned (``desk_meta.schema_version``). ``MIGRATIONS[n]`` takes a store of version
``n`` to ``n + 1``; each one defines the tables it creates with its own ``MetaData``, so a later
change to ``TABLES`` never rewrites history. A new store runs them all; an older store runs the ones
it lacks, each in one transaction (``migrate.upgrade``). ``TABLES`` is what the queries use; a test
checks that a store built by the migrations has exactly these columns.

What is kept (one office's desk, or a province's on PostgreSQL):

- ``runs``: each check of an inbox or an upload: when, which year, what was given, the rule packs
  and their versions, the tool's version;
- ``units``: one row per unit, by its normalised name (某区司法局 in 2023 and in 2024 is one unit);
- ``files``: the bytes of every report received, by SHA-256 (one copy however often it is added);
- ``filings``: one unit's report for one year, through all its versions (a resubmission is a new
  version of the same filing), with the review status (待审 / 已审 / 已发函 / 已整改);
- ``reports``: one checked version: file name, content hash, the text as read, meta, statutory
  parts, the rule outcomes (to score it again from the reviewer's decisions), the tool's score and
  the reviewed one;
- ``findings``: each finding of a report with its text fingerprint (``waivers.fingerprint``);
- ``decisions``: the reviewer's current word on a finding of a filing, by fingerprint (确认 /
  不采纳 with a reason / wording edited; who and when); ``decision_log`` keeps every word said;
- ``remarks``: the reviewer's own remarks on a filing (they go into its letter);
- ``comparisons``: a unit's report held against its report of the year before (worked out once).
"""
from __future__ import annotations

from sqlalchemy import (Column, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, Table, Text,
                        UniqueConstraint)

SCHEMA_VERSION = 2
STATUSES = {"pending": "待审", "reviewed": "已审", "sent": "已发函", "fixed": "已整改"}
DECISIONS = {"confirmed": "确认", "dismissed": "不采纳"}


def _v1_tables(metadata: MetaData) -> dict:
    """Version 1: runs, units, files, filings, reports, findings and decisions."""
    tables = {}
    tables["desk_meta"] = Table("desk_meta", metadata, Column("key", Text, primary_key=True), Column("value", Text))
    tables["runs"] = Table(
        "runs", metadata, Column("id", Integer, primary_key=True), Column("started_at", Text, nullable=False),
        Column("finished_at", Text), Column("source", Text, nullable=False), Column("inbox", Text),
        Column("year", Integer), Column("packs", Text), Column("tool_version", Text), Column("status", Text),
        Column("reports", Integer), Column("problems", Text))
    tables["units"] = Table(
        "units", metadata, Column("id", Integer, primary_key=True), Column("key", Text, nullable=False, unique=True),
        Column("name", Text, nullable=False), Column("created_at", Text))
    tables["files"] = Table(
        "files", metadata, Column("hash", Text, primary_key=True), Column("size", Integer, nullable=False),
        Column("data", LargeBinary, nullable=False))
    tables["filings"] = Table(
        "filings", metadata, Column("id", Integer, primary_key=True),
        Column("unit_id", Integer, ForeignKey("units.id"), nullable=False), Column("year", Integer, nullable=False),
        Column("status", Text, nullable=False, server_default="pending"), Column("created_at", Text),
        Index("ix_filings_unit", "unit_id", "year"))
    tables["reports"] = Table(
        "reports", metadata, Column("id", Integer, primary_key=True),
        Column("filing_id", Integer, ForeignKey("filings.id"), nullable=False),
        Column("run_id", Integer, ForeignKey("runs.id"), nullable=False), Column("version", Integer, nullable=False),
        Column("file_name", Text, nullable=False), Column("content_hash", Text, ForeignKey("files.hash"), nullable=False),
        Column("signature", Text), Column("text", Text), Column("meta", Text), Column("elements", Text),
        Column("outcomes", Text), Column("score", Float), Column("subscores", Text), Column("error", Text),
        Column("errors", Integer), Column("warnings", Integer), Column("infos", Integer),
        Column("reviewed_score", Float), Column("reviewed_elements", Text), Column("reviewed_counts", Text),
        Column("created_at", Text),
        UniqueConstraint("filing_id", "version", name="uq_reports_version"),
        Index("ix_reports_hash", "content_hash"))
    tables["findings"] = Table(
        "findings", metadata, Column("id", Integer, primary_key=True),
        Column("report_id", Integer, ForeignKey("reports.id"), nullable=False), Column("position", Integer, nullable=False),
        Column("fingerprint", Text, nullable=False), Column("rule", Text, nullable=False),
        Column("severity", Text, nullable=False), Column("message", Text), Column("hint", Text), Column("basis", Text),
        Column("line", Integer), Column("col", Integer), Column("end_line", Integer), Column("end_col", Integer),
        Column("excerpt", Text), Column("location", Text), Column("context", Text),
        Index("ix_findings_report", "report_id"))
    tables["decisions"] = Table(
        "decisions", metadata, Column("id", Integer, primary_key=True),
        Column("filing_id", Integer, ForeignKey("filings.id"), nullable=False),
        Column("fingerprint", Text, nullable=False), Column("decision", Text), Column("reason", Text),
        Column("reviewer", Text), Column("decided_at", Text), Column("carried_from", Text),
        UniqueConstraint("filing_id", "fingerprint", name="uq_decisions_finding"))
    return tables


def _v2_tables(metadata: MetaData) -> dict:
    """Version 2 (the review's own records): remarks, the decision log, the comparisons cache; the
    wording a reviewer edits (``decisions.wording``) and who set a filing's status, when."""
    tables = {}
    tables["remarks"] = Table(
        "remarks", metadata, Column("id", Integer, primary_key=True),
        Column("filing_id", Integer, ForeignKey("filings.id"), nullable=False), Column("text", Text, nullable=False),
        Column("author", Text), Column("created_at", Text), Index("ix_remarks_filing", "filing_id"))
    tables["decision_log"] = Table(
        "decision_log", metadata, Column("id", Integer, primary_key=True),
        Column("filing_id", Integer, ForeignKey("filings.id"), nullable=False),
        Column("fingerprint", Text, nullable=False), Column("decision", Text), Column("reason", Text),
        Column("wording", Text), Column("reviewer", Text), Column("at", Text), Index("ix_log_filing", "filing_id"))
    tables["comparisons"] = Table(
        "comparisons", metadata, Column("previous_id", Integer, ForeignKey("reports.id"), primary_key=True),
        Column("report_id", Integer, ForeignKey("reports.id"), primary_key=True), Column("data", Text),
        Column("created_at", Text))
    return tables


# Columns version 2 adds to tables of version 1: (table, column, type).
V2_COLUMNS = (("decisions", "wording", Text), ("filings", "status_by", Text), ("filings", "status_at", Text))


def current_tables() -> tuple:
    """(MetaData, {name: Table}) of the schema at ``SCHEMA_VERSION``, for the queries."""
    metadata = MetaData()
    tables = _v1_tables(metadata)
    for table, column, kind in V2_COLUMNS:
        tables[table].append_column(Column(column, kind))
    tables.update(_v2_tables(metadata))
    return metadata, tables


METADATA, TABLES = current_tables()
