"""The user cache folder (``$XDG_CACHE_HOME/fazhi-lint`` or ``~/.cache/fazhi-lint``).

What is cached must be keyed on everything that can change it: callers build their key from
content hashes, never from a path or a modification time. ``FAZHI_LINT_NO_CACHE=1`` turns every
cache off (``cache_dir`` returns None).
"""
from __future__ import annotations

import hashlib
import os


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
