"""Rule patterns: compile them (``{N}`` stands for a number), and search with a time limit per span.

A rule's regular expression comes from data, so every search runs with ``REGEX_TIMEOUT``; a
pattern that runs longer raises ``PatternTimeout`` (finding FZ-X02) instead of hanging the run.
"""
from __future__ import annotations

import time

import regex

from ..errors import PatternTimeout, RuleError
from .guard import _PAUSABLE
from .literals import cached_required_literals
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

# For patterns of which every match must contain one of a few literal strings (法制政府, 培训班, …;
# see helpers/literals.py), those strings: a document that contains none of them is not scanned at
# all (a ``str`` search is far cheaper than a regex scan with a timeout). Keyed by the compiled pattern.
REQUIRED_LITERALS: dict = {}


class LazyPattern:
    """A rule pattern compiled on first use; it behaves as the compiled ``regex`` pattern (every
    attribute is the compiled pattern's), except that ``pattern`` and ``literals`` need no compiling.
    Only sources that compiled in an earlier run are made lazy (``pattern_store``)."""

    __slots__ = ("pattern", "literals", "_compiled")

    def __init__(self, expanded: str, literals):
        self.pattern = expanded
        self.literals = literals
        self._compiled = None

    def compiled(self):
        if self._compiled is None:
            self._compiled = regex.compile(self.pattern)
        return self._compiled

    def __getattr__(self, name):
        return getattr(self.compiled(), name)

    def __reduce__(self):
        return LazyPattern, (self.pattern, self.literals)

    def __repr__(self):
        return f"LazyPattern({self.pattern!r})"


_LAZY: dict = {}             # expanded source -> LazyPattern (one object per source, as regex's own cache)


def compile_pattern(source, what: str = "pattern"):
    """Compile a rule pattern. ``{N}`` stands for one number (Arabic or Chinese). A source that
    compiled in an earlier run comes back as a :class:`LazyPattern` (start-up time)."""
    from . import pattern_store

    if not isinstance(source, str) or not source:
        raise RuleError(f"{what} 必须是非空字符串")
    expanded = source.replace("{N}", f"(?P<n>{NUMBER})")
    literals = cached_required_literals(source.replace("{N}", r"\d"))    # a number requires no literal
    if expanded in _LAZY:
        return _LAZY[expanded]
    if pattern_store.compiled_before(expanded):
        pattern = _LAZY[expanded] = LazyPattern(expanded, literals)
        return pattern
    try:
        pattern = regex.compile(expanded)
    except regex.error as exc:
        raise RuleError(f"{what} 不是有效的正则表达式：{exc}（{source!r}）") from None
    pattern_store.remember(expanded)
    if literals:
        REQUIRED_LITERALS[pattern] = literals
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
    """The compiled pattern to scan ``text`` with, or None when ``text`` holds none of the literals
    every match needs (then a lazy pattern stays uncompiled). A lazy pattern's attributes go through
    ``__getattr__``: the scans use its compiled regex directly."""
    literals = literals_of(pattern)
    if literals:
        for lit in literals:          # a plain loop: this runs ~25 times per rule and report
            if lit in text:
                break
        else:
            return None
    return (pattern._compiled or pattern.compiled()) if type(pattern) is LazyPattern else pattern


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
    """The literals one of which every match of ``pattern`` contains (helpers/literals.py), or None."""
    return pattern.literals if type(pattern) is LazyPattern else REQUIRED_LITERALS.get(pattern)


def search(pattern, text: str):
    """``pattern.search(text)`` under the same timeout as :func:`finditer`."""
    compiled = _scannable(pattern, text)
    if compiled is None:
        return None
    try:
        return compiled.search(text, timeout=_timeout())
    except TimeoutError:
        raise PatternTimeout(pattern.pattern) from None
