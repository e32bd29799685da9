"""``fazhi-lint serve`` through its JSON API, as a script or the pages use it (issue 23's bar): the
seeds listed with the check's scores, 127.0.0.1 only, the CSRF token, the access token, uploads
refused with a clear error, the suppressions export, the letters of reviewed units (and
``feedback --db``), a unit's history, two reviewers at once, backup and export. A restart, a
resubmission and kill -9: test_serve_durability.py."""
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
from .serve_helpers import Desk, finding_named as _finding, letter_text as _letter_text, \
    report_named as _report, seed_scores

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


def test_a_zip_of_reports_is_checked_member_by_member(desk):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, unit in (("a/西城区.txt", "西城区司法局"), ("b/北城区.txt", "北城区司法局")):
            text = (desk.folder / "inbox" / "002_3ec005597ce203f5.txt").read_text(encoding="utf-8")
            package.writestr(name, text.replace("河东区政府办公室", unit))
        package.writestr("照片.jpg", b"\xff\xd8\xff")
    status, job = desk.upload([("两份报告.zip", buffer.getvalue())])
    assert status == 202 and job["accepted"] == ["两份报告.zip"]
    done = desk.wait_job(job["job"])
    assert done["added"] == 2 and [r["name"] for r in done["refused"]] == ["照片.jpg"]
    names = {r["file_name"]: r["unit"] for r in desk.get("/api/reports")}
    assert names["西城区.txt"] == "西城区司法局" and names["北城区.txt"] == "北城区司法局"


def test_struck_findings_export_as_the_gates_suppressions_file(desk, tmp_path):
    report = desk.get(f"/api/reports/{_report(desk, '000_aa44ca5054db8c02.txt')['id']}")
    struck = next(f for f in report["findings"] if f["rule"] == "FZ-W07")
    assert desk.decide(report["id"], struck["fingerprint"], "dismissed", "重大执法决定的法制审核，用语无误",
                       reviewer="李四")[0] == 200
    status, headers, data = desk.call("GET", f"/api/reports/{report['id']}/suppressions.yaml?expires=2099-12-31")
    assert status == 200 and "attachment" in headers["content-disposition"]
    unit = tmp_path / "unit"
    unit.mkdir()
    shutil.copy(seed_path("000_aa44ca5054db8c02.txt"), unit / "report.txt")
    (unit / "fazhi-lint-suppressions.yaml").write_bytes(data)
    done = subprocess.run([sys.executable, "-m", "checker", "--format", "json", "--fail-on", "never", str(unit / "report.txt")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    checked = json.loads(done.stdout)
    rules = [f["rule"] for f in checked["files"][0]["findings"]]
    assert "FZ-W07" not in rules and "FZ-X04" not in rules and "FZ-X03" not in rules
    assert len(rules) == len(report["findings"]) - 1         # the unit's own check now agrees with the office
    assert "李四" in data.decode("utf-8") and "2099-12-31" in data.decode("utf-8")


def test_the_letters_of_reviewed_units_come_as_one_zip_with_an_index(desk):
    rows = desk.get("/api/reports")
    reviewed = [r for r in rows if r["file_name"] in ("001_463db61ea62b21f3.txt", "003_bf1c1cd002b1e66a.txt")]
    for row in reviewed:
        assert desk.json("POST", f"/api/reports/{row['id']}/status", {"status": "reviewed"})[0] == 200
    assert desk.json("POST", f"/api/reports/{rows[0]['id']}/remarks", {"text": "请于3月底前重新公开"})[0] == 200
    assert desk.json("POST", f"/api/reports/{rows[0]['id']}/status", {"status": "maybe"})[0] == 400
    status, headers, data = desk.call("GET", "/api/letters.zip")
    assert status == 200 and headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = sorted(package.namelist())
        assert len(names) == 3 and names[0] == "000_目录.docx"
        index = _letter_text(package.read(names[0]))
        for row in reviewed:
            assert row["unit"] in index
            letter = next(n for n in names[1:] if row["unit"] in n)
            assert row["unit"] in _letter_text(package.read(letter))
    edited = next(f for f in desk.get(f"/api/reports/{rows[0]['id']}")["findings"] if f["severity"] != "info")
    wording = "请在第一部分补充行政复议和行政诉讼的办理情况"
    assert desk.decide(rows[0]["id"], edited["fingerprint"], "confirmed", wording=wording)[1]["wording"] == wording
    first = _letter_text(desk.call("GET", f"/api/reports/{rows[0]['id']}/letter.docx")[2])
    assert "审查意见" in first and "请于3月底前重新公开" in first
    assert wording in first and edited["message"] not in first       # the reviewer's wording, not the tool's


def test_feedback_db_writes_the_same_letters_from_the_command_line(desk, tmp_path):
    reviewed = [r for r in desk.get("/api/reports") if r["status"] == "reviewed"]
    assert reviewed
    done = subprocess.run([sys.executable, "-m", "checker", "feedback", "--db", str(desk.folder / "desk.db"),
                           "--output-dir", str(tmp_path / "letters")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    written = sorted(os.listdir(tmp_path / "letters"))
    assert len(written) == len(reviewed)
    for row in reviewed:
        name = next(n for n in written if row["unit"] in n)
        served = _letter_text(desk.call("GET", f"/api/reports/{row['id']}/letter.docx")[2])
        assert _letter_text((tmp_path / "letters" / name).read_bytes()) == served
    nothing = subprocess.run([sys.executable, "-m", "checker", "feedback", "--output-dir", str(tmp_path / "x")],
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert nothing.returncode == 2 and "--db" in nothing.stderr


def test_a_units_history_is_paired_from_the_store_by_name_and_year(desk):
    text = (desk.folder / "inbox" / "000_aa44ca5054db8c02.txt").read_text(encoding="utf-8")
    next_year = text.replace("2024", "2025").replace("2023", "2024")
    status, job = desk.upload([("市中区2024年报告.txt", next_year.encode("utf-8"))])
    assert status == 202
    assert desk.wait_job(job["job"])["added"] == 1
    row = next(r for r in desk.get("/api/reports") if r["unit"] == "市中区人民政府办公室" and r["year"] == 2024)
    history = desk.get(f"/api/units/{row['unit_id']}")
    assert [y["year"] for y in history["years"]] == [2024, 2023]
    comparison = history["years"][0]["comparison"]
    assert comparison and comparison["plan"] and all(set(v) >= {"item", "status", "sure"} for v in comparison["plan"])
    assert "FZ-Y02" in {f["rule"] for f in comparison["findings"]}         # this year's parts copied from last year's
    assert history["years"][1]["comparison"] is None
    status, _, page = desk.call("GET", f"/units/{row['unit_id']}")
    assert status == 200 and "2024 年度对照 2023 年度" in page.decode("utf-8")


def test_two_reviewers_deciding_at_once_never_lose_a_decision(desk):
    report = desk.get(f"/api/reports/{_report(desk, '002_3ec005597ce203f5.txt')['id']}")
    prints = sorted({f["fingerprint"] for f in report["findings"]})
    answers, barrier = [], threading.Barrier(8)

    def reviewer(n):
        barrier.wait()
        for k, fingerprint in enumerate(prints):
            if k % 2 == n % 2:                       # each finding decided by four reviewers at once
                answers.append(desk.decide(report["id"], fingerprint, "confirmed" if n < 4 else "dismissed",
                                           f"审阅人{n}的理由", reviewer=f"审阅人{n}")[0])
    threads = [threading.Thread(target=reviewer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers and set(answers) == {200} and len(answers) == 4 * len(prints)
    after = desk.get(f"/api/reports/{report['id']}")
    assert all(f["decision"] in ("confirmed", "dismissed") for f in after["findings"])
    with sqlite3.connect(desk.folder / "desk.db") as conn:
        filing, expected = conn.execute("SELECT filing_id, reviewed_score FROM reports WHERE id = ?", (report["id"],)).fetchone()
        logged = conn.execute("SELECT COUNT(*) FROM decision_log WHERE filing_id = ?", (filing,)).fetchone()[0]
    assert logged == len(answers)                   # every word said is kept, none overwritten unseen
    dismissed = {f["fingerprint"] for f in after["findings"] if f["decision"] == "dismissed"}
    listed = next(r for r in desk.get("/api/reports") if r["id"] == report["id"])
    assert listed["reviewed_score"] == expected
    assert (listed["reviewed_score"] == report["score"]) == (not dismissed)


def test_db_backup_while_serving_and_export(desk, tmp_path):
    backup = tmp_path / "备份.db"
    done = subprocess.run([sys.executable, "-m", "checker", "db", "backup", str(backup), "--db", str(desk.folder / "desk.db")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again = subprocess.run([sys.executable, "-m", "checker", "db", "backup", str(backup), "--db", str(desk.folder / "desk.db")],
                           capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert again.returncode == 2 and "已存在" in again.stderr
    served = Desk("--db", backup)
    try:
        assert sorted(r["id"] for r in served.get("/api/reports")) == sorted(r["id"] for r in desk.get("/api/reports"))
    finally:
        served.stop()
    out = tmp_path / "export.json"
    done = subprocess.run([sys.executable, "-m", "checker", "db", "export", "--db", str(backup), "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["schema_version"] == 2 and len(exported["tables"]["units"]) >= 5
    first_run = exported["tables"]["runs"][0]
    assert json.loads(first_run["packs"]) == [{"name": "national", "version": "0.1.0"}] and first_run["year"] == 2023
    assert first_run["tool_version"] == "0.1.0" and first_run["inbox"] == "inbox" and first_run["reports"] == 5
    assert all("data" not in row for row in exported["tables"]["files"])
    assert not any(row["key"] == "csrf_secret" for row in exported["tables"]["desk_meta"])
    missing = subprocess.run([sys.executable, "-m", "checker", "db", "export", "--db", str(tmp_path / "none.db")],
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert missing.returncode == 2 and "不存在" in missing.stderr and not (tmp_path / "none.db").exists()
    assert os.path.getsize(backup) > 0


INJECTED = ("<img src=x onerror=alert(1)>东城区司法局2023年法治政府建设年度报告\n一、主要举措和成效\n"
            "<script>alert(2)</script>全年开展法治宣传12场，法制宣传到位。\n二、存在的不足和原因\n"
            "一是宣传形式单一。主要原因是投入不足。\n三、2024年工作安排\n一是创新宣传形式。\n")


def test_every_report_string_is_escaped_and_no_server_folder_is_shown(desk):
    status, job = desk.upload([("东城区<b>.txt", INJECTED.encode("utf-8")), ("损坏的报告.docx", b"PK\x03\x04 not a zip")])
    assert status == 202
    done = desk.wait_job(job["job"])
    assert done["added"] == 2 and done["state"] == "done"
    rows = desk.get("/api/reports")
    injected = next(r for r in rows if "<" in r["file_name"])
    broken = next(r for r in rows if r["file_name"] == "损坏的报告.docx")
    assert broken["error"] and broken["score"] is None and broken["rank"] is None
    assert desk.call("GET", f"/api/reports/{broken['id']}/letter.docx")[0] == 404
    pages = {path: desk.call("GET", path)[2].decode("utf-8") for path in
             ("/", f"/reports/{injected['id']}", f"/reports/{broken['id']}", f"/units/{injected['unit_id']}",
              "/api/reports", f"/api/reports/{injected['id']}", f"/api/reports/{broken['id']}", "/api/progress",
              f"/api/jobs/{job['job']}")}
    for path in ("/", f"/reports/{injected['id']}"):
        assert "<script>alert(2)" not in pages[path] and "<img src=x" not in pages[path]
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in pages[f"/reports/{injected['id']}"]
    assert "东城区&lt;b&gt;.txt" in pages["/"] and "无法检查" in pages["/"]
    for path, text in pages.items():
        assert str(desk.folder) not in text and "/tmp/" not in text and "fazhi-lint-upload-" not in text, path
    status, headers, _ = desk.call("GET", "/")
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and headers["x-frame-options"] == "DENY"
