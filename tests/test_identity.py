"""Identity from every format: the unit and the title read from a report's .docx, .doc, .pdf and saved
page agree with those read from its .txt, and so do its elements, year and findings.

The fixtures (tests/identity_fixtures.py) are nine blind-set reports whose titles and units are easy to
lose: a title on two lines (broken before its year, inside 法治政府建设, or before 报告), a unit on the
line above the title, a title under a page's field label (名称：), a title followed by its document
number, a town or a 管委会 whose signature names it in full. Each is written as a 公文 .docx
(title in 2号 centred: it wraps in the PDF), converted by LibreOffice to .doc and .pdf, once more with
the title shrunk to fill its line over an unindented body (a PDF reader joins the two), and saved as
web pages whose <title> is the site's section name. ``benchmarks/identity_eval.py`` runs the same on
all 96 labelled blind reports.
"""
import os
import shutil

import pytest
import yaml

from checker.document import build_document, load_document

from .format_fixtures import soffice_convert
from .identity_fixtures import build_identity_set, saved_page, split_report

BLIND = os.path.join(os.path.dirname(__file__), "data", "blind")
CHOSEN = ("set04/r01", "set01/r05", "set03/r02", "set12/r01", "set06/r07", "set07/r06", "set11/r01", "set10/r06",
          "set01/r03")
HAS_SOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))
# Formats whose findings must equal the plain text's (the fitted-title PDF's body has no indent, so
# its paragraphs are rebuilt from the line ends alone: only its identity is compared).
SAME_FINDINGS = ("docx", "docx-lines", "doc", "pdf", "pdf-lines", "html-header", "html-bold", "html-suffix")


def _chosen():
    out = []
    for key in CHOSEN:
        folder, name = key.split("/")
        with open(os.path.join(BLIND, folder, "labels.yaml"), encoding="utf-8") as handle:
            labels = {r["file"]: r for r in yaml.safe_load(handle)["reports"]}
        out.append((key.replace("/", "-"), os.path.join(BLIND, folder, name + ".txt"), labels[name + ".txt"]))
    return out


@pytest.fixture(scope="module")
def identity_set(tmp_path_factory):
    if not HAS_SOFFICE:
        pytest.skip("LibreOffice (soffice) is not installed: it makes the .doc and .pdf fixtures")
    out = str(tmp_path_factory.mktemp("identity"))
    chosen = _chosen()
    made = build_identity_set([(name, txt, label["title"]) for name, txt, label in chosen], out, soffice_convert)
    return made, {name: label for name, _, label in chosen}


def test_every_format_reads_the_unit_and_title_of_the_txt(identity_set):
    made, labels = identity_set
    misses, fields = [], 0
    for name, files in made.items():
        original = load_document(files["original"]).meta
        assert (original.title, original.unit) == (labels[name]["title"], labels[name]["unit"]), name
        assert set(files) >= {"docx", "doc", "pdf", "pdf-fit", "pdf-lines", "html-header", "html-bold", "html-suffix"}
        for fmt, path in files.items():
            if fmt == "original":
                continue
            meta = load_document(path).meta
            fields += 2
            misses += [(name, fmt, field, got) for field, got, want in
                       (("title", meta.title, original.title), ("unit", meta.unit, original.unit)) if got != want]
    assert fields == 2 * len(made) * 10 and not misses, misses          # 10 formats, the plain .txt among them


def test_elements_year_and_findings_are_the_plain_texts(identity_set, ruleset):
    from checker.engine import check_path

    made, _ = identity_set

    def judged(path):
        result = check_path(path, ruleset)
        assert result.error is None, (path, result.error)
        return result.elements, result.meta["report_year"], sorted((f.rule, f.severity) for f in result.findings)
    for name, files in made.items():
        expected = judged(files["txt"])
        for fmt in SAME_FINDINGS:
            assert judged(files[fmt]) == expected, (name, fmt)


def test_the_unit_source_is_recorded(identity_set):
    made, _ = identity_set
    town = load_document(made["set06-r07"]["pdf"]).meta
    assert town.unit == "德溪县梅洋镇人民政府" and town.sources["unit"] == "标题、落款"


def _page(title_lines, variant, site_title=None):
    page = saved_page(title_lines, ["2023年，我局认真贯彻落实法治政府建设各项部署。现将有关情况报告如下：",
                                    "一、主要举措和成效", "全年办理行政许可320件。"], variant)
    if site_title:
        page = page.replace("<title>法治政府建设年度报告_政务公开</title>".encode(), f"<title>{site_title}</title>".encode())
    return page


@pytest.mark.parametrize("variant", ["header", "bold", "suffix"])
def test_a_saved_page_prefers_the_articles_heading_over_a_site_wide_title(variant):
    from checker.document import build_document
    from checker.readers import read_bytes

    reading = read_bytes(_page(["河西县司法局2023年度法治政府建设情况报告"], variant), "page.html")
    doc = build_document(reading.text, reading=reading)
    assert doc.meta.title == "河西县司法局2023年度法治政府建设情况报告" and doc.meta.unit == "河西县司法局"
    assert "政务公开" not in reading.text


def test_site_suffixes_are_stripped_from_the_pages_title():
    from checker.readers import read_bytes

    for suffix in ("_河西县人民政府门户网站", " - 河西县人民政府", "|政务公开", "—河西网"):
        page = _page([], "header", f"河西县司法局2023年度法治政府建设情况报告{suffix}")
        assert read_bytes(page, "p.html").text.splitlines()[0] == "河西县司法局2023年度法治政府建设情况报告", suffix


def test_a_title_run_on_into_the_first_body_line_is_split_off():
    from checker.document import build_document

    for rest in ("2023年，我局认真贯彻落实。", "区委：", "河政报〔2024〕7号"):
        doc = build_document(f"河西县司法局关于2023年度法治政府建设情况的报告{rest}\n一、主要举措和成效\n全年办理案件12件。\n")
        assert doc.meta.title == "河西县司法局关于2023年度法治政府建设情况的报告", rest
    notice = build_document("关于做好2023年度法治政府建设年度报告工作的通知\n各乡镇：\n")
    assert notice.meta.title == "关于做好2023年度法治政府建设年度报告工作的通知"       # 报告 inside a title: not split


def test_a_title_on_two_lines_is_one_title_and_fz_s07_reads_both(ruleset):
    from checker.engine.evaluate import evaluate
    from checker.document import build_document

    for first, second in (("淮澄市清浦区人民政府关于2021年度法治政府", "建设情况的报告"),
                          ("上海市淞南区人民政府关于2023年度", "法治政府建设情况的报告"),
                          ("吉原市丰泽区人力资源和社会保障局", "2020年法治政府建设年度报告")):
        text = f"{first}\n{second}\n\n2021年，我区认真贯彻落实。\n一、主要举措和成效\n全年办理案件12件。\n"
        doc = build_document(text)
        assert doc.meta.title == first + second and doc.meta.title_first_line == 0 and doc.meta.title_line == 1
        result = evaluate(doc, ruleset.only(lambda r: r.id == "FZ-S07"))
        assert not result.findings, first


def test_fuller_names_of_one_unit_and_other_units():
    from checker.document.evidence import fuller_name, settle_unit

    assert fuller_name("塔布敖包镇", "塔布敖包镇人民政府") == "塔布敖包镇人民政府"
    assert fuller_name("柳林街道", "沽北区柳林街道办事处") == "沽北区柳林街道办事处"
    assert fuller_name("德溪县梅洋镇", "梅洋镇人民政府") == "德溪县梅洋镇人民政府"
    assert fuller_name("荆襄经济技术开发区管委会", "荆襄经济技术开发区管理委员会") == "荆襄经济技术开发区管理委员会"
    assert fuller_name("北岸高新区管委会", "北岸高新技术产业开发区管理委员会") == "北岸高新技术产业开发区管理委员会"
    assert fuller_name("江口经开区管委会", "湖北省江口经济技术开发区管理委员会") == "湖北省江口经济技术开发区管理委员会"
    # a 街道办事处 signed as the agency of its district's government is the same unit
    assert fuller_name("河口区滨江街道办事处", "某市河口区人民政府滨江街道办事处") == "某市河口区人民政府滨江街道办事处"
    assert fuller_name("河口区滨江街道办事处", "某市河口区人民政府办公室") is None
    assert fuller_name("某县人民政府", "某县人民政府办公室") is None          # the office is another unit
    assert fuller_name("某县司法局", "某县人民政府") is None
    assert settle_unit([("标题", "某县司法局"), ("落款", "某县人民政府")]) == ("某县司法局", "标题")
    assert settle_unit([("标题", None), ("落款", "某县司法局"), ("网页发布机构", "某县司法局")]) == ("某县司法局", "落款、网页发布机构")
    assert settle_unit([]) == (None, None)


@pytest.mark.parametrize("label", ["名  称：", "信息名称：", "信息标题：", "文件名称：", "文章标题："])
def test_a_pages_field_label_before_the_title_is_not_part_of_the_unit(label):
    doc = build_document(f"{label}沂川县教育和体育局2024年度法治政府建设工作报告\n\n2024年，我局认真贯彻落实。\n")
    assert doc.meta.unit == "沂川县教育和体育局"


def test_split_report_takes_the_labelled_title_off_the_top():
    text = "名  称：峡川县民政局2019年度法治政府建设工作报告\n\n2019年，我局认真贯彻。\n"
    assert split_report(text, "峡川县民政局2019年度法治政府建设工作报告") == (
        ["峡川县民政局2019年度法治政府建设工作报告"], ["2019年，我局认真贯彻。"])
