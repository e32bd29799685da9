"""The literal prefilter (helpers/literals.py) may only skip scans that would have found nothing."""
import glob
import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from checker.helpers import patterns
from checker.helpers.literals import required_literals
from checker.plugins import build_plugins
from checker.rules import load_ruleset

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.parametrize("source, expected", [
    ("法律顾问|公职律师", ("公职律师", "法律顾问")),
    ("(法治|依法行政|法律)[^，。；]{0,8}培训班|专题培训班", ("培训班",)),
    ("(主要领导|一把手)[^。；]{0,20}(带头学|讲法)", ("主要领导", "一把手")),   # the longer of two
    ("法制政府?", ("法制政",)),                       # an optional last character is not required
    ("学法\\d次", ("学法",)),                          # runs stop at anything but a plain character
    ("(?:ab)?cd", ("cd",)),
    ("(?:ab)+x", ("ab",)),
    ("(?m)^[ \\t]*(?:绝密|机密)[ \\t]*$", ("机密", "绝密")),
    ("(?<=省)法制办", ("法制办",)),
])
def test_required_literals_of_plain_patterns(source, expected):
    assert required_literals(source) == expected


@pytest.mark.parametrize("source", [
    "\\S.*", "(?:ab)*", "a(?=bc)", "x|法治",           # nothing required, or a branch requires one character
    "(?i)abc", "\\p{Han}法治", "法治{e<=1}", "[[a-z]--[aeiou]]法治",   # case-folding and regex-only syntax
    "(",                                                # unreadable
])
def test_no_prefilter_when_unsure(source):
    assert required_literals(source) is None


def _shipped_patterns():
    plugins = build_plugins(())
    found = {}
    for pack in [p.name for p in plugins.rule_packs()]:
        ruleset = load_ruleset(plugins, pack)
        for state in ruleset.states.values():
            _collect(state, found)
    return sorted(found.items(), key=lambda item: item[0].pattern)


def _collect(value, found):
    """Every compiled pattern (eager or lazy) inside a rule's prepared state, with its literals."""
    if isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _collect(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, found)
    elif hasattr(value, "pattern") and hasattr(value, "finditer"):
        literals = patterns.literals_of(value)
        if literals:
            found[value] = literals


def _texts():
    paths = glob.glob(os.path.join(ROOT, "seeds", "*.txt")) + glob.glob(os.path.join(ROOT, "tests", "data", "**", "*.txt"),
                                                                       recursive=True)
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as handle:
            yield handle.read()


def test_every_shipped_pattern_with_a_prefilter_is_sound_on_the_reports_we_have():
    shipped = _shipped_patterns()
    assert len(shipped) > 40          # most rule patterns get a prefilter
    texts = list(_texts())
    for pattern, literals in shipped:
        for text in texts:
            if pattern.search(text):
                assert any(lit in text for lit in literals), (pattern.pattern, literals)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_text_without_the_literals_never_matches(data):
    """Texts made of the pattern's own characters (and a few others): whenever the pattern matches,
    one of its literals is in the text."""
    shipped = _shipped_patterns()
    pattern, literals = data.draw(st.sampled_from(shipped))
    alphabet = sorted(set(pattern.pattern) - set("\\()[]{}|?*+^$.") | set("，。 \n0123"))
    pieces = st.sampled_from(alphabet) | st.sampled_from(list(literals)).map(lambda s: s[: len(s) - 1] or s)
    text = "".join(data.draw(st.lists(pieces, max_size=40)))
    if pattern.search(text, timeout=1.0):
        assert any(lit in text for lit in literals), (pattern.pattern, literals, text)


def test_a_skipped_scan_is_a_scan_without_matches():
    pattern = patterns.compile_pattern("法制(?:宣传|教育)")
    assert patterns.literals_of(pattern) == ("法制",)
    assert patterns.finditer(pattern, "全面加强法治宣传", [(0, 8)]) == []
    assert [m.group(0) for m in patterns.finditer(pattern, "开展法制宣传", [(0, 6)])] == ["法制宣传"]
    assert patterns.search(pattern, "法治教育") is None
    assert patterns.search(pattern, "法制教育") is not None


def test_a_small_class_is_a_set_of_required_characters():
    assert required_literals("\\d+\\s*[+＋]|[+＋]\\s*\\d+", min_length=1) == ("+", "＋")
    assert required_literals("\\d+\\s*[+＋]") is None             # one character: not by default
    assert required_literals("[^+]x", min_length=1) == ("x",)     # a negated class requires nothing


def test_the_fact_lexicon_skips_a_not_fact_pattern_only_without_its_characters():
    from checker.document.vocabulary import default_vocabulary

    lex = default_vocabulary().facts
    for pattern, literals in zip(lex.not_facts, lex.not_facts_literals):
        for text in ("开展学法12+3次", "1＋1", "三项制度", "一把手带头", "24小时", "7×24", "五个全面"):
            if pattern.search(text):
                assert literals is None or any(lit in text for lit in literals), (pattern.pattern, text)
