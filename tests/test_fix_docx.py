"""--fix in a .docx: only the text of the runs a fix touches changes, their formatting stays."""
import json
import pytest

from .cli_helpers import run

docx = pytest.importorskip("docx")


def _report(path):
    d = docx.Document()
    d.add_heading("XX区2023年法治政府建设年度报告", 1)
    p = d.add_paragraph()
    first = p.add_run("2023年，园区法制")
    first.bold = True
    second = p.add_run("政府建设工作在区委、区政府的领导下，在区法制办的具体指导下，取得了较好成效。")
    second.italic = True
    d.add_paragraph("一是提升法制素养。二是严格落实重大执法决定法制审核制度。")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "办好法制宣传专栏"
    table.cell(0, 1).text = "12场"
    d.add_paragraph("二、存在的不足和原因")
    d.add_paragraph("一是法治宣传有待加强。主要原因是认识不够到位。")
    d.save(path)


def test_fix_changes_only_the_affected_runs_and_keeps_their_formatting(tmp_path):
    path = tmp_path / "r.docx"
    _report(path)
    diff = run("--select", "FZ-W0", "--diff", path)
    assert diff.exit_code == 1
    assert "+2023年，园区法治政府建设工作在区委、区政府的领导下，在区司法局的具体指导下" in diff.stdout
    assert "+办好法治宣传专栏\t12场" in diff.stdout

    result = run("--select", "FZ-W0", "--fix", path)
    assert result.exit_code == 0, result.stderr
    assert "已修复 4 处（FZ-W01 ×1、FZ-W02 ×1、FZ-W03 ×2）" in result.stderr
    d = docx.Document(path)
    runs = [(r.text, r.bold, r.italic) for r in d.paragraphs[1].runs]
    assert runs == [("2023年，园区法治", True, None),
                    ("政府建设工作在区委、区政府的领导下，在区司法局的具体指导下，取得了较好成效。", None, True)]
    assert d.paragraphs[2].text == "一是提升法治素养。二是严格落实重大执法决定法制审核制度。"   # 法制审核 kept
    assert d.tables[0].cell(0, 0).text == "办好法治宣传专栏" and d.tables[0].cell(0, 1).text == "12场"
    assert [p.text for p in d.paragraphs[3:]] == ["二、存在的不足和原因", "一是法治宣传有待加强。主要原因是认识不够到位。"]
    again = run("--select", "FZ-W0", "--format", "json", path)
    assert json.loads(again.stdout)["files"][0]["findings"] == []
