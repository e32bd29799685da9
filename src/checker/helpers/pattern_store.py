"""Rule pattern sources known to compile, remembered per install so start-up can skip compiling.

Compiling a pattern with ``regex`` is mostly pure Python (about 0.2 ms each, 130 patterns in the
national pack); a run uses only some of them (most wrong-term patterns have literal prefixes that a
report does not contain). A source that compiled before, under the same ``regex`` version and the
same ``{N}`` expansion, is compiled on first use instead (``patterns.LazyPattern``); a new source
is compiled at once, so a broken pattern in a rule file is still reported at load with its
``file:line``. The table lives in the user cache folder (``helpers/cache.py``) and holds only
strings; FAZHI_LINT_NO_CACHE=1 turns it off (everything compiles at once).
"""
from __future__ import annotations

_STATE: dict = {}          # "table": the RememberedTable of this process


def _table():
    if "table" not in _STATE:
        import regex

        from ..numbers import NUMBER
        from .cache import RememberedTable

        _STATE["table"] = RememberedTable("patterns", "compiled-ok", regex.__version__, NUMBER, "2")
    return _STATE["table"]


def compiled_before(source: str) -> bool:
    """True when ``source`` (after the ``{N}`` expansion) compiled without error in an earlier run."""
    return _table().entries().get(source) is True


def remember(source: str) -> None:
    """Note a source that compiled; the table is written once, when the process exits."""
    _table().add(source, True)


def _save() -> None:
    _table().save()
