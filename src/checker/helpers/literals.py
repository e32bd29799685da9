"""Which literal strings every match of a pattern must contain: a cheap test that lets a scan be skipped.

``required_literals(source)`` returns a tuple of strings such that any text in which the pattern
matches contains at least one of them, or None when no such set is known. A report that contains
none of them cannot match, so the regex scan (tens of microseconds per pattern and report, with a
timeout) is replaced by a few ``str`` searches. The same idea is behind RE2's prefilter and
ripgrep's literal extraction; this is a small version for the rule patterns we ship.

The pattern is read with the standard library's parser (``re._parser``, ``sre_parse`` before Python
3.11). That module is private: this file is the only one in fazhi-lint that imports it, and where it
is missing or reads a pattern in a way this code does not expect, every answer is None (no prefilter:
slower scans, the same findings). Anything it does not read,
or that the ``regex`` module reads differently (Unicode properties, fuzzy matching, set operations,
recursion, flags that change what a literal matches), gives None: no prefilter, always correct.
Being unsure only ever weakens the answer: a literal run is cut wherever the parser shows anything
but a plain character, and an alternation requires something only if every branch does.
"""
from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as _c, _parser as _p
except ImportError:  # pragma: no cover - Python < 3.11, or an implementation without them
    try:
        import sre_constants as _c  # type: ignore
        import sre_parse as _p  # type: ignore
    except ImportError:
        _c = _p = None

# Sources the regex module reads differently from re, or that re cannot read safely here.
_UNSAFE = re.compile(
    r"\\[pPXmMLGKN]|\(\?[rVfwbe|&R0-9]|\(\?P>|\(\?\(DEFINE|\[\[|\|\||--|&&|~~"
    r"|\{(?!\d*,?\d*\})")       # a brace that is not a repeat count: fuzzy matching {e<=1}
MIN_LENGTH = 2                  # one character is in nearly every report: not worth a test
MAX_LITERALS = 16               # beyond this the str searches cost about what the scan does
_REPEATS = ({getattr(_c, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_c, name)}
            if _c is not None else set())


def _better(a, b):
    """The more selective of two requirement sets (longer shortest literal, then fewer literals)."""
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b, key=lambda s: (min(map(len, s)), -len(s)))


def _required(items):
    """Requirement set of a sequence of parsed items, or None."""
    best, run = None, ""
    for op, av in items:
        if op is _c.LITERAL:
            run += chr(av)
            continue
        if run:
            best, run = _better(best, frozenset([run])), ""
        if op is _c.SUBPATTERN:
            group, add_flags, del_flags, sub = av
            if add_flags & ~(re.UNICODE | re.MULTILINE | re.DOTALL | re.VERBOSE) or del_flags:
                return None                      # (?i) and the like: literals no longer match as written
            best = _better(best, _required(sub))
        elif op is _c.BRANCH:
            branches = [_required(sub) for sub in av[1]]
            if branches and all(b is not None for b in branches):
                best = _better(best, frozenset().union(*branches))
        elif op is _c.IN and 0 < len(av) <= 8 and all(o is _c.LITERAL for o, _ in av):
            best = _better(best, frozenset(chr(c) for _, c in av))    # [+＋]: one of a few characters
        elif op in _REPEATS:
            low, _, sub = av
            if low >= 1:
                best = _better(best, _required(sub))
        # anything else (classes, any, anchors, lookarounds, back-references) requires nothing
    if run:
        best = _better(best, frozenset([run]))
    return best


def required_literals(source: str, flags: int = 0, min_length: int = None):
    """Literals of which every match of ``source`` contains one, longest-first; None if unknown
    (or if one of them is shorter than ``min_length``, by default ``MIN_LENGTH``: pass 1 for a
    pattern whose single required characters are rare, such as "+")."""
    min_length = MIN_LENGTH if min_length is None else min_length
    if _p is None or flags & re.IGNORECASE or _UNSAFE.search(source):
        return None
    try:
        parsed = _p.parse(source, flags & ~re.UNICODE)
        if parsed.state.flags & re.IGNORECASE:
            return None
        found = _required(list(parsed))
    except Exception:             # anything re does not read (regex-only syntax), or reads otherwise: no prefilter
        return None
    if not found or min(map(len, found)) < min_length or len(found) > MAX_LITERALS:
        return None
    # a literal that contains another one adds nothing ("专题培训班" when "培训班" is there)
    found = {lit for lit in found if not any(o != lit and o in lit for o in found)}
    return tuple(sorted(found, key=lambda s: (-len(s), s)))
