"""fazhi-lint feedback INBOX --output-dir DIR: one letter per report, naming its unit, listing its fixes."""
import json
import os
import re
import zipfile

import docx

from .cli_helpers import copy_seeds, good_text, run


def _docx_text(path):
    document = docx.Document(path)
    return "\n".join(p.text for p in document.paragraphs), document.core_properties


def _json(folder):
    return json.loads(run("check", folder, "--format", "json").stdout)["files"]


def test_one_docx_letter_per_report_with_every_error_and_warning(tmp_path):
    inbox = copy_seeds(tmp_path / "inbox")
    out = run("feedback", inbox, "--output-dir", tmp_path / "L", "--office", "某某市司法局")
    assert out.exit_code == 0, out.stderr
    letters = sorted(os.listdir(tmp_path / "L"))
    reports = _json(inbox)
    assert len(letters) == len(reports) == 5 and all(name.endswith(".docx") for name in letters)
    for name, report in zip(letters, reports):
        text, core = _docx_text(tmp_path / "L" / name)
        unit = report["meta"]["unit"]
        assert text.splitlines()[1] == f"{unit}：" and unit in name              # addressed to its unit
        fixes = [f for f in report["findings"] if f["severity"] in ("error", "warning")]
        assert fixes
        for f in fixes:
            assert f["message"] in text, (name, f["rule"])
        assert text.count("【错误】") + text.count("【警告】") == len(fixes)
        assert "【提示】" not in text
        assert f"审查得分 {report['score']:g} 分" in text
        missing = [p for p, v in report["elements"].items() if p != "next_year_plan_year" and not v]
        assert ("法定要素缺少：" in text) == bool(missing) and ("法定要素齐全" in text) == (not missing)
        if missing:
            assert "法定要素缺少：不足的原因" in text                       # the seeds miss only the causes
        assert text.count("审查依据") == 1 and "依据：" not in text.split("审查依据")[0]   # bases once, at the end
        # no path of the checking machine, in the text or the document properties
        for leak in (str(tmp_path), inbox, os.getcwd(), ".txt", "seeds"):
            assert leak not in text, leak
        assert not re.search(r"/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+|[A-Za-z]:\\", text)        # no path at all
        assert str(tmp_path) not in " ".join(str(getattr(core, a) or "") for a in ("author", "title", "comments", "subject"))
        with zipfile.ZipFile(tmp_path / "L" / name) as z:
            assert not any(str(tmp_path).encode() in z.read(n) for n in z.namelist())


def test_markdown_letters_and_escaping(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    first, rest = good_text().split("\n", 1)
    (inbox / "a.txt").write_text(f"<b>清河县</b>司法局2023年度法治政府建设情况报告\n{rest}\n推进法制政府建设。\n",
                                 encoding="utf-8")
    out = run("feedback", inbox, "--output-dir", tmp_path / "L", "--format", "md")
    assert out.exit_code == 0, out.stderr
    (letter,) = os.listdir(tmp_path / "L")
    text = (tmp_path / "L" / letter).read_text("utf-8")
    assert letter.endswith(".md") and text.startswith("# 法治政府建设年度报告审查反馈意见")
    assert "【错误】“法制政府”应为“法治政府”" in text and "<b>" not in text and "&lt;b&gt;" in text
    assert str(tmp_path) not in text


def test_an_unreadable_report_loses_no_other_letter(tmp_path):
    inbox = copy_seeds(tmp_path / "inbox")
    with open(os.path.join(inbox, "broken.txt"), "wb") as handle:
        handle.write(b"\x00\x01\x02" * 100)
    out = run("feedback", inbox, "--output-dir", tmp_path / "L", "--format", "md")
    assert out.exit_code == 2 and "broken.txt" in out.stderr
    assert len(os.listdir(tmp_path / "L")) == 5


def test_a_docx_report_gets_paragraph_places_in_its_letter_and_review_page(tmp_path):
    from .format_fixtures import write_docx

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    seed = os.path.join(os.path.dirname(__file__), "..", "seeds", "004_b0c9e18cd6c6e394.txt")
    with open(seed, encoding="utf-8") as handle:
        write_docx(handle.read(), str(inbox / "甘眉.docx"))
    out = run("feedback", inbox, "--output-dir", tmp_path / "L", "--format", "md")
    assert out.exit_code == 0, out.stderr
    (letter,) = os.listdir(tmp_path / "L")
    text = (tmp_path / "L" / letter).read_text("utf-8")
    assert re.search(r"“法制政府[^”]*”（第\d+段）", text) and not re.search(r"（第\d+行）", text)
    page = tmp_path / "r.html"
    run("check", inbox, "--format", f"html:{page}")
    html = page.read_text("utf-8")
    assert re.search(r'<a href="#r1-f\d+">第\d+段</a>', html) and "<mark" in html
