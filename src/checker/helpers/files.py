"""Replacing a file so that no reader ever sees half of it."""
from __future__ import annotations

import contextlib
import os
import tempfile


@contextlib.contextmanager
def replaced_atomically(path: str, prefix: str = "", suffix: str = ".tmp"):
    """``with replaced_atomically(path) as (fd, temp):`` write ``temp`` (``fd`` is open on it); when the
    block ends normally ``temp`` is renamed over ``path`` in one step, when it raises ``temp`` is removed.
    The temporary file is made in ``path``'s folder (a rename across file systems is not atomic)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)
    try:
        yield handle, temp
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
