"""Rule patterns: compile them (``{N}`` stands for a number), and search with a time limit per span.

A rule's regular expression comes from data, so every search runs with ``REGEX_TIMEOUT``; a
pattern that runs longer raises ``PatternTimeout`` (finding FZ-X02) instead of hanging the run.
"""
from __future__ import annotations

import time

import regex

from ..errors import PatternTimeout, RuleError
from .guard import _PAUSABLE
from .literals import required_literals
from ..numbers import NUMBER

REGEX_TIMEOUT = 2.0          # seconds per pattern per scope span; guards catastrophic patterns
_DEADLINE = {"at": None}     # monotonic time by which the running rule must be done (all spans)


class rule_deadline:
    """``with rule_deadline(seconds):`` every :func:`finditer` / :func:`search` inside the block
    shares one budget of ``seconds`` (a rule's time budget covers all its spans and patterns, not
    each span on its own). A class rather than a generator: it is entered once per rule and report."""

    __slots__ = ("seconds", "outer")

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.outer = None

    def __enter__(self):
        self.outer = _DEADLINE["at"]
        _DEADLINE["at"] = time.monotonic() + self.seconds
        return self

    def __exit__(self, *exc):
        _DEADLINE["at"] = self.outer
        return False


def _extend_deadline(seconds: float) -> None:
    if _DEADLINE["at"] is not None:
        _DEADLINE["at"] += seconds


_PAUSABLE.append(_extend_deadline)      # guard.untimed() pushes a rule's regex budget back too


def _timeout() -> float:
    """Timeout for the next regex scan: the per-span limit, cut to what is left of the rule's budget."""
    at = _DEADLINE["at"]
    if at is None:
        return REGEX_TIMEOUT
    left = at - time.monotonic()
    if left <= 0:
        raise PatternTimeout("规则的时间预算已用完")
    return min(REGEX_TIMEOUT, left)

# A rule pattern's source (after the ``{N}`` expansion) -> [compiled pattern, source for the
# literals, literals, scans so far]. Every pattern is compiled once per process. Its literals are
# the strings one of which every match must contain (法制政府, 培训班, …; helpers/literals.py): a
# text that contains none of them is not scanned (a ``str`` search is far cheaper than a regex scan
# with a timeout). Working them out costs ≈50 µs a pattern, more than the one scan it could save,
# so they are worked out at a pattern's second scan: a batch gets the prefilter from its second
# report on (-8 % CPU on the benchmark corpus), a check of one report does not pay for it.
# Keyed on the source, a value: bounded by the rule files loaded.
_COMPILED: dict = {}
_UNKNOWN = False          # literals not worked out yet (required_literals gives a tuple or None)
LITERALS_AT_SCAN = 2


def compile_pattern(source, what: str = "pattern"):
    """Compile a rule pattern (``regex``); ``{N}`` stands for one number (Arabic or Chinese). Compiled
    at once, so a broken pattern is an error when its rule file loads (with its ``file:line``): the
    112 patterns of the national pack take ≈15 ms, and a run scans about half of them anyway."""
    if not isinstance(source, str) or not source:
        raise RuleError(f"{what} 必须是非空字符串")
    expanded = source.replace("{N}", f"(?P<n>{NUMBER})")
    known = _COMPILED.get(expanded)
    if known is not None:
        return known[0]
    try:
        pattern = regex.compile(expanded)
    except regex.error as exc:
        raise RuleError(f"{what} 不是有效的正则表达式：{exc}（{source!r}）") from None
    _COMPILED[expanded] = [pattern, source.replace("{N}", r"\d"), _UNKNOWN, 0]   # a number requires no literal
    return pattern


def compile_list(value, what: str):
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise RuleError(f"{what} 必须是字符串或字符串列表")
    return [compile_pattern(v, what) for v in value]


def _scannable(pattern, text: str):
    """``pattern``, or None when ``text`` holds none of the literals every match needs."""
    entry = _COMPILED.get(getattr(pattern, "pattern", None))
    if entry is None or entry[0] is not pattern:
        return pattern
    literals = entry[2]
    if literals is _UNKNOWN:
        entry[3] += 1
        if entry[3] < LITERALS_AT_SCAN:
            return pattern
        literals = entry[2] = required_literals(entry[1])
    if literals:
        for lit in literals:          # a plain loop: this runs ~25 times per rule and report
            if lit in text:
                break
        else:
            return None
    return pattern


def finditer(pattern, text: str, spans) -> list:
    """All matches of ``pattern`` inside the given spans (a list), with a timeout per span."""
    compiled = _scannable(pattern, text)
    if compiled is None:
        return []
    out = []
    try:
        for start, end in spans:
            out.extend(compiled.finditer(text, start, end, timeout=_timeout()))
    except TimeoutError:
        raise PatternTimeout(pattern.pattern) from None
    return out


def literals_of(pattern):
    """The literals one of which every match of ``pattern`` contains (helpers/literals.py), or None
    (a pattern that :func:`compile_pattern` did not make has none)."""
    entry = _COMPILED.get(getattr(pattern, "pattern", None))
    if entry is None or entry[0] is not pattern:
        return None
    if entry[2] is _UNKNOWN:
        entry[2] = required_literals(entry[1])
    return entry[2]


def search(pattern, text: str):
    """``pattern.search(text)`` under the same timeout as :func:`finditer`."""
    compiled = _scannable(pattern, text)
    if compiled is None:
        return None
    try:
        return compiled.search(text, timeout=_timeout())
    except TimeoutError:
        raise PatternTimeout(pattern.pattern) from None
