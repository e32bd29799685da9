"""Files that are not an annual report: listed as 不是年度报告（原因）, exit 2 for the file, kept out of
scores, rankings and letters; the reasons and thresholds are the pack's policy (not_a_report:)."""
import json
import os
import shutil
import struct
import zlib

import pytest

from checker.document import build_document
from checker.document.kinds import classify, parse_not_a_report
from checker.errors import ConfigError

from .cli_helpers import copy_seeds, run

COVER_LETTER = ("河西县司法局\n关于报送2023年度法治政府建设情况报告的函\n\n县委全面依法治县委员会办公室：\n"
                "    根据《法治政府建设与责任落实督察工作规定》，现将《河西县司法局2023年度法治政府建设情况报告》"
                "随文报送，请审阅。\n\n    附件：河西县司法局2023年度法治政府建设情况报告\n\n河西县司法局\n2024年2月26日\n")
NOTICE = ("关于做好2023年度法治政府建设年度报告工作的通知\n\n各乡镇人民政府，县政府各部门：\n"
          "    为贯彻落实《法治政府建设与责任落实督察工作规定》，现就做好2023年度法治政府建设年度报告工作通知如下：\n"
          "    一、报告内容。年度报告应当包括上一年度推进法治政府建设的主要举措和成效、存在的不足和原因、"
          "党政主要负责人履行推进法治建设第一责任人职责情况、下一年度推进法治政府建设的主要安排等内容。\n"
          "    二、报送时间。请于2024年2月28日前将年度报告报送县委依法治县办。\n    特此通知。\n\n"
          "河西县人民政府办公室\n2024年1月15日\n")
HAS_SOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))


def _png(path, width=600, height=800):
    """A grey 'scanned page' with some texture (no text in it)."""
    rows = b"".join(b"\x00" + bytes((200 + (x * 7 + y * 13) % 40) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    with open(path, "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def header_only_pdf(folder) -> str:
    """A scan as a PDF: each page an image, its only text a print header and a page number."""
    import docx
    from docx.shared import Mm

    image = os.path.join(folder, "scan.png")
    _png(image)
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "河西县司法局文件  打印时间：2024-03-01 09:12"
    section.footer.paragraphs[0].text = "第 1 页"
    for _ in range(2):
        document.add_picture(image, width=Mm(150))
    source = os.path.join(folder, "扫描件.docx")
    document.save(source)
    from .format_fixtures import soffice_convert

    soffice_convert([source], "pdf", folder)
    os.remove(source)
    os.remove(image)
    return os.path.join(folder, "扫描件.pdf")


def test_a_cover_letter_and_a_notice_are_not_reports():
    assert classify(build_document(COVER_LETTER)).startswith("这是报送函（标题“河西县司法局关于报送")
    assert classify(build_document(NOTICE)).startswith("这是通知（标题“关于做好2023年度法治政府建设年度报告工作的通知”）")


def test_real_reports_are_reports():
    """Every seed and every blind-set report is an annual report (none is classified otherwise)."""
    import glob

    from checker.document import load_document

    root = os.path.dirname(os.path.dirname(__file__))
    files = sorted(glob.glob(os.path.join(root, "seeds", "*.txt"))
                   + glob.glob(os.path.join(root, "tests", "data", "blind", "set*", "r*.txt")))
    assert len(files) > 100
    assert [f for f in files if classify(load_document(f))] == []


def test_a_report_under_its_cover_letter_is_a_report():
    with open(os.path.join(os.path.dirname(os.path.dirname(__file__)), "seeds", "004_b0c9e18cd6c6e394.txt"),
              encoding="utf-8") as handle:
        report = handle.read()
    assert classify(build_document(COVER_LETTER + "\n" + report)) is None


def test_the_thresholds_and_types_are_the_packs():
    settings = parse_not_a_report({"types": [{"name": "会议纪要", "title": ["纪要$"]}]})
    doc = build_document("法治政府建设领导小组会议纪要\n2024年2月1日，领导小组召开会议。\n")
    assert classify(doc, settings).startswith("这是会议纪要")
    assert classify(doc, parse_not_a_report({"types": []})) is None
    assert classify(build_document(NOTICE), parse_not_a_report({"report_parts": 1})) is None   # one part suffices
    for bad in ({"min_chars": -1}, {"types": [{"name": "x"}]}, {"types": [{"name": "x", "title": ["("]}]}, {"nope": 1}):
        with pytest.raises(ConfigError):
            parse_not_a_report(bad, "policy.yaml")


def test_a_province_adds_a_type_in_its_pack_and_a_mistake_names_the_file(tmp_path):
    import textwrap

    from checker.document.kinds import not_a_report
    from checker.engine import read_document
    from checker.plugins import build_plugins
    from checker.rules import load_ruleset
    from checker.rules.manifest import read_manifest

    minutes = tmp_path / "纪要.txt"
    minutes.write_text("法治政府建设领导小组会议纪要\n2024年2月1日，县法治政府建设领导小组召开会议，研究部署工作。\n",
                       encoding="utf-8")

    def pack(name, policy):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "pack.yaml").write_text(f"name: {name}\nextends: national\npolicy:\n" + textwrap.indent(policy, "  "),
                                          encoding="utf-8")
        plugins = build_plugins()
        plugins._cache["packs"] = plugins.rule_packs() + [read_manifest(str(folder))]
        return plugins
    national = load_ruleset(build_plugins())
    assert not_a_report(read_document(str(minutes), national)) is None
    local = load_ruleset(pack("local", "not_a_report:\n  types:\n    - {name: 会议纪要, title: ['纪要$']}\n"), "local")
    assert not_a_report(read_document(str(minutes), local)).startswith("这是会议纪要")
    assert not_a_report(read_document(str(minutes), local)) and local.vocabulary.not_a_report.types[0].name == "会议纪要"
    with pytest.raises(ConfigError, match="pack.yaml.*not_a_report"):
        load_ruleset(pack("broken", "not_a_report: {min_chars: many}\n"), "broken")


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed: it makes the scanned PDF")
def test_an_inbox_lists_a_cover_letter_and_a_header_only_scan_and_scores_neither(tmp_path):
    inbox = copy_seeds(tmp_path / "inbox")
    (tmp_path / "inbox" / "报送函.txt").write_text(COVER_LETTER, encoding="utf-8")
    scan = header_only_pdf(str(tmp_path / "inbox"))
    out = run("check", inbox, "--format", "json")
    assert out.exit_code == 2                                             # 2 for these files
    data = json.loads(out.stdout)
    by_name = {os.path.basename(f["path"]): f for f in data["files"]}
    for name in ("报送函.txt", os.path.basename(scan)):
        entry = by_name[name]
        assert entry["score"] is None and entry["error"].startswith("不是年度报告（") and not entry["findings"], entry
        assert entry["meta"]["kind"] == "not_report"
    assert "正文只有" in by_name["扫描件.pdf"]["error"] and "扫描件" in by_name["扫描件.pdf"]["error"]
    assert data["summary"]["files"] == 5 and data["summary"]["not_reports"] == 2
    scores = [f["score"] for f in data["files"] if f["score"] is not None]
    assert data["summary"]["mean_score"] == round(sum(scores) / len(scores), 1) and len(scores) == 5
    text = run("check", inbox)
    assert "报送函.txt: 不是年度报告（这是报送函" in text.stdout and "2 个不是年度报告" in text.stdout
    letters = tmp_path / "L"
    fb = run("feedback", inbox, "--output-dir", letters, "--format", "md")
    assert fb.exit_code == 2 and len([n for n in os.listdir(letters) if n.endswith(".md")]) == 5
    assert "扫描件.pdf: 未写反馈意见：不是年度报告" in fb.stderr
    book = tmp_path / "r.xlsx"
    run("check", inbox, "--format", f"xlsx:{book}")
    import openpyxl

    wb = openpyxl.load_workbook(book)
    assert [r[1].value for r in wb["排名"].iter_rows(min_row=2)] and len(list(wb["排名"].iter_rows(min_row=2))) == 5
    assert {r[0].value for r in wb["未检查的文件"].iter_rows(min_row=2)} == {"报送函.txt", "扫描件.pdf"}


def test_with_all_outputs_in_files_stderr_names_what_was_written_and_not_checked(tmp_path):
    inbox = copy_seeds(tmp_path / "inbox")
    (tmp_path / "inbox" / "报送函.txt").write_text(COVER_LETTER, encoding="utf-8")
    (tmp_path / "inbox" / "空.txt").write_bytes(b"")
    (tmp_path / "inbox" / "照片.jpg").write_bytes(b"\xff\xd8\xff")
    files = [tmp_path / "r.html", tmp_path / "r.xlsx", tmp_path / "r.json"]
    out = run("check", inbox, *[x for f in files for x in ("--format", f"{f.suffix[1:]}:{f}")])
    assert out.exit_code == 2 and out.stdout == ""
    lines = out.stderr.strip().splitlines()
    tail = lines[-7:]
    assert [line.split("已写入 ")[1] for line in tail[:3]] == [str(f) for f in files]
    middle = "\n".join(tail[3:6])
    assert "空.txt: 无法检查：文件为空" in middle and "照片.jpg: 已跳过" in tail[5]
    assert "报送函.txt: 不是年度报告（这是报送函" in middle
    assert tail[6].startswith("fazhi-lint: 共检查 6 个报告") and "1 个无法读取，1 个不是年度报告，跳过 1 个文件" in tail[6]
