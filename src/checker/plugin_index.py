"""The installed entry points of one group, found once and remembered.

``importlib.metadata`` reads every distribution on ``sys.path`` (and costs ≈25 ms of imports) at
every start. The entry points it finds for our group are kept in the user cache, keyed on the
``*.dist-info`` / ``*.egg-info`` folders on ``sys.path`` and their modification times: installing,
upgrading or removing a distribution adds, renames, removes or rewrites one of them, so the key
changes exactly when the installed distributions do. (The project's caches otherwise key on content
hashes; here there is no content to hash short of the scan the cache replaces.)
FAZHI_LINT_NO_CACHE=1 scans every time.
"""
from __future__ import annotations

import importlib
import os
import sys
from typing import NamedTuple

_FORMAT = 1


class FoundEntryPoint(NamedTuple):
    name: str
    value: str              # "module:attribute"
    dist_name: str
    dist_version: str

    def load(self):
        """Import the object the entry point names (as ``importlib.metadata.EntryPoint.load``)."""
        module_name, _, attribute = self.value.partition(":")
        target = importlib.import_module(module_name.strip())
        attribute = attribute.split("[", 1)[0].strip()        # "[extra]" markers name no object
        for part in filter(None, attribute.split(".")):
            target = getattr(target, part)
        return target


def _scan(group: str) -> list:
    from importlib.metadata import entry_points

    found = []
    for ep in entry_points(group=group):
        dist = getattr(ep, "dist", None)
        found.append(FoundEntryPoint(ep.name, ep.value, dist.metadata["Name"] if dist is not None else "",
                                     dist.version if dist is not None else ""))
    return found


_METADATA_SUFFIXES = (".dist-info", ".egg-info", ".egg-link")


def _key(group: str) -> str:
    """The installed distributions as importlib.metadata would find them: every ``*.dist-info``
    (``.egg-info``) folder on ``sys.path``, with its modification time. Other files in those
    folders (a report written into the working folder) do not change the key."""
    from .helpers.cache import digest

    stamps = []
    for folder in sys.path:
        try:
            with os.scandir(folder or ".") as entries:
                for entry in entries:
                    if entry.name.endswith(_METADATA_SUFFIXES):
                        stamps.append(f"{folder}/{entry.name}\0{entry.stat().st_mtime_ns}")
        except OSError:
            continue
    return digest(_FORMAT, group, sys.version, *sorted(stamps))


def _prune(folder: str, keep: int = 32) -> None:
    """Keep the cache folder small: the ``keep`` newest entries (each install makes a new key)."""
    try:
        with os.scandir(folder) as entries:
            files = sorted((e for e in entries if e.is_file()), key=lambda e: e.stat().st_mtime_ns, reverse=True)
        for entry in files[keep:]:
            os.unlink(entry.path)
    except OSError:
        pass


def entry_points(group: str) -> list:
    """The group's entry points, as ``FoundEntryPoint`` records, in ``importlib.metadata`` order."""
    import marshal

    from .helpers.cache import cache_dir, write_atomic

    folder = cache_dir("entry-points")
    path = os.path.join(folder, _key(group)) if folder else None
    if path:
        try:
            with open(path, "rb") as handle:
                return [FoundEntryPoint(*row) for row in marshal.load(handle)]
        except (OSError, EOFError, ValueError, TypeError):
            pass
    found = _scan(group)
    if path:
        write_atomic(path, marshal.dumps([tuple(ep) for ep in found]))
        _prune(folder)
    return found
