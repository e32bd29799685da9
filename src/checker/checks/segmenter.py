"""Word segmentation with jieba, paid for only by the words that are segmented.

jieba's own start-up reads its whole dictionary (≈350,000 words, ≈500,000 entries with the
prefixes it adds) into a dict: about 0.6 s from its cache, 1.7 s without, in every process. The
segmenter here gives the same words without that:

* the dictionary (jieba's ``FREQ`` table and ``total``) is written once per installed jieba into
  an SQLite file in the user's cache folder (``$XDG_CACHE_HOME/fazhi-lint/segmenter`` or
  ``~/.cache/fazhi-lint/segmenter``; ≈3 s, the first time a report needs it), never a shared
  /tmp file (jieba's own cache is ``/tmp/jieba.cache``);
* each text to segment fetches only the dictionary entries for its own substrings into a
  ``jieba.Tokenizer`` of its own, then jieba segments it as usual. jieba looks up only substrings
  of the text it cuts, and the table holds every prefix of every word, so fetching a substring
  when its one-shorter prefix is present is exactly the set of lookups jieba can make: the words
  are the same as with the full dictionary loaded;
* ``import jieba`` skips ``pkg_resources`` (≈80 ms), which jieba imports only to open its
  dictionary file by package resource; jieba falls back to a plain ``open`` of the same file;
* the words of each text segmented are remembered in a second table in the same folder, so that
  checking the same draft again (the clerk's loop) does not import jieba at all.

When the cache folder cannot be written, or FAZHI_LINT_NO_CACHE=1, the full dictionary is read
into memory instead (slow, same words; nothing written anywhere).
"""
from __future__ import annotations

import os
import sys

SCHEMA = 1
_state: dict = {}        # "tokenizer", "db" (sqlite3 connection or None), "path", "pid", "absent"


def import_jieba():
    """``import jieba`` without pkg_resources (jieba then opens its dictionary with ``open``)."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None       # makes "import pkg_resources" raise ImportError
    try:
        import logging

        import jieba
        jieba.setLogLevel(logging.WARNING)
    finally:
        if blocked and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


def _dictionary_file(jieba) -> str:
    return os.path.join(os.path.dirname(os.path.abspath(jieba.__file__)), jieba.DEFAULT_DICT_NAME)


def _database_path(jieba):
    """Where this jieba's dictionary table is kept. The key is jieba's version and the dictionary
    file's size and modification time, not a hash of its content: hashing 5 MB at every start
    would cost what the table saves, and the file belongs to an installed package, replaced
    (new mtime) whenever the package is."""
    from ..helpers.cache import cache_dir, ensure_private

    folder = cache_dir("segmenter")
    if folder is None or not ensure_private(folder):
        return None
    try:
        st = os.stat(_dictionary_file(jieba))
    except OSError:
        return None
    return os.path.join(folder, f"jieba-{jieba.__version__}-{st.st_size}-{st.st_mtime_ns}-v{SCHEMA}.sqlite3")


def _build_database(jieba, path: str) -> None:
    """Write jieba's FREQ table and total to ``path`` (a temporary file renamed into place, so
    processes building it at the same time never see half a file)."""
    import sqlite3

    from ..helpers.files import replaced_atomically

    tokenizer = jieba.Tokenizer()
    with open(_dictionary_file(jieba), "rb") as handle:
        freq, total = tokenizer.gen_pfdict(handle)
    with replaced_atomically(path, suffix=".building") as (handle, temp):
        os.close(handle)
        db = sqlite3.connect(temp)
        with db:
            db.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
            db.executemany("INSERT INTO freq VALUES (?, ?)", freq.items())
            db.execute("INSERT INTO meta VALUES ('total', ?)", (total,))
        db.close()


def _open(jieba):
    """(connection, total, path) of the dictionary database, built if needed; None when unusable."""
    import sqlite3

    path = _database_path(jieba)
    if path is None:
        return None
    try:
        if not os.path.exists(path):
            _build_database(jieba, path)
        db = sqlite3.connect(path, check_same_thread=False)
        total = db.execute("SELECT value FROM meta WHERE key = 'total'").fetchone()[0]
        return db, total, path
    except (OSError, sqlite3.Error, TypeError):
        return None


def _ready():
    """This process' tokenizer (a forked worker opens its own database connection)."""
    if _state.get("pid") == os.getpid():
        return _state
    if _state.get("db") is not None:           # forked: the same table, a connection of our own
        import sqlite3

        _state["db"] = sqlite3.connect(_state["path"], check_same_thread=False)
        _state["pid"] = os.getpid()
        return _state
    if _state:                                 # forked with the whole dictionary in memory: shared
        _state["pid"] = os.getpid()
        return _state
    from ..helpers.guard import untimed

    with untimed():                    # one-time loading is not the running rule's time
        jieba = import_jieba()
        tokenizer = jieba.Tokenizer()
        opened = _open(jieba)
        if opened is None:             # no cache: the whole dictionary in memory, as jieba does
            with open(_dictionary_file(jieba), "rb") as handle:
                tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(handle)
    if opened is None:
        db = path = None
    else:
        db, tokenizer.total, path = opened
        tokenizer.FREQ = {}
    tokenizer.initialized = True
    _state.update(pid=os.getpid(), tokenizer=tokenizer, db=db, path=path, absent=set())
    return _state


def _fetch(state, text: str) -> None:
    """Put every dictionary entry jieba can look up while cutting ``text`` into the tokenizer's FREQ."""
    db, known, absent = state["db"], state["tokenizer"].FREQ, state["absent"]
    n = len(text)
    starts = range(n)
    length = 1
    while starts:
        wanted = {text[i:i + length] for i in starts if i + length <= n}
        missing = [w for w in wanted if w not in known and w not in absent]
        for chunk in range(0, len(missing), 500):
            part = missing[chunk:chunk + 500]
            rows = db.execute(f"SELECT word, freq FROM freq WHERE word IN ({','.join('?' * len(part))})", part)
            found = dict(rows.fetchall())
            known.update(found)
            absent.update(w for w in part if w not in found)
        starts = [i for i in starts if i + length <= n and text[i:i + length] in known]
        length += 1


def warm_up() -> None:
    """Import jieba and open (or build) the dictionary, e.g. before a batch forks its workers."""
    _ready()


def _tokenizer_for(text: str):
    state = _ready()
    if state["db"] is not None:
        _fetch(state, text)
    return state["tokenizer"]


_SEP = "\x1f"
_memo_state: dict = {}       # "pid", "db" (sqlite3 connection or None)


def _memo():
    """The per-user table of texts already segmented, or None. It is named after jieba's files
    (found without importing jieba), so another jieba or dictionary starts a new table."""
    if _memo_state.get("pid") == os.getpid():
        return _memo_state["db"]
    _memo_state.update(pid=os.getpid(), db=None)
    import importlib.util

    from ..helpers.cache import cache_dir, digest

    folder = cache_dir("segmenter")
    spec = importlib.util.find_spec("jieba") if folder else None
    if spec is None or not spec.origin:
        return None
    try:
        import sqlite3

        here = os.path.dirname(spec.origin)
        stamp = digest(*(f"{name}:{st.st_size}:{st.st_mtime_ns}" for name in ("__init__.py", "dict.txt")
                         for st in [os.stat(os.path.join(here, name))]))
        os.makedirs(folder, exist_ok=True)
        db = sqlite3.connect(os.path.join(folder, f"memo-{stamp}-v{SCHEMA}.sqlite3"), timeout=0.05,
                             isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA synchronous = OFF")      # a cache: losing the last rows in a crash is harmless
        db.execute("CREATE TABLE IF NOT EXISTS cut (mode TEXT, text TEXT, words TEXT, PRIMARY KEY (mode, text))"
                   " WITHOUT ROWID")
    except (OSError, sqlite3.Error):
        return None
    _memo_state["db"] = db
    return db


def _remembered(mode: str, text: str, segment) -> list:
    """``segment(text)``, or the words remembered from an earlier run: a clerk checks the same draft
    again and again, and a report whose clauses were all segmented before never imports jieba."""
    db = _memo() if len(text) <= 400 and _SEP not in text else None
    if db is not None:
        import sqlite3

        try:
            row = db.execute("SELECT words FROM cut WHERE mode = ? AND text = ?", (mode, text)).fetchone()
            if row is not None:
                return row[0].split(_SEP) if row[0] else []
        except sqlite3.Error:
            db = None
    words = segment(text)
    if db is not None:
        try:
            db.execute("INSERT OR IGNORE INTO cut VALUES (?, ?, ?)", (mode, text, _SEP.join(words)))
        except sqlite3.Error:      # another process holds the lock: remember it next time
            pass
    return words


def search_words(text: str) -> list:
    """``jieba.cut_for_search(text)`` with the default dictionary, as a list."""
    return _remembered("search", text, lambda t: list(_tokenizer_for(t).cut_for_search(t)))


def cut_words(text: str) -> list:
    """``jieba.lcut(text)`` (accurate mode, HMM on) with the default dictionary."""
    return _remembered("cut", text, lambda t: _tokenizer_for(t).lcut(t))
