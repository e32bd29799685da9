"""Which literal strings every match of a pattern must contain: a cheap test that lets a scan be skipped.

``required_literals(source)`` returns a tuple of strings such that any text in which the pattern
matches contains at least one of them, or None when no such set is known. A report that contains
none of them cannot match, so the regex scan (tens of microseconds per pattern and report, with a
timeout) is replaced by a few ``str`` searches. The same idea is behind RE2's prefilter and
ripgrep's literal extraction; this is a small version for the rule patterns we ship.

The pattern is read with the standard library's parser (``re._parser``). Anything it does not read,
or that the ``regex`` module reads differently (Unicode properties, fuzzy matching, set operations,
recursion, flags that change what a literal matches), gives None: no prefilter, always correct.
Being unsure only ever weakens the answer: a literal run is cut wherever the parser shows anything
but a plain character, and an alternation requires something only if every branch does.
"""
from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as _c, _parser as _p
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore
    import sre_parse as _p  # type: ignore

# Sources the regex module reads differently from re, or that re cannot read safely here.
_UNSAFE = re.compile(
    r"\\[pPXmMLGKN]|\(\?[rVfwbe|&R0-9]|\(\?P>|\(\?\(DEFINE|\[\[|\|\||--|&&|~~"
    r"|\{(?!\d*,?\d*\})")       # a brace that is not a repeat count: fuzzy matching {e<=1}
MIN_LENGTH = 2                  # one character is in nearly every report: not worth a test
MAX_LITERALS = 16               # beyond this the str searches cost about what the scan does
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())


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
    if flags & re.IGNORECASE or _UNSAFE.search(source):
        return None
    try:
        parsed = _p.parse(source, flags & ~re.UNICODE)
    except Exception:             # anything re does not read (regex-only syntax): no prefilter
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _required(list(parsed))
    if not found or min(map(len, found)) < min_length or len(found) > MAX_LITERALS:
        return None
    # a literal that contains another one adds nothing ("专题培训班" when "培训班" is there)
    found = {lit for lit in found if not any(o != lit and o in lit for o in found)}
    return tuple(sorted(found, key=lambda s: (-len(s), s)))


_KNOWN: dict = {}          # "path": cache file or None, "map": {source: literals}, "dirty": bool


def _known() -> dict:
    if _KNOWN:
        return _KNOWN
    import marshal
    import os
    import sys

    from .cache import cache_dir, digest, ensure_private

    # Keyed on this module's own source and Python's version: a cached answer from other code could
    # skip scans that must run. Read only from a folder no one else can write to (a planted file
    # could silence rules).
    folder = cache_dir("literals")
    path = None
    if folder and ensure_private(folder):
        with open(__file__, "rb") as handle:
            path = os.path.join(folder, digest("required-literals", sys.version_info[:2], handle.read()))
    found = {}
    if path:
        try:
            with open(path, "rb") as handle:
                loaded = marshal.load(handle)
            if isinstance(loaded, dict) and all(isinstance(k, str) and (v is None or isinstance(v, tuple))
                                                for k, v in loaded.items()):
                found = loaded
        except (OSError, EOFError, ValueError, TypeError):
            pass
    _KNOWN.update(path=path, map=found, dirty=False)
    return _KNOWN


def cached_required_literals(source: str):
    """:func:`required_literals`, remembered per install (in the user cache, like the compiled-pattern
    list): reading 125 patterns with re's parser costs ~6 ms of every start."""
    known = _known()
    if source in known["map"]:
        return known["map"][source]
    literals = required_literals(source)
    known["map"][source] = literals
    if known["path"] and not known["dirty"]:
        import atexit

        known["dirty"] = True
        atexit.register(_save)
    return literals


def _save() -> None:
    import marshal
    import os

    from .cache import write_atomic

    if _KNOWN.get("path") and os.environ.get("FAZHI_LINT_NO_CACHE") != "1":
        try:
            write_atomic(_KNOWN["path"], marshal.dumps(_KNOWN["map"]))
        except OSError:
            pass
