"""Standard-library regular expressions compiled once per interpreter, not once per run.

``re.compile`` parses and assembles a pattern in pure Python; the document rooms compile about a
hundred patterns at start-up, many with wide CJK classes (``[\\u4e00-\\u9fff]`` builds a 64 K
bitmap), about 35 ms of every run. ``compile_re`` keeps what ``re`` computes for a pattern (the
opcode list, flags and groups) in a table in the user cache folder and builds the pattern object
from it directly with ``_sre.compile``, as ``re`` itself does. That call is CPython's internal
one, so the table is keyed on the exact interpreter (``sys.version``, ``_sre.MAGIC``) and anything
unexpected (another implementation, another signature, a damaged table) falls back to
``re.compile``. ``_sre.compile`` validates the opcodes it is given. FAZHI_LINT_NO_CACHE=1, or an
interpreter without these internals, compiles every pattern with ``re.compile``.
"""
from __future__ import annotations

import re
import sys

try:
    import _sre

    try:
        from re import _compiler, _parser          # Python 3.11+
    except ImportError:                            # Python 3.9, 3.10
        import sre_compile as _compiler
        import sre_parse as _parser
    _USABLE = sys.implementation.name == "cpython" and hasattr(_compiler, "_code")
except ImportError:                                # pragma: no cover (not CPython)
    _USABLE = False

_STATE: dict = {}


def _table():
    if "table" not in _STATE:
        from .cache import RememberedTable

        _STATE["table"] = RememberedTable("compiled-re", "sre", sys.version, getattr(_sre, "MAGIC", 0), "1")
    return _STATE["table"]


def _assembled(pattern: str, flags: int):
    """What ``re`` computes for a pattern: (flags, opcodes, groups, group index, index group)."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)       # opcodes are int subclasses: stored as plain ints
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (int(flags | parsed.state.flags), [int(op) for op in code], parsed.state.groups - 1, groupindex,
            tuple(indexgroup))


def compile_re(pattern: str, flags: int = 0) -> "re.Pattern":
    """``re.compile(pattern, flags)``, from the table when this interpreter compiled it before."""
    flags = int(flags)
    if not _USABLE or not isinstance(pattern, str) or flags & re.DEBUG:
        return re.compile(pattern, flags)
    table = _table()
    entry = table.entries().get((pattern, flags))
    if entry is not None:
        try:
            return _sre.compile(pattern, *entry)
        except Exception:                          # a damaged or foreign entry: compile as usual
            pass
    compiled = re.compile(pattern, flags)
    if table.enabled:
        try:
            entry = _assembled(pattern, flags)
            built = _sre.compile(pattern, *entry)
        except Exception:
            return compiled
        if built == compiled:                      # same flags and opcodes (Pattern equality)
            table.add((pattern, flags), entry)
    return compiled
