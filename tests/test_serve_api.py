"""``fazhi-lint serve`` through its JSON API, as a script or the pages use it (issue 23's bar): the
seeds listed with the check's scores, 127.0.0.1 only, the CSRF token, decisions kept across a restart
and out of the letter, a resubmission, uploads refused with a clear error, the suppressions export,
the letters of reviewed units, a unit's history, two reviewers at once, kill -9, backup and export."""
import io
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import zipfile

import pytest

from .conftest import ROOT, SEEDS, seed_path
from .serve_helpers import Desk, seed_scores

SEED_004 = "004_b0c9e18cd6c6e394.txt"


def _inbox(folder):
    inbox = folder / "inbox"
    shutil.copytree(SEEDS, inbox)
    return inbox


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("desk")
    served = Desk(_inbox(folder), "--db", folder / "desk.db", "--max-size", "1", "--max-upload", "3")
    served.folder = folder
    yield served
    served.stop()


def _report(desk, file_name):
    return next(r for r in desk.get("/api/reports") if r["file_name"] == file_name)


def _finding(report, rule):
    return next(f for f in report["findings"] if f["rule"] == rule)


def _letter_text(data: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_the_reports_are_the_seeds_with_the_scores_of_the_json_check(desk):
    listed = desk.get("/api/reports")
    assert {r["file_name"]: r["score"] for r in listed} == seed_scores()
    assert len(listed) == 5 and len({r["id"] for r in listed}) == 5
    assert {r["unit"] for r in listed} >= {"市中区人民政府办公室", "甘眉工业园区南区管理委员会"}
    assert all(set(r) >= {"id", "unit", "year", "score", "file_name"} for r in listed)
    one = desk.get(f"/api/reports/{listed[0]['id']}")
    assert one["meta"]["unit"] == listed[0]["unit"] and one["findings"]
    assert all(set(f) >= {"fingerprint", "rule", "severity", "message", "excerpt", "decision"} for f in one["findings"])


def test_it_answers_on_127_0_0_1_only(desk):
    host, port = desk.url.split("//")[1].rsplit(":", 1)
    assert host == "127.0.0.1"
    with pytest.raises(OSError):                  # another address of this machine's loopback: nobody listens
        socket.create_connection(("127.0.0.2", int(port)), timeout=2).close()
    status, data = desk.json("GET", "/api/reports", headers={"Host": "rebound.example.com"})
    assert status == 400 and "主机" in data["error"]


def test_a_change_without_the_csrf_token_is_refused(desk):
    report = desk.get(f"/api/reports/{_report(desk, SEED_004)['id']}")
    finding = _finding(report, "FZ-W03")
    path = f"/api/findings/{finding['fingerprint']}/decision"
    body = {"report": report["id"], "decision": "dismissed", "reason": "历史表述"}
    assert desk.json("POST", path, body, csrf=False)[0] == 403
    assert desk.json("POST", path, body, headers={"X-CSRF-Token": "guessed"})[0] == 403
    foreign = desk.json("POST", path, body, headers={"Origin": "http://elsewhere.example"})
    assert foreign[0] == 403 and "Origin" in foreign[1]["error"]
    assert _finding(desk.get(f"/api/reports/{report['id']}"), "FZ-W03")["decision"] is None
    assert desk.json("POST", path, {**body, "reason": ""})[0] == 400          # a reason is required
    status, done = desk.json("POST", path, body)
    assert status == 200 and done["decision"] == "dismissed"
    assert desk.json("POST", path, {**body, "decision": None})[0] == 200      # withdrawn again


def test_host_0_0_0_0_without_a_token_refuses_to_start(tmp_path):
    done = subprocess.run([sys.executable, "-m", "checker", "serve", "--host", "0.0.0.0", "--port", "0",
                           "--db", str(tmp_path / "d.db")], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2 and "--token" in done.stderr and "审查台：" not in done.stdout
    assert not (tmp_path / "d.db").exists()


def test_with_a_token_every_request_carries_it(tmp_path):
    served = Desk("--db", tmp_path / "d.db", "--token", "s3cret-token", wait=False)
    try:
        while "Ctrl-C" not in served.lines[-1]:
            served.lines.append(served.process.stdout.readline())
        assert f"{served.url}/?token=s3cret-token" in "".join(served.lines)
        assert served.call("GET", "/api/reports")[0] == 401
        assert served.call("GET", "/", )[0] == 401
        assert served.call("GET", "/api/reports", headers={"Authorization": "Bearer s3cret-token"})[0] == 200
        opener = urllib_no_redirect()
        answer = opener.open(served.url + "/?token=s3cret-token")
        assert answer.status == 303 and "fazhi_desk_token=s3cret-token" in answer.headers["Set-Cookie"]
        assert "HttpOnly" in answer.headers["Set-Cookie"]
        assert served.call("GET", "/api/reports", headers={"Cookie": "fazhi_desk_token=s3cret-token"})[0] == 200
    finally:
        served.stop()


def urllib_no_redirect():
    import urllib.request

    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    class Answer(urllib.request.HTTPErrorProcessor):
        def http_response(self, request, response):
            return response
    return urllib.request.build_opener(Keep, Answer)


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


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("报告.txt", b"0" * (4 * 1024 * 1024))          # 4 MB of one byte: a ratio over 1000:1
    return buffer.getvalue()


def _lying_zip() -> bytes:
    """A small zip whose central directory says its member inflates to 4 GB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as package:
        package.writestr("报告.txt", "2023年法治政府建设年度报告".encode("utf-8"))
    data = bytearray(buffer.getvalue())
    at = data.rfind(b"PK\x01\x02")
    data[at + 24: at + 28] = (0xFFFFFFF0).to_bytes(4, "little")
    return bytes(data)


def test_a_zip_bomb_and_an_oversized_file_get_a_clear_error_and_the_desk_keeps_serving(desk):
    bomb = _bomb()
    assert len(bomb) < 64 * 1024
    status, answer = desk.upload([("inbox.zip", bomb)])
    assert status == 422 and "压缩炸弹" in answer["error"] and answer["refused"][0]["name"] == "inbox.zip"
    status, answer = desk.upload([("inbox.zip", _lying_zip())])
    assert status == 422 and "解压后过大" in answer["error"]
    status, answer = desk.upload([("big.txt", "法治".encode("utf-8") * 300_000)])        # 1.8 MB, over --max-size 1
    assert status == 422 and "文件过大" in answer["error"]
    status, answer = desk.upload([("huge.txt", b"x" * (4 * 1024 * 1024))])               # over --max-upload 3
    assert status == 413 and "上传内容过大" in answer["error"]
    status, answer = desk.upload([("photo.jpg", b"\xff\xd8\xff")])
    assert status == 422 and "不支持的格式" in answer["error"]
    assert len(desk.get("/api/reports")) == 5                    # nothing was added, and the desk still answers
