"""The desk's store: an old database upgraded by its migrations, the schema the queries use, the
scores that follow the reviewer's decisions, the ranking of 300 reports in time, and the same store
on PostgreSQL (a throwaway cluster; skipped with the reason where PostgreSQL is not installed)."""
import dataclasses
import json
import os
import sqlite3
import threading

import pytest

from .conftest import SEEDS, ROOT

V1_DDL = os.path.join(ROOT, "tests", "data", "serve", "desk_v1.sql")


@pytest.fixture(scope="module")
def seeds_run():
    """The seeds checked once by the pipeline, as the desk checks them."""
    from checker.run import RunRequest, load, run

    request = RunRequest(paths=(SEEDS,), no_suppressions=True)
    loaded = load(request)
    return request, loaded, run(request, loaded=loaded)


def _items(outcome, loaded, units=None):
    from checker.inputs import load_bytes
    from checker.readers import read_bytes
    from checker.serve.ingest import prepare

    inputs = {i.display: i for i in outcome.inputs}
    items = []
    for n, result in enumerate(outcome.reports):
        data = load_bytes(inputs[result.path])
        text = read_bytes(data, result.path, loaded.ruleset.readers).text
        name = os.path.basename(result.path)
        if units is not None:                    # the same report as another unit's: another filing
            result = dataclasses.replace(result, meta={**result.meta, "unit": units[n]})
            data, name = data + f"\n{units[n]}".encode("utf-8"), f"{units[n]}.txt"
        items.append(prepare(result, data, text, name))
    return items


def _store(target, seeds_run, units=None):
    from checker.serve.ingest import store_results
    from checker.serve.store import Store

    request, loaded, outcome = seeds_run
    store = Store(target)
    store_results(store, _items(outcome, loaded, units), loaded, request, "inbox", "seeds")
    return store


# ------------------------------------------------------------------------------ migrations
def _old_database(path):
    """A store as fazhi-lint wrote it at schema version 1, with a report, a finding and a decision."""
    with sqlite3.connect(path) as conn:
        conn.executescript(open(V1_DDL, encoding="utf-8").read())
        conn.executescript("""
            INSERT INTO desk_meta VALUES ('schema_version', '1'), ('csrf_secret', 'old-secret');
            INSERT INTO runs (id, started_at, source, inbox, year, status) VALUES (1, '2024-03-01T08:00:00+00:00', 'inbox', 'inbox', 2023, 'done');
            INSERT INTO units VALUES (1, '某区司法局', '某区司法局', '2024-03-01');
            INSERT INTO files VALUES ('abc', 3, X'616263');
            INSERT INTO filings (id, unit_id, year, status, created_at) VALUES (1, 1, 2023, 'reviewed', '2024-03-01');
            INSERT INTO reports (id, filing_id, run_id, version, file_name, content_hash, meta, elements, outcomes, score,
                                 errors, warnings, infos, reviewed_score, reviewed_elements, reviewed_counts)
                VALUES (1, 1, 1, 1, '某区.txt', 'abc', '{"unit": "某区司法局", "report_year": 2023}', '{}', '[]', 80.0,
                        1, 0, 0, 80.0, '{}', '{"error": 1, "warning": 0, "info": 0}');
            INSERT INTO findings (report_id, position, fingerprint, rule, severity, message, line, col, end_line, end_col, excerpt)
                VALUES (1, 0, 'fp1', 'FZ-W01', 'error', '“法制政府”应为“法治政府”', 3, 1, 3, 5, '法制政府');
            INSERT INTO decisions (filing_id, fingerprint, decision, reason, reviewer, decided_at)
                VALUES (1, 'fp1', 'dismissed', '引用文件名称', '张三', '2024-03-02T09:00:00+00:00');
        """)


def test_an_old_database_is_upgraded_and_keeps_everything(tmp_path):
    from sqlalchemy import inspect

    from checker.serve.schema import SCHEMA_VERSION
    from checker.serve.store import Store

    path = str(tmp_path / "old.db")
    _old_database(path)
    assert Store(path, upgrade=False).version == 1
    store = Store(path)
    assert store.version == SCHEMA_VERSION == 2
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM desk_meta WHERE key = 'schema_version'").fetchone() == ("2",)
        assert conn.execute("SELECT decision, reason, reviewer, wording FROM decisions").fetchall() == [
            ("dismissed", "引用文件名称", "张三", None)]
        assert conn.execute("SELECT status, status_by FROM filings").fetchall() == [("reviewed", None)]
        assert conn.execute("SELECT value FROM desk_meta WHERE key = 'csrf_secret'").fetchone() == ("old-secret",)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with store.read() as conn:
        tables = set(inspect(conn).get_table_names())
    assert {"remarks", "decision_log", "comparisons"} <= tables
    from checker.serve.review import add_remark

    assert add_remark(store, 1, "已电话告知")["text"] == "已电话告知"     # the new tables work on the old data
    assert Store(path).version == 2                                      # opening again changes nothing


def test_a_store_newer_than_the_program_is_refused(tmp_path):
    from checker.errors import ConfigError
    from checker.serve.store import Store

    path = str(tmp_path / "new.db")
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE desk_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ConfigError, match="比本程序支持的 2 新"):
        Store(path)


def test_a_file_that_is_not_a_store_and_a_missing_driver_are_said_in_words(tmp_path, monkeypatch):
    import sys

    from checker.errors import ConfigError
    from checker.serve.store import Store

    (tmp_path / "notes.db").write_text("not a database", encoding="utf-8")
    with pytest.raises(ConfigError, match="无法打开数据库 .*notes.db"):
        Store(str(tmp_path / "notes.db"))
    monkeypatch.setitem(sys.modules, "psycopg", None)         # psycopg not installed
    with pytest.raises(ConfigError, match=r"fazhi-lint\[postgres\]"):
        Store("postgresql://desk@localhost/fazhi")
    with pytest.raises(ConfigError, match="不支持的数据库地址"):
        Store("mysql://desk@localhost/fazhi")


def test_the_migrations_build_exactly_the_tables_the_queries_use(tmp_path):
    from sqlalchemy import inspect

    from checker.serve.schema import TABLES
    from checker.serve.store import Store

    for store in (Store(str(tmp_path / "fresh.db")), _upgraded(tmp_path)):
        with store.read() as conn:
            found = {name: sorted(c["name"] for c in inspect(conn).get_columns(name))
                     for name in inspect(conn).get_table_names()}
        assert found == {name: sorted(c.name for c in table.c) for name, table in TABLES.items()}


def _upgraded(tmp_path):
    from checker.serve.store import Store

    path = str(tmp_path / "upgraded.db")
    _old_database(path)
    return Store(path)


def test_the_store_is_in_wal_mode_with_full_sync(tmp_path):
    from checker.serve.store import Store

    store = Store(str(tmp_path / "d.db"))
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2          # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


# ------------------------------------------------------------------------------ scores follow decisions
def test_with_no_decision_the_reviewed_score_is_the_tools(tmp_path, seeds_run):
    from checker.serve.queries import ranking

    store = _store(str(tmp_path / "d.db"), seeds_run)
    with store.read() as conn:
        rows = ranking(conn, store.t)
    by_name = {os.path.basename(r.path): r.score for r in seeds_run[2].reports}
    assert {r["file_name"]: r["reviewed_score"] for r in rows} == by_name
    assert {r["file_name"]: r["score"] for r in rows} == by_name


def test_a_rule_whose_findings_are_all_struck_counts_as_passed(seeds_run):
    from checker.engine import scoring
    from checker.records import RuleOutcome
    from checker.serve.ingest import context_lines, prepare
    from checker.serve.review import reviewed

    request, loaded, outcome = seeds_run
    ruleset = loaded.ruleset
    for result in outcome.reports:
        text = open(result.path, encoding="utf-8").read()
        item = prepare(result, b"", text, "x")
        rows = [type("F", (), {"fingerprint": p, "rule": f.rule, "severity": f.severity})
                for p, f in zip(item.fingerprints, result.findings)]
        assert reviewed(result.outcomes, result.elements, rows, set(), ruleset)["score"] == result.score
        for rule in sorted({f.rule for f in result.findings if f.rule in ruleset.known_ids}):
            struck = {r.fingerprint for r in rows if r.rule == rule}
            after = reviewed(result.outcomes, result.elements, rows, struck, ruleset)
            outcomes = [RuleOutcome(o.rule_id, "passed") if o.rule_id == rule else o for o in result.outcomes]
            elements = dict(result.elements)
            if "statutory" in (ruleset.by_id(rule).tags or ()):
                for key in ("element", "needs"):
                    if (ruleset.by_id(rule).params or {}).get(key):
                        elements[ruleset.by_id(rule).params[key]] = True
            assert after["score"] == scoring.score(outcomes, ruleset, elements), (result.path, rule)
            assert after["score"] >= result.score and after["counts"][max(after["counts"], key=str)] >= 0
        assert context_lines(text, result.findings[0]) in text


def test_striking_the_missing_causes_restores_the_part_in_the_matrix(tmp_path, seeds_run):
    from checker.serve.queries import ranking, report_view
    from checker.serve.review import decide

    store = _store(str(tmp_path / "d.db"), seeds_run)
    with store.read() as conn:
        row = next(r for r in ranking(conn, store.t) if r["file_name"].startswith("004_"))
        view = report_view(conn, store.t, row["id"])
    assert "不足的原因" in row["missing"]
    causes = next(f for f in view["findings"] if f.rule == "FZ-S03")
    done = decide(store, seeds_run[1].ruleset, row["id"], causes.fingerprint, "dismissed", "第二部分写了原因", reviewer="王五")
    assert done["reviewed_score"] == pytest.approx(row["score"] + 25, abs=1.0)
    with store.read() as conn:
        after = next(r for r in ranking(conn, store.t) if r["id"] == row["id"])
    assert after["missing"] == [] and after["parts"]["causes"] and after["rank"] < row["rank"]
    assert after["errors"] == row["errors"] - 1


def test_a_missing_first_responsible_person_part_is_missing_in_the_matrix(tmp_path, seeds_run):
    """The outline says "none" for that part when it is missing (a word, not an empty value)."""
    from checker.serve.ingest import store_results
    from checker.serve.queries import ranking
    from checker.serve.store import Store

    request, loaded, outcome = seeds_run
    items = _items(outcome, loaded)[:1]
    items[0].result = dataclasses.replace(items[0].result, elements={**items[0].result.elements,
                                                                     "first_responsible_person": "none"})
    store = Store(str(tmp_path / "d.db"))
    store_results(store, items, loaded, request, "inbox")
    with store.read() as conn:
        (row,) = ranking(conn, store.t)
    assert row["parts"]["first_responsible_person"] is False and row["missing"] == ["第一责任人职责履行情况"]


def test_the_ranking_of_300_reports_renders_in_300_ms(tmp_path, seeds_run):
    from checker.serve.app import Desk, create_app

    from .asgi import call
    from checker.serve.jobs import Checker

    units = [f"第{n:03d}单位司法局" for n in range(60)]
    store = _store(str(tmp_path / "big.db"), seeds_run)
    from checker.serve.ingest import store_results

    request, loaded, outcome = seeds_run
    for k in range(60):
        store_results(store, _items(outcome, loaded, [f"{units[k]}{n}" for n in range(5)]), loaded, request, "inbox")
    desk = Desk(store=store, loaded=loaded, request=request, csrf="x")
    desk.checker = Checker(store, loaded, request)
    app, timings = create_app(desk), []
    for _ in range(3):
        status, headers, body = call(app, "GET", "/")
        assert status == 200 and body.decode("utf-8").count('<tr data-report=') == 305
        timings.append(float(headers["server-timing"].split("dur=")[1]))
    print("ranking server time (ms):", timings)
    assert sorted(timings)[1] <= 300, timings
    status, _, body = call(app, "GET", "/api/reports")
    assert status == 200 and len(json.loads(body)) == 305


# ------------------------------------------------------------------------------ PostgreSQL
@pytest.fixture(scope="module")
def postgres():
    from .pg_cluster import Cluster

    cluster = Cluster()
    yield cluster
    cluster.stop()


def test_the_same_store_works_on_postgresql(postgres, seeds_run, tmp_path):
    from checker.serve.dump import backup
    from checker.serve.queries import ranking, report_view
    from checker.serve.review import decide
    from checker.serve.store import Store

    store = _store(postgres.database(), seeds_run)
    assert not store.is_sqlite and store.version == 2
    lite = _store(str(tmp_path / "d.db"), seeds_run)
    with store.read() as conn, lite.read() as other:
        rows, same = ranking(conn, store.t), ranking(other, lite.t)
    assert [(r["file_name"], r["score"], r["reviewed_score"], r["missing"]) for r in rows] == \
           [(r["file_name"], r["score"], r["reviewed_score"], r["missing"]) for r in same]
    with store.read() as conn:
        view = report_view(conn, store.t, rows[-1]["id"])
    prints = sorted({f.fingerprint for f in view["findings"]})
    answers = []

    def reviewer(n):
        for fingerprint in prints:
            answers.append(decide(store, seeds_run[1].ruleset, rows[-1]["id"], fingerprint,
                                  "dismissed" if n % 2 else "confirmed", f"理由{n}", reviewer=f"审阅人{n}"))
    threads = [threading.Thread(target=reviewer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with store.read() as conn:
        logged = conn.exec_driver_sql("SELECT COUNT(*) FROM decision_log").scalar()
        final = {f: d for f, d in conn.exec_driver_sql("SELECT fingerprint, decision FROM decisions")}
        score = conn.exec_driver_sql(f"SELECT reviewed_score FROM reports WHERE id = {rows[-1]['id']}").scalar()
    assert logged == len(answers) == 4 * len(prints) and set(final) == set(prints)
    from checker.serve.review import refresh_filing

    with store.write() as conn:                      # the saved reviewed score is the one the final decisions give
        refresh_filing(conn, store.t, view["filing"].id, seeds_run[1].ruleset)
        assert conn.exec_driver_sql(f"SELECT reviewed_score FROM reports WHERE id = {rows[-1]['id']}").scalar() == score
    copy = tmp_path / "from-postgres.db"
    assert backup(store, str(copy)) > 0
    restored = Store(str(copy))
    with restored.read() as conn, store.read() as original:
        assert [r["reviewed_score"] for r in ranking(conn, restored.t)] == [r["reviewed_score"] for r in ranking(original, store.t)]
    restored.close()
    store.close()


def test_serve_runs_on_a_postgresql_url(postgres):
    from .serve_helpers import Desk, seed_scores

    served = Desk(SEEDS, "--db", postgres.database())
    try:
        assert {r["file_name"]: r["score"] for r in served.get("/api/reports")} == seed_scores()
    finally:
        served.stop()


def test_db_export_goes_through_the_output_layer(tmp_path, seeds_run):
    """``db export -o`` is written like every other output: never through a planted link, and a
    failed write is one line and exit 2."""
    import subprocess
    import sys

    _store(str(tmp_path / "d.db"), seeds_run).close()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    os.symlink(victim, tmp_path / "export.json")
    linked = subprocess.run([sys.executable, "-m", "checker", "db", "export", "--db", str(tmp_path / "d.db"),
                             "-o", str(tmp_path / "export.json")], capture_output=True, text=True, timeout=120)
    assert linked.returncode == 2 and "Traceback" not in linked.stderr and victim.read_text("utf-8") == "keep"
    missing = subprocess.run([sys.executable, "-m", "checker", "db", "export", "--db", str(tmp_path / "d.db"),
                              "-o", "/dev/full"], capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
