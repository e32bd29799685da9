"""Word segmentation with jieba, paid for only by the words that are segmented.

jieba's own start-up builds a dict of its whole dictionary (≈350,000 words and ≈150,000 prefixes
of words, ``gen_pfdict``), about 0.6–0.9 s in every process. The segmenter here gives the same
words without it:

* jieba's DAG looks up only substrings of the text it cuts (and search mode the 2- and 3-character
  pieces of the words found: substrings too). A ``jieba.Tokenizer`` whose ``FREQ`` holds, for the
  substrings of the texts cut so far, exactly the entries jieba's full table has for them (a
  word's frequency, 0 for a string that is only the prefix of a word) with jieba's ``total`` cuts
  exactly the same words (``tests/test_segmenter.py``);
* those entries come from jieba's ``dict.txt``, read once per process: its lines sorted, so that
  whether a string is a word, the prefix of one, or neither is one bisect; the total frequency is
  summed in the same pass (≈0.1 s in all);
* ``import jieba`` skips ``pkg_resources`` (≈80 ms), which jieba imports only to open its
  dictionary file by package resource; jieba falls back to a plain ``open`` of the same file;
* the words of each text segmented, and the total, are kept in the user cache (``helpers/cache.py``,
  folder ``jieba``) keyed on jieba's version, the dictionary's bytes and fazhi-lint's version, so
  checking the same draft again (the clerk's loop) does not import jieba at all.

``FAZHI_LINT_NO_CACHE=1``: nothing is kept on disk; the same words.
"""
from __future__ import annotations

import bisect
import functools
import os
import re
import sys
import time

FORMAT = "1"               # of the cache entry: part of its key
MAX_REMEMBERED = 4000      # texts per mode in the cache (about the clauses of 150 reports)
MAX_TEXT = 400             # longer texts are not remembered
FLUSH_EVERY, FLUSH_SECONDS = 100, 1.0   # a forked batch worker (it ends with os._exit, no atexit)
                                        # writes back after this many new texts or seconds
_SEP = "\x1f"
_state: dict = {}          # "dictionary", "tokenizer": this process' (shared with forked workers)
_memo: dict = {}           # "pid", "key", "search"/"cut": {text: joined words}, "added", "total"


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


def _jieba_folder():
    """jieba's package folder, found without importing it; None when jieba is not installed."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("jieba")
    except (ImportError, ValueError):
        return None
    return os.path.dirname(spec.origin) if spec is not None and spec.origin else None


def dictionary_file() -> str:
    """jieba's default dictionary (``jieba/dict.txt``)."""
    return os.path.join(_jieba_folder() or "", "dict.txt")


# A dictionary in jieba's plain format: "word freq tag" lines, single spaces, no other whitespace.
_ODD_SPACE = re.compile(r"[^\S \n]|[\x00-\x09\x0b-\x1f]|^ | $|  ", re.M)


class Dictionary:
    """jieba's dictionary file, read once: its lines (UTF-8 bytes: half the memory of str, and the
    same order) sorted, the total frequency summed."""

    def __init__(self, raw: bytes, total=None):
        if total is None:
            data = raw.decode("utf-8")
            fields = data.split()
            if len(fields) != 3 * data.count("\n") + (0 if data.endswith("\n") else 3) or _ODD_SPACE.search(data):
                raise ValueError("not jieba's plain dictionary format")
            total = sum(map(int, fields[1::3]))
        lines = raw.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        lines.sort()
        self.raw, self.lines, self.total = raw, lines, total     # raw: for a repeated word (below)

    def lookup(self, s: str):
        """jieba's FREQ entry for ``s``: its frequency when it is a word (the last line naming it,
        as jieba reads the file), 0 when it only begins a word, None when it is neither."""
        lines, word = self.lines, s.encode("utf-8")
        i = bisect.bisect_left(lines, word)       # "s freq" sorts before "s…" (a space is below any byte of a word)
        if i == len(lines) or not lines[i].startswith(word):
            return None
        line = lines[i]
        if line[len(word):len(word) + 1] != b" ":
            return 0
        if i + 1 < len(lines) and lines[i + 1].startswith(word + b" "):     # the word twice: jieba keeps the last
            at = self.raw.rfind(b"\n" + word + b" ")
            if at >= 0:
                end = self.raw.find(b"\n", at + 1)
                line = self.raw[at + 1:end if end >= 0 else None]
        return int(line[len(word) + 1:].split(b" ", 1)[0])

    def fill(self, freq: dict, text: str) -> None:
        """Put into ``freq`` every entry jieba can look up while cutting ``text``."""
        n = len(text)
        for k in range(n):
            for end in range(k + 1, n + 1):
                piece = text[k:end]
                if piece in freq:
                    continue
                value = self.lookup(piece)
                if value is None:
                    break
                freq[piece] = value


def _ready():
    """This process' tokenizer (a forked worker shares its parent's)."""
    if "tokenizer" in _state:
        return _state
    from ..helpers.guard import untimed

    with untimed():                    # one-time loading is not the running rule's time
        jieba = import_jieba()
        tokenizer = jieba.Tokenizer()
        with open(dictionary_file(), "rb") as handle:
            raw = handle.read()
        try:
            dictionary = Dictionary(raw, _remembered_total(raw))
        except ValueError:             # a dictionary of another layout: jieba reads all of it
            dictionary = None
            with open(dictionary_file(), "rb") as handle:
                tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(handle)
    if dictionary is not None:
        tokenizer.FREQ, tokenizer.total = {}, dictionary.total
        _remember_total(dictionary.total)
    tokenizer.initialized = True
    _state.update(tokenizer=tokenizer, dictionary=dictionary)
    return _state


def warm_up() -> None:
    """Read the remembered words, import jieba and read its dictionary, e.g. before a batch forks
    its workers."""
    _remembered()
    _ready()


def _tokenizer_for(text: str):
    state = _ready()
    if state["dictionary"] is not None:
        state["dictionary"].fill(state["tokenizer"].FREQ, text)
    return state["tokenizer"]


# ---------------------------------------------------------------- the words remembered (cache "jieba")

def _cache_key(raw: bytes = None):
    """Everything the words depend on: jieba's version, its dictionary's bytes, fazhi-lint's version;
    None when caching is off or jieba is missing."""
    import hashlib

    from .. import __version__
    from ..helpers import cache

    folder = _jieba_folder()
    if cache.root() is None or folder is None:
        return None
    try:
        if raw is None:
            with open(os.path.join(folder, "dict.txt"), "rb") as handle:
                raw = handle.read()
        version = cache.installed_version(os.path.join(folder, "__init__.py"))
    except OSError:
        return None
    return ("jieba-words", FORMAT, __version__, version, hashlib.sha256(raw).hexdigest())


def _remembered() -> dict:
    """This process' table of remembered words, read from the cache on first use."""
    if _memo.get("pid") == os.getpid() or ("pid" in _memo and _memo["key"] is None):
        return _memo
    if "pid" in _memo:                 # forked: the parent's table, written back from here on
        _memo.update(pid=os.getpid(), added=0)
        return _memo
    from ..helpers import cache

    key = _cache_key()
    entry = cache.read("jieba", *key) if key else None
    entry = entry if type(entry) is dict else {}
    tables = [entry.get(mode) if type(entry.get(mode)) is dict else {} for mode in ("search", "cut")]
    total = entry.get("total") if type(entry.get("total")) is int else None
    _memo.update(pid=os.getpid(), main=os.getpid(), key=key, search=tables[0], cut=tables[1], total=total,
                 added=0, saving=False, since=0.0)
    return _memo


def _remembered_total(raw: bytes):
    memo = _remembered()
    return memo["total"] if memo["key"] is not None and memo["key"] == _cache_key(raw) else None


def _remember_total(total: int) -> None:
    memo = _remembered()
    if memo["key"] is not None and memo["total"] != total:
        memo["total"] = total
        _note_added(memo)


def _note_added(memo) -> None:
    memo["added"] += 1
    if memo["pid"] == memo["main"]:
        if not memo["saving"]:
            import atexit

            memo["saving"] = True
            atexit.register(save)
    else:
        if memo["added"] == 1:
            memo["since"] = time.monotonic()
        _flush_in_worker(memo)


def _flush_in_worker(memo) -> None:
    """In a forked batch worker: write back once enough is new (the texts of its last second are
    lost when the batch ends: a cache, only slower next time)."""
    if memo["added"] >= FLUSH_EVERY or (memo["added"] and time.monotonic() - memo["since"] >= FLUSH_SECONDS):
        save()


def save() -> None:
    """Write the words remembered in this process back to the cache, merged with what another
    process wrote meanwhile; the newest ``MAX_REMEMBERED`` texts per mode are kept."""
    from ..helpers import cache

    memo = _memo
    if not memo.get("added") or memo.get("key") is None or cache.root() is None:
        return
    on_disk = cache.read("jieba", *memo["key"])
    on_disk = on_disk if type(on_disk) is dict else {}
    entry = {"total": memo["total"]}
    for mode in ("search", "cut"):
        merged = on_disk.get(mode) if type(on_disk.get(mode)) is dict else {}
        merged = {**merged, **memo[mode]}
        if len(merged) > MAX_REMEMBERED:
            merged = dict(list(merged.items())[-MAX_REMEMBERED:])
        entry[mode] = merged
    if cache.write("jieba", entry, *memo["key"]):
        memo["added"] = 0


def _words(mode: str, text: str, segment) -> list:
    """``segment(text)``, or the words remembered from an earlier run."""
    memo = _remembered()
    if memo["added"] and memo["pid"] != memo.get("main"):
        _flush_in_worker(memo)
    table = memo[mode] if memo["key"] is not None and len(text) <= MAX_TEXT and _SEP not in text else None
    if table is not None:
        joined = table.get(text)
        if type(joined) is str:
            return joined.split(_SEP) if joined else []
    words = segment(text)
    if table is not None and all(_SEP not in w for w in words):
        table[text] = _SEP.join(words)
        _note_added(memo)
    return words


def search_words(text: str) -> list:
    """``jieba.cut_for_search(text)`` with the default dictionary, as a list."""
    return _words("search", text, lambda t: list(_tokenizer_for(t).cut_for_search(t)))


def cut_words(text: str) -> list:
    """``jieba.lcut(text)`` (accurate mode, HMM on) with the default dictionary."""
    return _words("cut", text, lambda t: _tokenizer_for(t).lcut(t))


class IdfTable:
    """jieba's inverse-document-frequency table (jieba/analyse/idf.txt): its lines as UTF-8 bytes,
    sorted, looked up by bisection (about 20 MB where a dict of str would take some 60 MB)."""

    def __init__(self, raw: bytes = b""):
        lines = raw.split(b"\n")
        lines.sort()
        self.lines = [line for line in lines if line]

    def get(self, word: str, default=None):
        """The value written for ``word`` (a str), else ``default``."""
        key = word.encode("utf-8") + b" "
        i = bisect.bisect_left(self.lines, key)
        if i < len(self.lines) and self.lines[i].startswith(key):
            return self.lines[i][len(key):].strip().decode("ascii", "replace")
        return default


@functools.lru_cache(maxsize=1)
def background_idf() -> IdfTable:
    """jieba's inverse document frequencies over a general Chinese corpus (jieba/analyse/idf.txt,
    shipped with jieba): how telling a word is in general. 行政 (6.1), 服务 (5.3) and 社会 (4.5) say
    little; 复议 (10.3) and 法律顾问 (10.4) say what the work is. Read once per process (≈0.1 s;
    jieba itself is not imported); nothing is kept on disk."""
    folder = _jieba_folder()
    try:
        with open(os.path.join(folder, "analyse", "idf.txt"), "rb") as handle:
            return IdfTable(handle.read())
    except (OSError, TypeError, ValueError):
        return IdfTable()


def general_idf(term: str, unknown: float) -> float:
    """jieba's inverse document frequency of ``term`` (a word of 2 to 6 characters); ``unknown`` for a
    word its table lacks (a domain compound such as 质效, or a splinter)."""
    value = background_idf().get(term) if 2 <= len(term) <= 6 else None
    try:
        return float(value) if value is not None else unknown
    except ValueError:
        return unknown
