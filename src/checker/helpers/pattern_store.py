"""Rule pattern sources known to compile, remembered per install so start-up can skip compiling.

Compiling a pattern with ``regex`` is mostly pure Python (about 0.2 ms each, 130 patterns in the
national pack); a run uses only some of them (most wrong-term patterns have literal prefixes that a
report does not contain). A source that compiled before, under the same ``regex`` version and the
same ``{N}`` expansion, is compiled on first use instead (``patterns.LazyPattern``); a new source
is compiled at once, so a broken pattern in a rule file is still reported at load with its
``file:line``. The file lives in the user cache folder (``helpers/cache.py``) and holds only
strings (``marshal``); FAZHI_LINT_NO_CACHE=1 turns it off (everything compiles at once).
"""
from __future__ import annotations

_STATE: dict = {}          # "path": file or None, "known": set of sources, "added": bool


def _load() -> dict:
    if _STATE:
        return _STATE
    import marshal
    import os

    import regex

    from ..numbers import NUMBER
    from .cache import cache_dir, digest

    folder = cache_dir("patterns")
    path = os.path.join(folder, digest("compiled-ok", regex.__version__, NUMBER, "1")) if folder else None
    known = set()
    if path:
        try:
            with open(path, "rb") as handle:
                loaded = marshal.load(handle)
            if isinstance(loaded, (set, frozenset)) and all(isinstance(s, str) for s in loaded):
                known = set(loaded)
        except (OSError, EOFError, ValueError, TypeError):
            pass
    _STATE.update(path=path, known=known, added=False)
    return _STATE


def compiled_before(source: str) -> bool:
    """True when ``source`` (after the ``{N}`` expansion) compiled without error in an earlier run."""
    state = _load()
    return state["path"] is not None and source in state["known"]


def remember(source: str) -> None:
    """Note a source that compiled; the set is written once, when the process exits."""
    state = _load()
    if state["path"] is None or source in state["known"]:
        return
    state["known"].add(source)
    if not state["added"]:
        import atexit

        state["added"] = True
        atexit.register(_save)


def _save() -> None:
    import marshal
    import os

    from .cache import write_atomic

    state = _STATE
    if not state.get("path"):
        return
    known = set(state["known"])
    try:                                   # keep what another process added meanwhile
        with open(state["path"], "rb") as handle:
            other = marshal.load(handle)
        if isinstance(other, (set, frozenset)):
            known |= {s for s in other if isinstance(s, str)}
    except (OSError, EOFError, ValueError, TypeError):
        pass
    if os.environ.get("FAZHI_LINT_NO_CACHE") != "1":
        write_atomic(state["path"], marshal.dumps(known))
