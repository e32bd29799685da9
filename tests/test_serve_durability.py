"""The desk's decisions last: a finding struck through the API stays struck after the server is
restarted on the same store, is absent from the report's letter, and stays struck when the same
report comes again with one unrelated fix (and when its own paragraph was edited); a ``kill -9``
in the middle of two reviewers' writes leaves a sound store with every acknowledged decision."""
import shutil
import sqlite3
import threading

from .conftest import SEEDS
from .serve_helpers import Desk, finding_named as _finding, letter_text as _letter_text, report_named as _report

SEED_004 = "004_b0c9e18cd6c6e394.txt"


def _inbox(folder):
    inbox = folder / "inbox"
    shutil.copytree(SEEDS, inbox)
    return inbox


def test_a_struck_finding_stays_struck_after_a_restart_out_of_the_letter_and_in_a_resubmission(tmp_path):
    inbox, db = _inbox(tmp_path), tmp_path / "desk.db"
    served = Desk(inbox, "--db", db)
    try:
        report = desk_report = served.get(f"/api/reports/{_report(served, SEED_004)['id']}")
        struck = next(f for f in report["findings"] if f["rule"] == "FZ-W02")          # 法制办, line 23
        status, done = served.decide(report["id"], struck["fingerprint"], "dismissed", "引用2018年以前的机构名称，属历史表述",
                                     reviewer="张三")
        assert status == 200 and done["reviewed_score"] >= report["score"]
    finally:
        served.stop()
    served = Desk("--db", db)                       # restarted on the same store, no inbox
    try:
        again = served.get(f"/api/reports/{desk_report['id']}")
        kept = _finding(again, "FZ-W02")
        assert (kept["decision"], kept["reason"], kept["decided_by"]) == ("dismissed", "引用2018年以前的机构名称，属历史表述", "张三")
        status, headers, data = served.call("GET", f"/api/reports/{again['id']}/letter.docx")
        assert status == 200 and headers["content-type"].startswith("application/vnd.openxmlformats")
        letter = _letter_text(data)
        assert "甘眉工业园区南区管理委员会" in letter and struck["message"] not in letter
        assert _finding(again, "FZ-S03")["message"] in letter          # an undecided finding is in it
        # the same report again, with one unrelated fix (法制素养 -> 法治素养, another paragraph)
        text = (inbox / SEED_004).read_text(encoding="utf-8")
        assert text.count("法制素养") == 1
        status, job = served.upload([(SEED_004, text.replace("法制素养", "法治素养").encode("utf-8"))])
        assert status == 202, job
        assert served.wait_job(job["job"])["versions"] == 1
        newest = _report(served, SEED_004)
        assert newest["id"] != again["id"] and newest["version"] == 2
        resubmitted = served.get(f"/api/reports/{newest['id']}")
        assert not any(f["excerpt"] == "法制素养" for f in resubmitted["findings"])
        assert _finding(resubmitted, "FZ-W02")["decision"] == "dismissed"
        changes = served.get(f"/api/reports/{newest['id']}/changes")
        assert [f["excerpt"] for f in changes["fixed"]] == ["法制素养"] and changes["new"] == []
        assert struck["message"] not in _letter_text(served.call("GET", f"/api/reports/{newest['id']}/letter.docx")[2])
        # a fix inside the struck finding's own paragraph changes its fingerprint: the decision follows it
        edited = text.replace("法制素养", "法治素养").replace("法制政府", "法治政府", 1)
        status, job = served.upload([(SEED_004, edited.encode("utf-8"))])
        assert served.wait_job(job["job"])["versions"] == 1
        third = served.get(f"/api/reports/{_report(served, SEED_004)['id']}")
        moved = _finding(third, "FZ-W02")
        assert moved["fingerprint"] != struck["fingerprint"] and moved["decision"] == "dismissed"
    finally:
        served.stop()


def test_kill_9_never_corrupts_the_store_and_keeps_what_was_acknowledged(tmp_path):
    db = tmp_path / "desk.db"
    served = Desk(_inbox(tmp_path), "--db", db)
    report = served.get(f"/api/reports/{_report(served, SEED_004)['id']}")
    acknowledged, stop = [], threading.Event()

    def reviewer(offset):
        n = offset
        while not stop.is_set():
            finding = report["findings"][n % len(report["findings"])]
            try:
                status, done = served.decide(report["id"], finding["fingerprint"], "dismissed", f"理由{n}", timeout=5)
            except Exception:                       # the server is gone (refused, reset, a cut-off answer)
                return
            if status == 200:
                acknowledged.append((finding["fingerprint"], done["reason"]))
            n += 2
    threads = [threading.Thread(target=reviewer, args=(k,)) for k in range(2)]
    for thread in threads:
        thread.start()
    while len(acknowledged) < 20:
        threading.Event().wait(0.02)
    served.kill()                                   # SIGKILL in the middle of the writes
    stop.set()
    for thread in threads:
        thread.join()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = dict(conn.execute("SELECT fingerprint, reason FROM decisions"))
        logged = set(conn.execute("SELECT fingerprint, reason FROM decision_log"))
    assert set(acknowledged) <= logged
    latest = {}
    for fingerprint, reason in acknowledged:
        latest[fingerprint] = reason
    assert all(fingerprint in stored for fingerprint in latest)
    served = Desk("--db", db)
    try:
        assert len(served.get("/api/reports")) == 5
    finally:
        served.stop()
