"""The user cache folder (``$XDG_CACHE_HOME/fazhi-lint`` or ``~/.cache/fazhi-lint``).

What is cached must be keyed on everything that can change it: callers build their key from
content hashes, never from a path or a modification time. ``FAZHI_LINT_NO_CACHE=1`` turns every
cache off (``cache_dir`` returns None).
"""
from __future__ import annotations

import hashlib
import os
import stat


def cache_dir(name: str):
    """The folder for one cache (not created here), or None when caching is off."""
    if os.environ.get("FAZHI_LINT_NO_CACHE") == "1":
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "fazhi-lint", name)


def digest(*parts) -> str:
    """A short hex key for a sequence of strings or bytes."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:32]


def write_atomic(path: str, blob: bytes) -> None:
    """Write a cache entry so that a reader never sees half of it; failures are ignored (a cache
    that cannot be written is only slower)."""
    from .files import replaced_atomically

    try:
        with replaced_atomically(path) as (handle, _):
            with os.fdopen(handle, "wb") as out:
                out.write(blob)
    except OSError:
        pass


def _private(path: str) -> bool:
    """A real folder (not a symlink) owned by this user that no one else can write to."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    owner_ok = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return stat.S_ISDIR(st.st_mode) and owner_ok and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def ensure_private(folder: str) -> bool:
    """Create ``folder`` with mode 0700 if needed; True when it is a real folder (not a symlink)
    owned by this user that no one else can write to. A cache that a third-party library reads
    back (jieba's dictionary) must live only in such a folder: in a shared ``/tmp`` file another
    user's copy makes the run fail, and any local user could plant a poisoned dictionary."""
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return False
    return _private(folder)


class RememberedTable:
    """A small table of plain values (``marshal``: strings, numbers, tuples, lists, dicts) kept in one
    cache file, read once per process and written back once, at exit, when something was added (merged
    with what another process wrote meanwhile). ``key_parts`` name everything the entries depend on.
    At most ``MAX_ENTRIES`` are kept: a caller that keeps adding new keys cannot grow the file (and
    every start-up's read) without bound."""

    MAX_ENTRIES = 2000

    def __init__(self, folder_name: str, *key_parts):
        self._folder_name, self._key_parts = folder_name, key_parts
        self._path, self._entries, self._added = None, None, False

    def entries(self) -> dict:
        if self._entries is None:
            folder = cache_dir(self._folder_name)
            self._path = os.path.join(folder, digest(*self._key_parts)) if folder else None
            self._entries = self._read() if self._path else {}
        return self._entries

    @property
    def enabled(self) -> bool:
        self.entries()
        return self._path is not None

    def add(self, key, value) -> None:
        entries = self.entries()
        if self._path is None or entries.get(key) == value or len(entries) >= self.MAX_ENTRIES:
            return
        entries[key] = value
        if not self._added:
            import atexit

            self._added = True
            atexit.register(self.save)

    def _read(self) -> dict:
        import marshal

        try:
            with open(self._path, "rb") as handle:
                loaded = marshal.loads(handle.read())   # marshal.load(handle) reads item by item: 20x slower
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def save(self) -> None:
        import marshal

        if not self._path or os.environ.get("FAZHI_LINT_NO_CACHE") == "1":
            return
        merged = {**self._read(), **self._entries}
        if len(merged) > self.MAX_ENTRIES:
            merged = self._entries
        try:
            blob = marshal.dumps(merged)
        except ValueError:
            return
        write_atomic(self._path, blob)
