"""Copy detection across units (``check --copies``, FZ-Y03) and against last year (``--previous``)."""
import json
import os
import re

from checker.compare.copy_index import find_copies, sketch
from checker.document import build_document
from tests.cli_helpers import run, write
from tests.yoy_pairs import seed_text

S000, S002, S003, S004 = ("000_aa44ca5054db8c02.txt", "002_3ec005597ce203f5.txt",
                          "003_bf1c1cd002b1e66a.txt", "004_b0c9e18cd6c6e394.txt")
MINE = "本单位新建法律服务点{}个，办理法律援助案件{}件，回访满意率较高。"


def _copier(share_rewritten=0):
    """Seed 004's unit, with seed 000's measures part pasted in (its own unit name, other numbers);
    every fifth sentence rewritten when ``share_rewritten`` (≈ 80 % of the part stays copied)."""
    a, b = seed_text(S000), seed_text(S004)
    part = a[a.index("一、工作开展情况"):a.index("二、存在的不足和原因")]
    part = part.replace("区政府办公室", "园区管委会").replace("12次", "9次").replace("2023", "2024")
    if share_rewritten:
        sentences = re.findall(r"[^。]*。|[^。]+$", part)
        part = "".join(MINE.format(k, k + 3) if k % 5 == 4 else s for k, s in enumerate(sentences))
    own = b[b.index("二、存在问题"):]
    own = own.replace("对法治政府建设工作认识不足", "园区执法队伍人员流动大，案卷制作不规范")
    return "某某工业园区管理委员会2024年度法治政府建设工作报告\n\n" + part + "\n" + own


def _batch(tmp_path, extra: dict):
    folder = tmp_path / "reports"
    for name in (S000, S002, S003):
        write(folder / name, seed_text(name))
    for name, text in extra.items():
        write(folder / name, text)
    return str(folder)


def _y03(out):
    data = json.loads(out.stdout)
    return {(os.path.basename(f["path"]), g["excerpt"][:8], int(re.search(r"有 (\d+)%", g["message"]).group(1)))
            for f in data["files"] for g in f["findings"] if g["rule"] == "FZ-Y03"}, data


def test_copied_part_is_reported_on_both_reports_with_share_and_name(tmp_path):
    folder = _batch(tmp_path, {"copier.txt": _copier()})
    found, data = _y03(run("check", folder, "--copies", "--format", "json", "--fail-on", "never"))
    assert {(name, excerpt) for name, excerpt, _ in found} == {("copier.txt", "一、工作开展情况"),
                                                               (S000, "一、工作开展情况")}
    assert all(share >= 90 for *_, share in found)
    messages = [g["message"] for f in data["files"] for g in f["findings"] if g["rule"] == "FZ-Y03"]
    assert any(S000 in m and "市中区人民政府办公室" in m for m in messages)


def test_part_four_fifths_copied_is_reported(tmp_path):
    folder = _batch(tmp_path, {"copier.txt": _copier(share_rewritten=True)})
    found, _ = _y03(run("check", folder, "--copies", "--format", "json", "--fail-on", "never", "--jobs", "2"))
    shares = [share for name, excerpt, share in found if name == "copier.txt"]
    assert shares and 65 <= shares[0] < 95


def test_independent_reports_of_the_same_year_are_never_reported(tmp_path):
    folder = _batch(tmp_path, {S004: seed_text(S004), "001.txt": seed_text("001_463db61ea62b21f3.txt")})
    found, data = _y03(run("check", folder, "--copies", "--format", "json", "--fail-on", "never"))
    assert found == set() and len(data["files"]) == 5


def test_text_every_report_shares_is_a_template_not_a_copy():
    shared = ("六、关于报告格式的说明\n为规范本系统年度报告工作，各单位统一按照市依法治市办印发的报告提纲撰写，分别说明本单位"
              "学法用法、重大行政决策、行政执法、行政复议应诉、普法宣传等方面的做法，并附工作台账目录、联系人、联系电话和"
              "报送时间，报告正文不得超过五千字，数据统计截至当年十二月三十一日，由单位主要负责人审核签字后报送。")
    docs = [build_document(seed_text(n) + "\n" + shared + "\n", path=n) for n in (S000, S002, S003, S004)]
    sketches = {d.path: sketch(d) for d in docs}
    found = find_copies(sketches, list(sketches), 0.5, 80, max_sharers=5)
    assert set(found) == set(sketches)                   # four reports sharing a part: reported…
    assert all([p.part.title for p in parts] == ["六、关于报告格式的说明"] for parts in found.values())
    assert find_copies(sketches, list(sketches), 0.5, 80, max_sharers=3) == {}   # …unless it is a template


def test_previous_year_pairs_by_unit_and_year_and_findings_reach_every_format(tmp_path):
    last = re.sub(r"20(2[3-5])", lambda m: f"20{int(m.group(1)) - 1}", seed_text(S002))    # 河东区, 2023
    previous = write(tmp_path / "2023" / "hedong.txt", last)
    folder = _batch(tmp_path, {S002: seed_text(S002)})
    out = run("check", folder, "--previous", os.path.dirname(previous), "--format", "json", "--fail-on", "never")
    data = json.loads(out.stdout)
    rules = {os.path.basename(f["path"]): [g["rule"] for g in f["findings"] if g["rule"].startswith("FZ-Y")]
             for f in data["files"]}
    assert "FZ-Y02" in rules[S002] and "FZ-Y04" in rules[S002]
    assert rules[S000] == [] and rules[S003] == []
    both = json.loads(run("check", folder, "--previous", os.path.dirname(previous), "--copies", "--format", "json",
                          "--fail-on", "never").stdout)
    own = [g for f in both["files"] for g in f["findings"] if os.path.basename(f["path"]) == S002]
    assert "FZ-Y02" in {g["rule"] for g in own} and "FZ-Y03" not in {g["rule"] for g in own}   # its own last year is Y02
    assert "2 份报告没有找到同一单位上一年度的报告" in out.stderr
    for fmt, needle in (("sarif", '"ruleId": "FZ-Y02"'), ("junit", "FZ-Y02"), ("text", "FZ-Y02"), ("html", "FZ-Y02")):
        shown = run("check", folder, "--previous", os.path.dirname(previous), "--format", fmt, "--fail-on", "never")
        assert needle in shown.stdout, fmt


def test_without_the_options_no_comparing_rule_runs(tmp_path):
    folder = _batch(tmp_path, {"copier.txt": _copier()})
    data = json.loads(run("check", folder, "--format", "json", "--fail-on", "never").stdout)
    assert not [g for f in data["files"] for g in f["findings"] if g["rule"].startswith("FZ-Y")]


def test_findings_reach_the_feedback_letter_and_the_workbook(tmp_path):
    last = re.sub(r"20(2[3-5])", lambda m: f"20{int(m.group(1)) - 1}", seed_text(S002))
    previous = write(tmp_path / "2023" / "hedong.txt", last)
    folder = _batch(tmp_path, {S002: seed_text(S002), "copier.txt": _copier()})
    letters = tmp_path / "letters"
    out = run("feedback", folder, "--output-dir", letters, "--format", "md", "--previous", os.path.dirname(previous),
              "--copies")
    assert out.exit_code == 0, out.stderr
    texts = {p.name: p.read_text(encoding="utf-8") for p in letters.iterdir() if p.suffix == ".md"}
    assert any("上一年度报告" in t and "相同" in t for t in texts.values())           # FZ-Y02 in 河东区's letter
    shared = [t for t in texts.values() if "相同（数字" in t and ("某某工业园区管理委员会，2024年度" in t or "市中区人民政府办公室，2023年度" in t)]
    assert len(shared) == 2                                                          # FZ-Y03 in both letters
    book = tmp_path / "book.xlsx"
    run("check", folder, "--copies", "--format", f"xlsx:{book}", "--fail-on", "never")
    from openpyxl import load_workbook

    cells = [str(c.value) for ws in load_workbook(book) for row in ws.iter_rows() for c in row if c.value]
    assert any("FZ-Y03" in c for c in cells)


def test_score_after_comparing_is_the_score_of_every_outcome(tmp_path):
    """The comparing rules' outcomes join the others and the score is worked out again the same way
    (missing statutory parts included)."""
    folder = _batch(tmp_path, {"copier.txt": _copier()})
    data = json.loads(run("check", folder, "--copies", "--format", "json", "--fail-on", "never").stdout)
    plain = json.loads(run("check", folder, "--format", "json", "--fail-on", "never").stdout)
    before = {f["path"]: f["score"] for f in plain["files"]}
    after = {f["path"]: f["score"] for f in data["files"]}
    copied = {f["path"] for f in data["files"] if any(g["rule"] == "FZ-Y03" for g in f["findings"])}
    assert copied and all(after[p] < before[p] for p in copied)
    assert all(after[p] >= before[p] for p in after if p not in copied)


def test_previous_pairs_by_file_name_when_the_unit_is_not_read_the_same(tmp_path):
    last = re.sub(r"20(2[3-5])", lambda m: f"20{int(m.group(1)) - 1}", seed_text(S002))
    last = last.replace("河东区政府办公室", "区政府办公室")           # last year the unit wrote its name differently
    write(tmp_path / "2023" / "hedong-2023.txt", last)
    write(tmp_path / "2023" / "other-2023.txt", seed_text(S003))
    write(tmp_path / "2024" / "hedong-2024.txt", seed_text(S002))
    out = run("check", tmp_path / "2024", "--previous", tmp_path / "2023", "--format", "json", "--fail-on", "never")
    rules = [g["rule"] for f in json.loads(out.stdout)["files"] for g in f["findings"]]
    assert "FZ-Y02" in rules and "没有找到" not in out.stderr
