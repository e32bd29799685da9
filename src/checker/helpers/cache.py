"""The user cache: two folders under ``$XDG_CACHE_HOME/fazhi-lint`` (default ``~/.cache/fazhi-lint``),
and nothing else is written to disk.

* ``rules/``: the YAML parse of each rule file and lexicon (``helpers/yamlio.py``), keyed on the
  file's bytes, fazhi-lint's version, PyYAML's version and the loader;
* ``jieba/``: the words of clauses already segmented and the dictionary's total frequency
  (``checks/segmenter.py``), keyed on jieba's version, its dictionary's bytes and fazhi-lint's version.

An entry is ``marshal`` data of plain values (str, bytes, int, float, bool, None, and lists,
tuples and dicts of them); never pickle, and a value holding anything else (code) is not read back.
The folders are made with mode 0700. Every read checks that the cache folder, the sub-folder and
the file are not symbolic links, belong to the current user and are writable by no one else; an
entry that fails is ignored (a miss), and nothing is written into a folder that fails. The key is
a hash of everything the value depends on, content included, so an entry another user could plant
under a name computed from public inputs is never trusted unless it is ours (the owner check).
``FAZHI_LINT_NO_CACHE=1`` turns both off; deleting the folder is always safe.
"""
from __future__ import annotations

import hashlib
import os
import stat

FOLDERS = ("rules", "jieba")
MAX_FILES = 256           # per folder: each edit of a rule file or new version adds an entry


def root():
    """``$XDG_CACHE_HOME/fazhi-lint`` (or ``~/.cache/fazhi-lint``); None when caching is off."""
    if os.environ.get("FAZHI_LINT_NO_CACHE") == "1":
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "fazhi-lint")


def digest(*parts) -> str:
    """A hex key for a sequence of strings, bytes or numbers."""
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        h.update(b"%d:" % len(data))
        h.update(data)
    return h.hexdigest()[:40]


def installed_version(init_file: str) -> str:
    """The ``__version__ = "…"`` a package's ``__init__.py`` sets, read without importing it
    (PyYAML ≈10 ms, jieba ≈70 ms): part of a cache key. "?" when there is none."""
    import re

    with open(init_file, encoding="utf-8") as handle:
        found = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)['\"]", handle.read(), re.M)
    return found.group(1) if found else "?"


def _ours(st, kind) -> bool:
    """``st`` (from lstat/fstat) is of ``kind`` (S_ISDIR / S_ISREG), owned by this user, and no one
    else may write to it."""
    owner_ok = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return kind(st.st_mode) and owner_ok and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _folder(name: str, create: bool):
    """The sub-folder ``name`` when it and the cache folder are ours (made, mode 0700, if ``create``);
    otherwise None."""
    if name not in FOLDERS:
        raise ValueError(f"unknown cache folder {name!r}")
    top = root()
    if top is None:
        return None
    path = os.path.join(top, name)
    for folder in (top, path):
        if create:
            try:
                if folder == top:
                    os.makedirs(os.path.dirname(top), exist_ok=True)
                os.mkdir(folder, 0o700)
            except FileExistsError:
                pass
            except OSError:
                return None
        try:
            if not _ours(os.lstat(folder), stat.S_ISDIR):
                return None
        except OSError:
            return None
    return path


_PLAIN = (str, bytes, int, float, bool, type(None))


def plain(value) -> bool:
    """True when ``value`` holds nothing but plain values (no code object, no other type)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind in _PLAIN:
            continue
        if kind is dict:
            stack.extend(item.keys())
            stack.extend(item.values())
        elif kind is list or kind is tuple:
            stack.extend(item)
        else:
            return False
    return True


def read(name: str, *key_parts):
    """The value stored under ``key_parts`` in folder ``name``, or None (none, not ours, damaged)."""
    import marshal

    folder = _folder(name, create=False)
    if folder is None:
        return None
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(os.path.join(folder, digest(*key_parts)), flags)
    except OSError:
        return None
    try:
        if not _ours(os.fstat(handle), stat.S_ISREG):
            return None
        with os.fdopen(handle, "rb", closefd=False) as stream:
            blob = stream.read()
        value = marshal.loads(blob)      # marshal.load(stream) reads item by item: far slower
    except (OSError, EOFError, ValueError, TypeError):
        return None
    finally:
        os.close(handle)
    return value if plain(value) else None


def write(name: str, value, *key_parts) -> bool:
    """Store ``value`` (plain values only) under ``key_parts``; a reader never sees half a file.
    False when it could not be written (a cache that cannot be written is only slower)."""
    import marshal

    from .files import replaced_atomically

    folder = _folder(name, create=True)
    if folder is None or not plain(value):
        return False
    try:
        blob = marshal.dumps(value)
        with replaced_atomically(os.path.join(folder, digest(*key_parts)), prefix=".") as (handle, _):
            with os.fdopen(handle, "wb") as out:     # mkstemp made it 0600
                out.write(blob)
    except (OSError, ValueError):
        return False
    _prune(folder)
    return True


def _prune(folder: str) -> None:
    """Keep at most ``MAX_FILES`` entries in a folder, dropping the least recently written."""
    try:
        with os.scandir(folder) as entries:
            files = [e for e in entries if e.is_file(follow_symlinks=False)]
        if len(files) <= MAX_FILES:
            return
        files.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime_ns)
        for entry in files[:len(files) - MAX_FILES // 2]:
            os.unlink(entry.path)
    except OSError:
        pass
