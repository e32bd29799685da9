"""Numbers as reports write them."""
import pytest
import regex

from checker.numbers import COUNT_NUMBER, parse_chinese_integer, parse_number, parse_range


@pytest.mark.parametrize("text,before,expected", [
    ("12", "", (12, False)),
    ("十二", "", (12, False)),
    ("两", "", (2, False)),
    ("一百二十", "", (120, False)),
    ("百分之百", "", (100, False)),
    ("百分之九十五点五", "", (95.5, False)),
    ("8000余", "", (8000, True)),
    ("10369余", "", (10369, True)),
    ("1.5万", "", (15000, False)),
    ("1,200", "", (1200, False)),
    ("20", "约", (20, True)),
    ("95", "达到", (95, False)),        # 达 means reached, not about
    ("300", "超过", (300, True)),
])
def test_parse_number(text, before, expected):
    assert parse_number(text, before) == expected


def test_parse_range():
    assert parse_range("3", "5") == (3, 5)
    assert parse_range("三", "五") == (3, 5)
    assert parse_range("5", "3") == (None, None)


def test_chinese_integer_edge_cases():
    assert parse_chinese_integer("二〇二三") == 2023
    assert parse_chinese_integer("十") == 10
    assert parse_chinese_integer("两万") == 20000
    assert parse_chinese_integer("abc") is None


@pytest.mark.parametrize("text", ["千", "百", "万", "亿"])
def test_count_number_needs_a_digit_character(text):
    """千家万户, 百姓: a bare 千/百/万 is not a count."""
    assert regex.fullmatch(COUNT_NUMBER, text) is None
