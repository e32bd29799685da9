"""Writing a fixed report back without losing anything that is not ours to change.

- **Changed since it was read.** The report is read once more just before the rename (or the write
  in place) and must still be exactly the bytes the fixes were made from, with the same inode,
  size and time; otherwise nothing is written and the file is named (a unit still editing it, a
  program appending to it: their lines are not lost).
- **Symbolic links** are kept: the file they point to is fixed, the link stays a link.
- **Hard links** are kept: a file with several names is rewritten in place (same inode), every
  name sees the fix; the bytes are checked first and put back if the write fails.
- **Read-only files** (no write permission bit, e.g. 0444) are reported, not rewritten, whoever
  runs the tool (root included).
- **Temporary files** are named ``.<name>.fazhi-fix-<pid>-<random>`` and opened with ``O_EXCL``;
  before a file is fixed, such leftovers of that file from a run that was killed (``kill -9``: its
  process no longer exists) are removed, if they are regular files of the same owner.
"""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time

from ..errors import FixError

TEMP_MARK = ".fazhi-fix-"
# Temporary names (ours: a pid that tells whether the run still goes on; older releases': mkstemp's
# random names, without a pid, whose age alone tells) of --fix and of outputs (outputs.targets).
LEFTOVERS = (re.compile(r"^\.(?P<name>.+)\.fazhi-fix-(?P<pid>\d+)-[0-9a-f]{16}$"),
             re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.fazhi-fix$"),
             re.compile(r"^\.(?P<name>.+)\.fazhi-lint-tmp-(?P<pid>\d+)-[0-9a-f]{16}$"),
             re.compile(r"^(?P<name>.+)\.fazhi-lint-tmp(?P<pid>\d+)$"))
OLD_LEFTOVER_AGE = 3600.0      # seconds: an old-style leftover has no pid, only its age tells


def write_fixed(path: str, new: bytes, old: bytes) -> None:
    """Replace the report at ``path`` (its bytes were ``old`` when the fixes were planned) by ``new``;
    FixError says why not."""
    target = os.path.realpath(path)                       # a link is kept: its target is fixed
    try:
        before = os.stat(target)
    except OSError as exc:
        raise FixError(f"无法写回：{exc.strerror or exc}") from None
    if not stat.S_ISREG(before.st_mode):
        raise FixError("不是普通文件，未修改")
    if stat.S_IMODE(before.st_mode) & 0o222 == 0:
        raise FixError(f"文件是只读的（权限 {stat.S_IMODE(before.st_mode):04o}），未修改；需要修复请先取消只读")
    remove_leftovers(target)
    try:
        if before.st_nlink > 1:
            _write_in_place(target, new, old, before)
        else:
            _replace(target, new, old, before)
    except OSError as exc:
        raise FixError(f"无法写回：{exc.strerror or exc}") from None


def _unchanged(target: str, old: bytes, before) -> None:
    """FixError unless ``target`` is still the file (inode, size, time) and the bytes it was."""
    try:
        now = os.stat(target)
        with open(target, "rb") as handle:
            current = handle.read(len(old) + 1)
    except OSError as exc:
        raise FixError(f"无法再次读取：{exc.strerror or exc}") from None
    same = (now.st_ino, now.st_dev, now.st_size, now.st_mtime_ns) == \
        (before.st_ino, before.st_dev, before.st_size, before.st_mtime_ns)
    if not same or current != old:
        raise FixError("文件在检查之后被修改过（仍在编辑或被其他程序写入），为免丢失内容未修改；请稍后重新运行 --fix")


def _replace(target: str, new: bytes, old: bytes, before) -> None:
    folder, name = os.path.split(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    temp = os.path.join(folder, f".{name[:100]}{TEMP_MARK}{os.getpid()}-{secrets.token_hex(8)}")
    handle = os.open(temp, flags, 0o600)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(new)
            out.flush()
            os.fsync(out.fileno())
            os.fchmod(out.fileno(), stat.S_IMODE(before.st_mode))
            with contextlib.suppress(OSError):               # the owner stays the report's (root fixing a unit's file)
                os.fchown(out.fileno(), before.st_uid, before.st_gid)
        _unchanged(target, old, before)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _write_in_place(target: str, new: bytes, old: bytes, before) -> None:
    """A file with several hard links keeps its inode: the new bytes are written into it."""
    handle = os.open(target, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        _unchanged(target, old, before)
        try:
            _overwrite(handle, new)
        except BaseException:
            _overwrite(handle, old)                       # put the report back as it was
            raise
    finally:
        os.close(handle)


def _overwrite(handle: int, data: bytes) -> None:
    os.lseek(handle, 0, os.SEEK_SET)
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view):]
    os.ftruncate(handle, len(data))
    os.fsync(handle)


def remove_leftovers(target: str) -> int:
    """Remove the temporary files that runs killed while writing into ``target``'s folder left behind
    (``--fix`` and outputs: ``.NAME.fazhi-fix-PID-RANDOM``, ``.NAME.fazhi-lint-tmp-PID-RANDOM`` and the
    older names): a pid that no longer runs (or, named the old way, older than an hour), a regular file
    with one link, owned by whoever runs this. Returns how many were removed."""
    folder = os.path.dirname(target)
    removed = 0
    try:
        entries = os.listdir(folder or ".")
    except OSError:
        return 0
    for entry in entries:
        found = next((m for m in (p.match(entry) for p in LEFTOVERS) if m), None)
        if not found:
            continue
        full = os.path.join(folder, entry)
        try:
            st = os.lstat(full)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1 or st.st_uid != os.geteuid():
            continue
        pid = found.groupdict().get("pid")
        if _alive(int(pid)) if pid is not None else time.time() - st.st_mtime < OLD_LEFTOVER_AGE:
            continue
        with contextlib.suppress(OSError):
            os.unlink(full)
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:                 # it exists, owned by someone else
        return True
    return True
