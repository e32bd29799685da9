"""Findings point at the file as given, even after t2s conversion, pinyin-debris removal and CRLF folding."""
import pytest

from checker.document import build_document, load_document
from checker.document.normalise import normalise
from checker.engine import check_path

from .conftest import SEED_FILES, seed_path

SEED1 = seed_path("001_463db61ea62b21f3.txt")


def original_at(path, line, column, length):
    lines = open(path, encoding="utf-8").read().split("\n")
    return lines[line - 1][column - 1:column - 1 + length]


@pytest.mark.parametrize("name", SEED_FILES)
def test_every_excerpt_is_the_original_text_at_its_position(name, ruleset):
    path = seed_path(name)
    result = check_path(path, ruleset)
    assert result.findings
    for f in result.findings:
        excerpt = f.excerpt.rstrip("…")
        assert original_at(path, f.line, f.column, len(excerpt)) == excerpt[: len(excerpt)], f


def test_traditional_seed_positions():
    doc = load_document(SEED1)
    # "第一責任人" in the original line 9; its simplified form is found in the matching view.
    start = doc.text.index("第一责任人")
    where = doc.locate(start, start + 5)
    assert (where["line"], where["excerpt"]) == (9, "第一責任人")
    assert original_at(SEED1, where["line"], where["column"], 5) == "第一責任人"


def test_pinyin_debris_inside_a_span_maps_to_the_whole_original_word():
    doc = load_document(SEED1)
    start = doc.text.index("关于马喇镇2023年度")
    where = doc.locate(start, start + 2)      # "关于" in the view is "關(guān)于" in the file
    assert where["excerpt"] == "關(guān)于"
    assert (where["line"], where["column"]) == (1, 11)


def test_offset_map_round_trip_on_every_character():
    text = "關(guān)于\r\n?\n??? 二是進(jìn)一步\r\n１２次"
    norm = normalise(text)
    assert norm.text == "关于\n\n二是进一步\n12次"
    for i, ch in enumerate(norm.text):
        orig = text[norm.offsets.to_original(i)]
        assert orig == ch or (ch, orig) in {("关", "關"), ("进", "進"), ("1", "１"), ("2", "２")}


def test_line_count_is_preserved_by_normalisation():
    text = open(SEED1, encoding="utf-8").read()
    doc = build_document(text)
    assert len(doc.line_spans) == text.count("\n") + 1


def test_traditional_marker_characters_are_traditional_only():
    """Every marker converts under OpenCC t2s, so a simplified report never counts as traditional."""
    import opencc

    from checker.document.normalise import TRADITIONAL_ONLY

    t2s = opencc.OpenCC("t2s")
    assert [ch for ch in TRADITIONAL_ONLY if t2s.convert(ch) == ch] == []
