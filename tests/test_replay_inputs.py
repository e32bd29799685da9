"""Replay of issue 22, part 1: what goes in. Every case of the issue that concerns reading (silent
passes, unbounded time and memory, dates, DTDs, altChunks, LibreOffice) run as the real command in
a subprocess with a time limit, its peak memory checked against the README's bound where the issue
measured one, and no process of the run (a worker, LibreOffice) left behind (tests/replay.py).
Part 2 (outputs, --fix, compare, diff, feedback): tests/test_replay_outputs.py. The full-size
variants (a 24 MB .docx, a 53 MB page, 4,998 zip members, a 604 KB compare) are marked ``heavy``.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile

import pytest

from .cli_helpers import bad_text, good_text, write
from .replay import as_other_user, fazhi, memory_bound_kb, office_processes, open_to_all
from .test_faults import _kind_plugin

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
needs_office = pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                                  reason="LibreOffice (soffice) is not installed")


def _rules(ran, index=0):
    return [f["rule"] for f in ran.json()["files"][index]["findings"]]


# ---------------------------------------------------------------------- silent passes
def test_a_plugin_calling_os_exit_under_j1_is_fz_x05_and_o_is_written(tmp_path):
    folder, rule = _kind_plugin(tmp_path, "exit_kind", "os._exit(0)")
    write(tmp_path / "in" / "a.txt", good_text() + "\n注入故障\n")
    out = tmp_path / "out.json"
    ran = fazhi("--plugin", "exit_kind", "--rules", rule, "-j", "1", "--format", "json", "-o", out, tmp_path / "in",
                plugin_folder=folder)
    assert ran.returncode == 3
    assert [f["rule"] for f in json.loads(out.read_text("utf-8"))["files"][0]["findings"]] == ["FZ-X05"]


def test_an_unreadable_sub_folder_is_listed_and_the_exit_is_2(tmp_path):
    user = as_other_user()
    inbox = tmp_path / "inbox"
    write(inbox / "a.txt", good_text())
    write(inbox / "locked" / "b.txt", bad_text())
    open_to_all(inbox / "locked")
    os.chmod(inbox / "locked", 0o000 if user is None else 0o700)     # nobody cannot list a root 0700 folder
    try:
        ran = fazhi("--format", "json", inbox, user=user)
    finally:
        os.chmod(inbox / "locked", 0o755)
    assert ran.returncode == 2, ran.err
    files = {f["path"]: f for f in ran.json()["files"]}
    locked = files[str(inbox / "locked")]
    assert "无法读取目录" in locked["error"] and "locked" in ran.err
    assert files[str(inbox / "a.txt")]["score"] is not None           # the rest is checked


def test_zip_members_with_the_same_name_are_refused_with_a_reason(tmp_path):
    import warnings

    archive = tmp_path / "dup.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(archive, "w") as z:
        warnings.simplefilter("ignore")
        z.writestr("r.txt", bad_text())
        z.writestr("r.txt", good_text())
        z.writestr("other.txt", bad_text())
    ran = fazhi("--format", "json", archive)
    assert ran.returncode == 2
    files = {f["path"]: f for f in ran.json()["files"]}
    assert "同名文件" in files[f"{archive}!r.txt"]["error"]
    assert "FZ-W01" in [f["rule"] for f in files[f"{archive}!other.txt"]["findings"]]


# ---------------------------------------------------------------------- time and memory of containers
def _zip_of_reports(path, count):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(count):
            z.writestr(f"r{i:04d}.txt", good_text() + f"\n{i}\n")


def test_each_zip_member_is_read_without_reading_the_whole_zip_again(tmp_path):
    from checker.inputs import collect, load_bytes

    _zip_of_reports(tmp_path / "many.zip", 1500)
    started = time.monotonic()
    found = collect([str(tmp_path / "many.zip")])
    assert len(found.inputs) == 1500
    assert all(load_bytes(i).startswith(good_text()[:20].encode()) for i in found.inputs)
    assert time.monotonic() - started < 5          # it was 26 ms a member (1500: 39 s), the zip parsed each time


@pytest.mark.heavy
def test_a_zip_of_4998_reports(tmp_path):
    _zip_of_reports(tmp_path / "many.zip", 4998)
    ran = fazhi("--format", "json", "--select", "FZ-W01", tmp_path / "many.zip", timeout=600)
    assert ran.returncode == 0 and len(ran.json()["files"]) == 4998


def _page(path, levels: int, text: str, date: str = "", meta: str = "") -> None:
    lines = [line for line in text.split("\n") if line.strip()]
    body = "".join(f'<div class="content" id="c{i}"><p>{lines[i % len(lines)]}</p>' for i in range(levels))
    body += "".join(f"<p>{line}</p>" for line in lines) + "</div>" * levels
    info = f"<div class='info'>发布时间：{date}</div>" if date else ""
    path.write_text(f"<html><head><meta charset='utf-8'>{meta}<title>报告</title></head><body>{info}{body}</body></html>",
                    encoding="utf-8")


def test_250_nested_content_divs_are_read_in_linear_time(tmp_path):
    from checker.readers.html import HtmlReader

    page = tmp_path / "nested.html"
    _page(page, 250, good_text() * 120)                 # ~500 KB inside 250 nested content containers
    started = time.monotonic()
    HtmlReader().read(page.read_bytes(), "nested.html")
    assert time.monotonic() - started < 3               # quadratic in the nesting, it took 25 s (a page: 54 s)
    ran = fazhi("--format", "json", "--select", "FZ-W01", page, timeout=120)
    assert ran.returncode == 0


def _docx(path, body: bytes, parts=None):
    """A minimal .docx: ``body`` is the XML inside <w:body>; ``parts``: more {name: bytes}."""
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    types = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             b'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
             b'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
             b'main+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS} xmlns:r="http://'
                   'schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>'.encode() + body
                   + b"</w:body></w:document>")
        for name, data in (parts or {}).items():
            z.writestr(name, data)


def _paragraphs(text: str) -> bytes:
    return "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.split("\n")).encode()


def test_a_docx_of_one_paragraph_with_200000_runs_stays_within_the_memory_bound(tmp_path):
    import random

    rng = random.Random(5)
    runs = "".join(f'<w:r><w:rPr><w:b/><w:sz w:val="{rng.randrange(10, 99)}"/></w:rPr><w:t>{c}</w:t></w:r>'
                   for c in (rng.choice("法治政府建设年度报告依法行政") * 3 for _ in range(200_000)))
    path = tmp_path / "runs.docx"
    _docx(path, _paragraphs(good_text()) + f"<w:p>{runs}</w:p>".encode())
    ran = fazhi("--format", "json", "-j", "1", "--select", "FZ-W,FZ-S", path, timeout=240)
    assert ran.returncode in (0, 1), ran.err
    assert ran.peak_kb < memory_bound_kb(os.path.getsize(path)), (ran.peak_kb, os.path.getsize(path))


@pytest.mark.heavy
def test_a_24_mb_docx_stays_within_the_memory_bound(tmp_path):
    import random

    rng = random.Random(7)
    lines = [line for line in good_text().split("\n") if line]
    body = []
    for i in range(300_000):
        chars = list(lines[i % len(lines)])
        rng.shuffle(chars)
        body.append(f"<w:p><w:r><w:t>{''.join(chars)}</w:t></w:r></w:p>")
    path = tmp_path / "big.docx"
    _docx(path, "".join(body).encode())
    ran = fazhi("--format", "json", "-j", "1", path, timeout=900)
    assert ran.returncode in (0, 1, 3)
    assert ran.peak_kb < memory_bound_kb(os.path.getsize(path))


@pytest.mark.heavy
def test_a_53_mb_page_stays_within_the_memory_bound(tmp_path):
    page = tmp_path / "big.html"
    _page(page, 3, good_text() * 19000)              # 53 MB
    ran = fazhi("--format", "json", "-j", "1", page, timeout=900)
    assert ran.returncode in (0, 1, 3)
    assert ran.peak_kb < memory_bound_kb(os.path.getsize(page))


def test_the_dtd_check_covers_the_whole_part(tmp_path):
    comment = b"<!--" + b"x" * 70_000 + b"-->"
    body = _paragraphs(bad_text())
    path = tmp_path / "late-dtd.docx"
    _docx(path, body)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = parts["word/document.xml"]
    head, rest = xml.split(b"?>", 1)
    parts["word/document.xml"] = head + b"?>" + comment + '<!DOCTYPE w:document [<!ENTITY e "法制政府">]>'.encode() + rest
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    ran = fazhi("--format", "json", path)
    assert ran.returncode == 2 and "DTD" in ran.json()["files"][0]["error"]


def test_altchunk_text_is_checked_or_the_file_is_unread_with_the_reason(tmp_path):
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/relationships"><Relationship Id="rA" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/aFChunk" Target="chunk.%s"/></Relationships>')
    body = _paragraphs(good_text()) + b'<w:altChunk r:id="rA"/>'
    _docx(tmp_path / "html.docx", body, {"word/_rels/document.xml.rels": rels % b"htm",
                                         "word/chunk.htm": "<html><body><p>扎实推进法制政府建设。</p></body></html>".encode()})
    _docx(tmp_path / "rtf.docx", body, {"word/_rels/document.xml.rels": rels % b"rtf",
                                        "word/chunk.rtf": b"{\\rtf1 \\u27861?\\u21046?}"})
    ran = fazhi("--format", "json", "--select", "FZ-W01", tmp_path / "html.docx", tmp_path / "rtf.docx")
    html, rtf = ran.json()["files"]
    assert ran.returncode == 2
    assert [f["rule"] for f in html["findings"]] == ["FZ-W01"]          # the chunk's 法制政府
    assert "altChunk" in rtf["error"]


def test_an_impossible_page_date_is_no_date_not_an_internal_error(tmp_path):
    _page(tmp_path / "a.html", 1, good_text(), date="2024-02-30")
    _page(tmp_path / "b.html", 1, good_text(), meta='<meta name="PubDate" content="2023-02-29">')
    ran = fazhi("--format", "json", tmp_path / "a.html", tmp_path / "b.html")
    assert ran.returncode in (0, 1), ran.err
    for entry in ran.json()["files"]:
        rules = [f["rule"] for f in entry["findings"]]
        assert "FZ-X01" not in rules and entry["meta"]["published"] != "2024-02-30", rules
        outcome = {o["rule"]: o["status"] for o in entry.get("outcomes", [])}
        assert outcome.get("FZ-T01") != "error"


def test_config_values_of_the_wrong_type_name_the_key(tmp_path):
    for value in ("[town]", "{a: b}", "3"):
        write(tmp_path / value.strip("[]{}: ") / ".fazhi-lint.yaml", f"subject: {value}\n")
        report = write(tmp_path / value.strip("[]{}: ") / "r.txt", good_text())
        ran = fazhi(report)
        assert ran.returncode == 2 and "subject" in ran.err, value


def _dense_pdf(path, pages: int, chars_per_page: int = 200_000) -> None:
    import zlib

    content = b"BT /F1 2 Tf 10 800 Td " + b"(" + b"x" * 200 + b") Tj 0 -2 Td " * 1 + \
        b"".join(b"(" + b"x" * 200 + b") Tj 0 -2 Td " for _ in range(chars_per_page // 200)) + b" ET"
    stream = zlib.compress(content, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{' '.join(f'{4 + i} 0 R' for i in range(pages))}] /Count {pages} >>".encode(),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    objects += [f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                f"/Contents {4 + pages} 0 R >>".encode() for _ in range(pages)]
    objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(out)


def test_a_small_pdf_drawing_millions_of_glyphs_is_refused_quickly(tmp_path):
    path = tmp_path / "dense.pdf"
    _dense_pdf(path, 40)                          # 8,000,000 glyphs in a 5 KB file
    ran = fazhi("--format", f"html:{tmp_path / 'review.html'}", "--format", "json", path, timeout=120)
    assert ran.returncode == 2 and "字符" in ran.json()["files"][0]["error"]
    assert ran.seconds < 45                       # it ran into the 60 s budget, then the html render read it again


# ---------------------------------------------------------------------- LibreOffice
def _odt_bomb(path, megabytes: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        info = zipfile.ZipInfo("content.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as handle:
            handle.write(b'<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:'
                         b'opendocument:xmlns:office:1.0"><office:body><office:text>')
            for _ in range(megabytes):
                handle.write(b" " * (1 << 20))
            handle.write(b"</office:text></office:body></office:document-content>")


@needs_office
def test_an_odt_bomb_never_reaches_libreoffice(tmp_path):
    _odt_bomb(tmp_path / "bomb.odt", 300)
    ran = fazhi("--format", "json", tmp_path / "bomb.odt", timeout=60, TMPDIR=str(tmp_path))
    assert ran.returncode == 2 and "压缩炸弹" in ran.json()["files"][0]["error"]
    assert ran.peak_kb < memory_bound_kb(os.path.getsize(tmp_path / "bomb.odt")) + 64 * 1024


def _slow_rtf(path) -> None:
    """An RTF table LibreOffice needs well over a minute for (1.5 MB)."""
    row = "\\trowd" + "".join(f"\\cellx{100 * (i + 1)}" for i in range(60)) + "\\intbl \\u27861?\\cell " * 60 + "\\row\n"
    path.write_text("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 SimSun;}}\\f0 " + row * 800 + "}", encoding="ascii")


@needs_office
def test_a_libreoffice_conversion_that_overruns_is_killed_whole_and_done_once(tmp_path):
    _slow_rtf(tmp_path / "slow.rtf")
    started = time.monotonic()
    ran = fazhi("--format", "html:" + str(tmp_path / "review.html"), "--format", "json", tmp_path / "slow.rtf",
                timeout=120, TMPDIR=str(tmp_path), FAZHI_LINT_BUILD_TIMEOUT="6")
    assert ran.returncode == 2 and "超时" in ran.json()["files"][0]["error"]
    assert time.monotonic() - started < 40        # one conversion of at most 6 s, not one more for the html page
    time.sleep(0.5)
    assert office_processes(str(tmp_path)) == []  # no soffice.bin left running at 100 % CPU


@needs_office
def test_each_office_file_is_converted_once_per_run(tmp_path):
    """--previous and --copies read a report twice, the review page shows its text: one conversion."""
    import shutil as sh

    real = sh.which("soffice") or sh.which("libreoffice")
    calls = tmp_path / "calls.log"
    wrapper = write(tmp_path / "bin" / "soffice", f'#!/bin/sh\necho "$@" >> {calls}\nexec {real} "$@"\n')
    os.chmod(wrapper, 0o755)
    from .format_fixtures import soffice_convert, write_docx

    for name, text in (("a", good_text()), ("b", bad_text())):
        write_docx(text, str(tmp_path / f"{name}.docx"))
    soffice_convert([str(tmp_path / "a.docx"), str(tmp_path / "b.docx")], "doc", str(tmp_path))
    for year, names in (("2023", ["a"]), ("2024", ["a", "b"])):
        os.makedirs(tmp_path / year)
        for name in names:
            sh.copy(tmp_path / f"{name}.doc", tmp_path / year / f"{name}.doc")
    ran = fazhi(tmp_path / "2024", "--previous", tmp_path / "2023", "--copies", "--format", "json",
                "--format", f"html:{tmp_path / 'review.html'}", timeout=240, TMPDIR=str(tmp_path),
                PATH=f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    assert ran.returncode in (0, 1), ran.err
    assert [f["error"] for f in ran.json()["files"]] == [None, None]
    assert len(calls.read_text().splitlines()) == 2        # a.doc (the same bytes both years) and b.doc
    assert not [p for p in os.listdir(tmp_path) if p.startswith("fazhi-lint-run-")]   # the run folder is gone


@needs_office
def test_a_worker_killed_during_a_conversion_takes_libreoffice_with_it(tmp_path):
    """The batch kills a worker whose report overran its budget (as kill -9 or the OOM killer would):
    the LibreOffice it started must not go on converting at 100 % CPU after the run has ended."""
    _slow_rtf(tmp_path / "slow.rtf")
    proc = subprocess.Popen([sys.executable, "-m", "checker", str(tmp_path / "slow.rtf")], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "TMPDIR": str(tmp_path)})
    deadline = time.monotonic() + 60
    while not office_processes(str(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.1)
    found = office_processes(str(tmp_path))
    assert found, "LibreOffice never started"
    worker = found[0]
    while worker != proc.pid and _parent(worker) != proc.pid:      # the worker: the run's child that started it
        worker = _parent(worker)
    os.kill(worker, signal.SIGKILL)
    assert proc.wait(timeout=60) == 3                               # that report: FZ-X05
    deadline = time.monotonic() + 10
    while office_processes(str(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = office_processes(str(tmp_path))
    for pid in left:                                                # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert left == []


def _parent(pid: int) -> int:
    with open(f"/proc/{pid}/stat", "rb") as handle:
        return int(handle.read().rsplit(b")", 1)[1].split()[1])
