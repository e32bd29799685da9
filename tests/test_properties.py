"""Property-based tests (Hypothesis): for any input, the pipeline's parts keep their promises.

decoder      any bytes -> text or UnreadableInput, never another exception; UTF-8 text round-trips
normaliser   the offset map stays inside the original and is monotone; invisible characters never
             survive into the matching view
outline      any text builds a document whose parts lie inside the text
numbers      parse_number never raises, and Arabic numbers read back as themselves
outputs      every format is valid for any report text and any file name: JSON and SARIF parse,
             JUnit is well-formed XML, CSV has no formula cell, text/github keep one finding a line

The example count is kept small (the suite must stay fast); ``benchmarks/fuzz`` runs a million.
"""
import csv
import io
import json
import xml.parsers.expat

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from checker import __version__
from checker.outputs.targets import shown_name
from checker.document import build_document
from checker.document.normalise import normalise
from checker.readers.text import UnreadableInput, decode
from checker.engine import check_text
from checker.numbers import parse_number
from checker.outputs.targets import encode_output

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text with the characters that break things: CJK, headings, digits, controls, line breaks of every
# kind, escapes, invisible and bidi characters, surrogate-free astral characters.
ALPHABET = st.sampled_from(list("法治政府建设年度报告一二三四五、（）存在的不足原因主要负责人计划次个%0123456789.-=+@ \t\n\r")
                           + ["\x1b", "\x00", "\x0b", "\x85", "\u2028", "\u2029", "\u00ad", "\u200b", "\u202e",
                              "\ufeff", "\U000e0041", "\ufe0f", "\u3000", "\uff11", "國", "關(guān)", "=HYPERLINK(",
                              "<", "&", "]]>", "\"", "\U0001f600"])
TEXTS = st.lists(ALPHABET, max_size=120).map("".join) | st.text(max_size=120)
NAMES = st.text(min_size=1, max_size=20).filter(lambda s: "\x00" not in s) | st.sampled_from(
    ["bad\udcff.txt", "a\nb.txt", "\x1b[31m.txt", "=x.txt"])


@FAST
@given(st.binary(max_size=400))
def test_decode_any_bytes(data):
    try:
        text, encoding = decode(data)
    except UnreadableInput:
        return
    assert isinstance(text, str) and isinstance(encoding, str)


@FAST
@given(st.text(min_size=1, max_size=200))
def test_utf8_text_round_trips(text):
    try:
        decoded, encoding = decode(text.encode("utf-8", "surrogatepass"))
    except UnreadableInput:
        return
    if encoding == "utf-8":
        assert decoded == text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("法治１２Ａｚ％．\u3000\u00a0 a1") + [chr(c) for c in range(0xFF01, 0xFF5F, 7)]),
                max_size=40).map("".join))
def test_fold_is_the_translate_table(text):
    from checker.document.normalise import _FOLD, fold

    assert fold(text) == text.translate(_FOLD)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("關法制(guān)? ？\r\n\t\u3000a") + ["\u00ad", "\u200e", "\ufe0f"]),
                max_size=30).map("".join))
def test_the_deletion_pre_check_never_skips_a_deletion(text):
    """The normaliser skips its deletion pass when the cheap scan finds nothing; the scan must find
    something whenever the deletion pass would."""
    from checker.document.normalise import _DELETE_NEEDS, _delete_re

    if any(m.end() > m.start() for m in _delete_re().finditer(text)):
        assert _DELETE_NEEDS.search(text), repr(text)


@FAST
@given(TEXTS)
def test_normaliser_offsets_stay_inside_and_monotone(text):
    norm = normalise(text)
    previous = -1
    for offset in range(len(norm.text) + 1):
        original = norm.offsets.to_original(offset)
        assert 0 <= original <= len(text)
        assert original > previous or offset == 0
        previous = original
    for ch in "\u00ad\u200b\u202e\ufeff\U000e0041\ufe0f":
        assert ch not in norm.text


@FAST
@given(TEXTS)
def test_outline_parts_lie_inside_the_text(text):
    doc = build_document(text)
    for element in ("measures_and_results", "shortcomings", "causes", "next_year_plan"):
        for start, end in doc.element_spans(element):
            assert 0 <= start <= end <= len(doc.text)


@FAST
@given(st.text(max_size=30), st.text(max_size=10))
def test_parse_number_never_raises(text, before):
    parse_number(text, before)


@FAST
@given(st.integers(min_value=0, max_value=10 ** 9))
def test_parse_number_reads_arabic_numbers(value):
    parsed = parse_number(str(value))
    assert parsed is not None and parsed[0] == value


def _parse(name: str, rendered: str) -> None:
    data = encode_output(rendered)
    data.decode("utf-8")
    if name in ("json", "sarif"):
        json.loads(data)
    elif name == "junit":
        xml.parsers.expat.ParserCreate().Parse(data, True)
    elif name == "csv":
        for row in list(csv.reader(io.StringIO(rendered.lstrip("\ufeff"))))[1:]:
            assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row
    else:
        for line in rendered.split("\n"):
            assert not any(ch in line for ch in "\r\x1b\x85\u2028\u2029"), line


@pytest.fixture(scope="module")
def formats():
    from checker.plugins import build_plugins

    return {name: f for name, f in build_plugins().output_formats().items()
            if name in ("text", "json", "junit", "sarif", "github", "csv")}


@FAST
@given(text=TEXTS, name=NAMES)
def test_every_output_format_is_valid_for_any_text(ruleset, formats, text, name):
    result = check_text("2023年法治政府建设年度报告\n" + text, ruleset, path=shown_name(name))
    context = {"version": __version__, "ruleset": ruleset, "fail_on": "error", "lang": "zh", "colour": False,
               "pack": "national", "settings": None}
    for format_name, formatter in formats.items():
        _parse(format_name, formatter([result], context))
