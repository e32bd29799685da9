"""One language per output: Chinese output has no English category, severity or subject word (html,
every cell of the xlsx, grouped text, compare, diff, ``rule``, ``rules``, ``kinds``, letters); ``--lang
en`` gives the same words in English where the command has it. A rule's own text (title, message,
hint) is the rule pack's and may be Chinese in an English run; the words the outputs add are not."""
import re
from html.parser import HTMLParser

import openpyxl

from .cli_helpers import copy_seeds, good_text, run

# The English words an output could leak into a Chinese page: severities, subjects, categories, labels.
ENGLISH = re.compile(r"\b(other|warnings?|errors?|info|hints?|government|department|town|zone|unreadable|fix|"
                     r"score|rank|unit|report|missing|below|level|severity|category|none|true|false)\b", re.I)
OPTION = re.compile(r"--[a-z-]+(?: [a-z]+)?")        # a command-line option quoted in a hint: 加 --min-severity info
CJK = re.compile(r"[\u4e00-\u9fff]")
COVER_LETTER = ("河西县司法局\n关于报送2023年度法治政府建设情况报告的函\n\n县委全面依法治县委员会办公室：\n"
                "    现将《河西县司法局2023年度法治政府建设情况报告》随文报送，请审阅。\n\n河西县司法局\n2024年2月26日\n")


def _inbox(tmp_path):
    """The seeds, a cover letter and a report that names no unit (单位未识别 / unit not identified)."""
    folder = copy_seeds(tmp_path / "inbox")
    (tmp_path / "inbox" / "报送函.txt").write_text(COVER_LETTER, encoding="utf-8")
    body = re.sub(r"\n[^\n]*(?:局|政府|委员会)\n(20\d\d年\d+月\d+日)\s*$", r"\n\1\n", good_text().split("\n", 1)[1].rstrip())
    (tmp_path / "inbox" / "nameless.txt").write_text(body + "\n", encoding="utf-8")
    return folder


def _english_in(texts) -> list:
    return [t for t in texts if ENGLISH.search(OPTION.sub("", str(t)))]


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def _html_texts(path) -> list:
    parser = _Text()
    parser.feed(path.read_text("utf-8"))
    return parser.texts


def _cells(path) -> dict:
    book = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}


def test_chinese_html_xlsx_and_grouped_text_have_no_english_word(tmp_path):
    inbox = _inbox(tmp_path)
    html, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    out = run("check", inbox, "--format", f"html:{html}", "--format", f"xlsx:{xlsx}")
    assert out.exit_code == 2, out.stderr                                  # the cover letter
    assert not _english_in(_html_texts(html))
    for sheet, rows in _cells(xlsx).items():                               # every cell of every sheet
        assert not _english_in([sheet]) and not _english_in(v for row in rows for v in row if v is not None), sheet
    grouped = run("check", inbox, "--output-format", "grouped").stdout
    assert "提示" in grouped and not _english_in(grouped.splitlines())


def test_english_run_labels_its_html_xlsx_and_grouped_text_in_english(tmp_path):
    inbox = _inbox(tmp_path)
    html, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    run("check", inbox, "--lang", "en", "--format", f"html:{html}", "--format", f"xlsx:{xlsx}")
    page = html.read_text("utf-8")
    assert "below 60" in page and "60以下" not in page                     # the score bands
    assert "fix: " in page and "fix：" not in page and "修改建议" not in page
    assert "unit not identified" in page and "单位未识别" not in page
    cells = _cells(xlsx)
    for sheet, rows in cells.items():
        assert not CJK.search(sheet) and not [h for h in rows[0] if h and CJK.search(str(h))], sheet
    ranking = cells[next(iter(cells))]
    level = rows_of(ranking, "type")
    assert level and not [v for v in level if v and CJK.search(v)], level
    findings = [rows for name, rows in cells.items() if "severity" in rows[0]][0]
    assert set(rows_of(findings, "severity")) - {None} <= {"error", "warning", "info"}
    grouped = run("check", inbox, "--output-format", "grouped", "--lang", "en").stdout
    assert "more hint(s)" in grouped and "另有" not in grouped and "单位未识别" not in grouped


def rows_of(rows, header: str) -> list:
    column = rows[0].index(header)
    return [row[column] for row in rows[1:]]


def test_compare_and_diff_speak_chinese(tmp_path):
    inbox = copy_seeds(tmp_path / "inbox")
    last, this = f"{inbox}/000_aa44ca5054db8c02.txt", f"{inbox}/002_3ec005597ce203f5.txt"
    compared = run("compare", last, this)
    assert "提示" in compared.stdout and not _english_in(compared.stdout.splitlines())
    draft = tmp_path / "draft.txt"
    with open(last, encoding="utf-8") as handle:
        draft.write_text(handle.read().replace("法治宣传", "法制宣传"), encoding="utf-8")
    text = run("diff", last, draft).stdout
    assert "警告" in text and not _english_in(text.splitlines())
    run("diff", last, draft, "--format", "html", "-o", tmp_path / "d.html")
    assert not _english_in(_html_texts(tmp_path / "d.html"))


def test_rule_rules_and_kinds_speak_chinese_and_kinds_english_with_lang_en():
    for rule_id in ("FZ-W01", "FZ-S01", "FZ-R05", "FZ-L01", "FZ-C01", "FZ-S07"):
        head = run("rule", rule_id).stdout.splitlines()[1]                 # 级别 权重 检查类型 范围
        assert "范围：" in head and not _english_in([head.split("检查类型：")[0], head.split("范围：")[1]]), head
    listed = [line.split("\t") for line in run("rules").stdout.splitlines() if not line.startswith("#")]
    assert {row[1] for row in listed} <= {"错误", "警告", "提示"}
    kinds = [line.split("\t") for line in run("kinds").stdout.splitlines()]
    assert kinds and not [k[0] for k in kinds if not CJK.search(k[2])]     # every kind described in Chinese
    english = [line.split("\t") for line in run("kinds", "--lang", "en").stdout.splitlines()]
    assert not [k[0] for k in english if len(CJK.findall(k[2])) * 10 > len(k[2])]   # English (a quoted term aside)


def test_letters_have_no_english_word(tmp_path):
    inbox = _inbox(tmp_path)
    run("feedback", inbox, "--output-dir", tmp_path / "L", "--format", "md", "--min-severity", "info")
    letters = sorted((tmp_path / "L").glob("*.md"))
    assert len(letters) == 6
    for letter in letters:
        assert not _english_in(letter.read_text("utf-8").splitlines()), letter.name
