"""Which files a run checks: paths and folders expanded into inputs, everything else listed as
skipped with its reason (never a silent skip).

- a folder is walked (sorted, hidden files and folders left out); every file whose extension a
  reader handles is an input, any other file is skipped with “不支持的格式”;
- ``--include``/``--exclude`` globs (matched against the path relative to the folder given, and
  against the file name) narrow the walk; what they leave out is the user's choice, not listed;
- a .zip of reports is opened (with the zip-bomb limits of ``readers.base``) and each member is an
  input shown as ``inbox.zip!member.docx``; members that share a name are each refused with the
  reason (exit 2), never one read twice and the other not at all;
- a sub-folder that cannot be listed is named with the reason and makes the exit code 2 (its
  reports were not checked: no silent pass);
- only regular files are read: a FIFO, a device (/dev/zero, /dev/urandom) or a socket is skipped
  with the reason, so a FIFO in a folder cannot block the run;
- a symbolic link found while walking is followed only when it points inside the folder being
  walked; one pointing out of it is skipped with the reason. A path named on the command line is
  the user's own choice and is followed;
- the same file reached twice (named twice, through two paths, or through a link) is checked once;
- ``-`` is standard input, named by ``--stdin-filename`` (whose extension chooses the reader).

Reading is bounded: at most ``max_bytes + 1`` bytes are read from any input, whatever its size
claims to be. Every command reads through this module (``named_input`` for the two files of
``compare`` and ``diff``), and a run keeps the text it read (``Texts``) so that nothing after the
check reads a file again.
"""
from __future__ import annotations

import errno
import fnmatch
import os
import stat
import sys
from dataclasses import dataclass, field
from typing import Optional

from .readers import reader_table, suffix_of
from .readers.base import UnreadableInput
from .toolrules import MAX_BYTES

STDIN = "-"


@dataclass(frozen=True)
class Input:
    """One report to read: a file, a member of a zip file, or bytes read from standard input."""

    display: str                    # the path shown in every output
    path: Optional[str] = None      # the file on disk (the .zip for a member)
    member: Optional[str] = None    # the member name inside the .zip
    data: Optional[bytes] = None    # standard input, already read


@dataclass
class Collection:
    inputs: list = field(default_factory=list)
    skipped: list = field(default_factory=list)      # [(path, reason)]
    missing: list = field(default_factory=list)      # named paths that do not exist or cannot be read
    reasons: dict = field(default_factory=dict)      # why a missing path cannot be read, if it exists
    problems: list = field(default_factory=list)     # usage problems (exit 2)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISSOCK(mode):
        return "套接字"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    return "特殊文件"


def _matches(rel: str, globs) -> bool:
    name = os.path.basename(rel)
    return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in globs)


class _Collector:
    def __init__(self, suffixes, include, exclude, max_bytes):
        self.suffixes = set(suffixes)
        self.include, self.exclude, self.max_bytes = tuple(include), tuple(exclude), max_bytes
        self.out = Collection()
        self.seen = set()

    def add_file(self, path: str, shown: str, explicit: bool) -> None:
        try:
            st = os.stat(path)               # follows a link: what would be read
        except OSError as exc:
            # a dangling link in a folder is no report; a file that cannot be looked at is unread (exit 2)
            denied = exc.errno in (errno.EACCES, errno.EPERM, errno.EIO, errno.ELOOP)
            self._refuse(shown, f"无法访问：{exc.strerror or exc}", explicit or denied)
            return
        if not stat.S_ISREG(st.st_mode):
            self._refuse(shown, f"不是普通文件（{_kind(st.st_mode)}），未读取", explicit)
            return
        key = (st.st_dev, st.st_ino)
        if key in self.seen:                 # the same file through another path: checked once
            return
        suffix = suffix_of(path)
        if suffix == ".zip":
            self.seen.add(key)
            self.add_zip(path, shown)
            return
        if suffix not in self.suffixes:
            if explicit and not suffix:     # a named file without an extension is read as text
                pass
            else:
                self.out.skipped.append((shown, f"不支持的格式（{suffix or '无扩展名'}），未检查"))
                return
        self.seen.add(key)
        self.out.inputs.append(Input(display=shown, path=path))

    def _refuse(self, shown: str, reason: str, explicit: bool) -> None:
        """A file that cannot be read: skipped inside a folder; named on the command line it is an
        input error (exit 2), as a missing file is, so ``fazhi-lint /dev/zero`` cannot pass."""
        if explicit:
            self.out.missing.append(shown)
            self.out.reasons[shown] = reason
        else:
            self.out.skipped.append((shown, reason))

    def add_zip(self, path: str, shown: str) -> None:
        from .readers.archive import close_archives, open_archive

        try:
            archive = open_archive(path, self.max_bytes)
        except UnreadableInput:       # a damaged or oversized archive: reading it reports why (exit 2)
            self.out.inputs.append(Input(display=shown, path=path, member=""))
            return
        finally:
            close_archives()
        names = [i.filename for i in archive.zip.infolist() if not i.is_dir()]
        for name in sorted(set(names)):
            member_shown = f"{shown}!{name}"
            if name in archive.duplicates:          # which of them would be read? neither, and it says so
                self._refuse(member_shown, f"压缩包中有 {names.count(name)} 个同名文件，无法确定是哪一个，"
                                           "均未检查（请解压后分别命名再提交）", explicit=True)
            elif suffix_of(name) in self.suffixes:
                self.out.inputs.append(Input(display=member_shown, path=path, member=name))
            else:
                self.out.skipped.append((member_shown, f"不支持的格式（{suffix_of(name) or '无扩展名'}），未检查"))

    def walk(self, root: str) -> None:
        real_root = os.path.realpath(root)
        before = (len(self.out.inputs), len(self.out.skipped), len(self.out.missing))

        def unreadable(exc: OSError) -> None:       # a folder that cannot be listed is no silent pass
            where = exc.filename if isinstance(exc.filename, str) else root
            self._refuse(where, f"无法读取目录：{exc.strerror or exc}，其中的报告未检查", explicit=True)

        for folder, dirs, names in os.walk(root, onerror=unreadable):
            kept = []
            for d in sorted(dirs):
                full = os.path.join(folder, d)
                if d.startswith("."):
                    continue
                if os.path.islink(full):
                    target = os.path.realpath(full)
                    if not _inside(target, real_root):
                        self.out.skipped.append((full, f"符号链接指向检查目录之外（{target}），未跟随"))
                    continue                  # inside the tree: its files are walked where they are
                kept.append(d)
            dirs[:] = kept
            for name in sorted(names):
                if name.startswith("."):
                    continue
                full = os.path.join(folder, name)
                rel = os.path.relpath(full, root)
                if self.include and not _matches(rel, self.include) or _matches(rel, self.exclude):
                    continue
                if os.path.islink(full):
                    target = os.path.realpath(full)
                    if not _inside(target, real_root):
                        self.out.skipped.append((full, f"符号链接指向检查目录之外（{target}），未跟随"))
                        continue
                self.add_file(full, full, explicit=False)
        if (len(self.out.inputs), len(self.out.skipped), len(self.out.missing)) == before:
            self.out.problems.append(f"{root}: 目录中没有报告文件（{', '.join(sorted(self.suffixes | {'.zip'}))}）")


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def collect(paths, readers=None, include=(), exclude=(), stdin_name=None, max_bytes=MAX_BYTES,
            stdin=None) -> Collection:
    """Expand ``paths`` (files, folders, ``-``) into inputs and a list of skipped files.

    ``readers`` is a suffix table (``checker.readers.reader_table``); default: the built-in readers."""
    collector = _Collector(readers or reader_table(), include, exclude, max_bytes)
    try:
        return _collect(collector, paths, stdin_name, max_bytes, stdin)
    finally:
        if any(suffix_of(i.display) in _CONVERTED for i in collector.out.inputs):
            from .readers.office import run_folder

            run_folder(new_run=True)    # made here, in the run's process: its workers share one conversion each


_CONVERTED = (".doc", ".wps", ".rtf", ".odt", ".docx", ".docm")     # what may go through LibreOffice


def _collect(collector, paths, stdin_name, max_bytes, stdin) -> Collection:
    for path in paths:
        if path == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(max_bytes + 1)
            collector.out.inputs.append(Input(display=stdin_name or STDIN, data=data))
        elif os.path.isdir(path):
            collector.walk(path)
        elif os.path.lexists(path):
            collector.add_file(path, path, explicit=True)
        else:
            collector.out.missing.append(path)
    return collector.out


def named_input(path: str, readers=None, max_bytes: int = MAX_BYTES):
    """(Input, None) for one report file named on the command line of a command that takes exactly
    one (``compare``, ``diff``), or (None, why not): a folder, a zip, a device, a FIFO or an
    unsupported format gets its own reason, never "文件不存在"."""
    if path == STDIN:
        return None, "需要报告文件，不能从标准输入读取"
    if os.path.isdir(path):
        return None, "是一个目录；请给出一份报告文件"
    if not os.path.lexists(path):
        return None, "文件不存在"
    found = collect([path], readers, max_bytes=max_bytes)
    if found.missing:
        return None, found.reasons.get(path, "无法读取")
    if found.skipped and not found.inputs:
        return None, found.skipped[0][1]
    if len(found.inputs) != 1 or found.inputs[0].member is not None:
        return None, "是 zip 压缩包；请解压后给出其中的一份报告"
    return found.inputs[0], None


def start_folder(paths) -> str:
    """The folder a search for the project's files (config, suppressions) starts in: the common
    folder of the checked paths (the working folder if none)."""
    folders = [os.path.abspath(p if os.path.isdir(p) else (os.path.dirname(p) or ".")) for p in paths]
    if not folders:
        return os.getcwd()
    try:
        return os.path.commonpath(folders)
    except ValueError:          # different drives on Windows
        return folders[0]


def input_for(display: str) -> Input:
    """The input a shown path stands for: ``inbox.zip!a.docx`` is a member of ``inbox.zip``."""
    archive, bang, member = display.partition("!")
    if bang and archive.lower().endswith(".zip") and os.path.isfile(archive):
        return Input(display=display, path=archive, member=member)
    return Input(display=display, path=display)


def load_bytes(item, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of an input (an Input or a shown path such as ``inbox.zip!a.docx``), never more
    than ``max_bytes + 1`` read; UnreadableInput says why not."""
    if isinstance(item, str):
        item = input_for(item)
    if item.data is not None:
        data = item.data
    elif item.member is not None:
        data = _member_bytes(item, max_bytes)
    else:
        data = _bounded_read(item.path, max_bytes, "文件", regular_only=True)
    if len(data) > max_bytes:
        raise UnreadableInput(f"文件过大（超过上限 {max_bytes / 1e6:.0f} MB）")
    return data


def _bounded_read(path: str, max_bytes: int, what: str, regular_only: bool = False) -> bytes:
    """At most ``max_bytes`` of a file; UnreadableInput when it cannot be read or is larger."""
    try:
        if regular_only and not stat.S_ISREG(os.stat(path).st_mode):
            raise UnreadableInput("不是普通文件，未读取")
        with open(path, "rb") as handle:
            # read(max_bytes + 1) would allocate the whole limit (64 MB) for every 8 KB report; the
            # size the file has now, plus one byte, is asked for first, and the rest only if it grew
            size = os.fstat(handle.fileno()).st_size
            want = min(size, max_bytes) + 1
            data = handle.read(want)
            if len(data) == want and want <= max_bytes:
                data += handle.read(max_bytes + 1 - want)
    except OSError as exc:
        raise UnreadableInput(f"无法读取：{exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise UnreadableInput(f"{what}过大（超过上限 {max_bytes / 1e6:.0f} MB）")
    return data


def _member_bytes(item: Input, max_bytes: int) -> bytes:
    from .readers.archive import open_archive
    from .readers.base import read_member

    archive = open_archive(item.path, max_bytes)
    if item.member in archive.duplicates:
        raise UnreadableInput("压缩包中有同名文件，无法确定是哪一个，未检查")
    info = archive.zip.NameToInfo.get(item.member)
    if info is None:
        raise UnreadableInput("zip 压缩包中没有这个文件" if item.member else "zip 压缩包中没有文件")
    if info.file_size > max_bytes:
        raise UnreadableInput(f"文件过大（{info.file_size / 1e6:.1f} MB，上限 {max_bytes / 1e6:.0f} MB）")
    return read_member(archive.zip, item.member, "zip 压缩包")


def pack_text(text: str) -> bytes:
    """A report's text as the run keeps it after checking (compressed: about a third of its UTF-8)."""
    import zlib

    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


@dataclass(frozen=True)
class Texts:
    """The text of every report as the run read it, kept so that nothing after the check reads or
    converts a file again (the review page, the fingerprints of suppressions and baselines, ``diff``):
    one reading per file per run, under the run's limits and budgets."""

    packed: dict = field(default_factory=dict)      # shown path -> pack_text(text)

    def __contains__(self, display) -> bool:
        return display in self.packed

    def text(self, display: str) -> str:
        """The text of the report shown as ``display``; UnreadableInput when the run did not read it."""
        import zlib

        packed = self.packed.get(display)
        if packed is None:
            raise UnreadableInput("本次检查没有读取这个报告的正文")
        return zlib.decompress(packed).decode("utf-8", "surrogatepass")
