"""Several outputs in one run: ``--format junit:report.xml --format text``.

A format spec is ``NAME`` (printed on standard output, or written to ``--output``) or
``NAME:FILE`` (written to FILE). At most one format may go to standard output.
"""
from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass

from ..errors import TargetError, UsageError
from ..toolrules import INTERNAL_ERROR_RULE


@dataclass(frozen=True)
class Target:
    name: str
    path: str = None        # None: standard output


def split_target(spec: str):
    """``"junit:out.xml"`` -> ("junit", "out.xml"); ``"text"`` -> ("text", None).

    Only the first colon separates, and only when the part before it is a plain name, so a
    Windows path such as ``C:\\x`` is not mistaken for a format.
    """
    name, sep, path = spec.partition(":")
    if sep and name and name.replace("-", "").replace("_", "").isalnum() and len(name) > 1:
        return name, path or None
    return spec, None


def parse_targets(specs, output_path, known_formats) -> list:
    """Turn format specs into targets; raise TargetError naming the bad spec."""
    targets = []
    for spec in specs:
        name, path = split_target(spec)
        if name not in known_formats:
            raise TargetError(f"未知的输出格式 {name!r}；可用：{', '.join(sorted(known_formats))}")
        targets.append(Target(name, path))
    to_stdout = [t for t in targets if t.path is None]
    if output_path:
        if len(to_stdout) != 1:
            raise TargetError("--output 只能配一个未指定文件的 --format（其余写成 格式:文件）")
        targets = [Target(t.name, output_path) if t.path is None else t for t in targets]
    elif len(to_stdout) > 1:
        names = ", ".join(t.name for t in to_stdout)
        raise TargetError(f"只能有一种格式输出到标准输出（现有 {names}）；其余请写成 格式:文件，如 junit:report.xml")
    return targets


class OutputProblem(Exception):
    """An output could not be produced; ``internal`` tells a formatter crash (exit 3) from a
    write that failed (disk full, a folder, no permission: exit 2)."""

    def __init__(self, message: str, internal: bool = False):
        super().__init__(message)
        self.internal = internal


def shown_name(path: str) -> str:
    """A path as outputs show it: a file name that is not valid UTF-8 (its bytes arrive as lone
    surrogates) gets ``\\xff`` escapes for those bytes, so JSON, SARIF and JUnit stay valid UTF-8."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


# Formats whose text is a whole document for people (not one finding per line, not data): control
# characters in it are made visible (``escape.visible_controls``), whichever formatter made it.
DOCUMENT_FORMATS = ("html", "csv", "md")


def encode_output(text, name: str = "") -> bytes:
    """UTF-8 bytes of a rendered output. A character that cannot be encoded (a file name that
    was not valid UTF-8 arrives as lone surrogates) is written as its escape ``\\udcff``, which
    is valid JSON and readable text, so every output stays valid UTF-8. ``name``: the format; a
    document format (html, csv, md) gets its control characters made visible."""
    if isinstance(text, bytes):          # a binary format (xlsx) is written as it is
        return text
    if name in DOCUMENT_FORMATS:
        from .escape import visible_controls

        text = visible_controls(text)
    return text.encode("utf-8", "backslashreplace")


def render_targets(targets, formats, results, context, owner=lambda name: "?"):
    """Render each target once: [(target, text)] and the problems of formatters that raised."""
    from ..helpers.guard import describe, is_foreign_exit

    rendered, problems = [], []
    for target in targets:
        try:
            text = formats[target.name](results, context)
            if not isinstance(text, (str, bytes)):       # bytes: a binary format (xlsx)
                raise TypeError(f"返回了 {type(text).__name__}，应返回 str（或二进制格式的 bytes）")
        except BaseException as exc:
            if not isinstance(exc, Exception) and not is_foreign_exit(exc):
                raise
            problems.append(OutputProblem(f"{INTERNAL_ERROR_RULE} 插件 {owner(target.name)} 的输出格式 {target.name} 出错："
                                          f"{describe(exc)}；该输出没有写出", internal=True))
            continue
        rendered.append((target, text))
    return rendered, problems


TEMP_MARK = ".fazhi-lint-tmp-"      # temporary files: ".<name>.fazhi-lint-tmp-<pid>-<random>"


def write_file(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: an exclusively created temporary file with a random
    name in the same folder (``O_EXCL``: nobody's planted file or link is ever opened), then one
    rename over ``path``. A symbolic link at ``path`` is not followed (refused, unless it leads to a
    character device or a FIFO such as /dev/stdout); a character device or FIFO is written directly
    (``-o /dev/null``), a folder or a block device is refused. A failed write (disk full, ``ulimit
    -f``, no permission, a missing folder that cannot be made) leaves no file behind and raises
    OutputProblem with one line (exit 2)."""
    try:
        _write(path, data)
    except OSError as exc:
        raise OutputProblem(f"无法写入 {shown_name(path)}：{exc.strerror or exc}") from None


def _write(path: str, data: bytes) -> None:
    import errno
    import stat as st_mod

    try:
        seen = os.lstat(path)
    except FileNotFoundError:
        seen = None
    if seen is not None and st_mod.S_ISLNK(seen.st_mode):
        try:
            target = os.stat(path)
        except OSError:
            target = None
        if target is None or not (st_mod.S_ISCHR(target.st_mode) or st_mod.S_ISFIFO(target.st_mode)):
            raise OSError(errno.ELOOP, "这是一个符号链接；为安全起见不跟随符号链接写入，请直接给出目标文件")
        seen = target
    if seen is not None and st_mod.S_ISDIR(seen.st_mode):
        raise IsADirectoryError(errno.EISDIR, "是一个目录")
    if seen is not None and (st_mod.S_ISCHR(seen.st_mode) or st_mod.S_ISFIFO(seen.st_mode)):
        _write_device(path, data)
        return
    if seen is not None and not st_mod.S_ISREG(seen.st_mode):
        raise OSError(errno.EINVAL, "不是普通文件（块设备或套接字），拒绝写入")
    from ..fixing.writing import remove_leftovers

    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    remove_leftovers(os.path.abspath(path))            # what a killed run (kill -9) left behind
    mode = st_mod.S_IMODE(seen.st_mode) if seen is not None else 0o666 & ~_umask()
    temp, handle = _exclusive_temp(folder, os.path.basename(path))
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fchmod(out.fileno(), mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _exclusive_temp(folder: str, name: str):
    """(path, fd) of a new file in ``folder`` that nobody else can have created or linked: a random
    name opened with O_CREAT | O_EXCL | O_NOFOLLOW, mode 0600 until it is complete."""
    import errno
    import secrets

    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temp = os.path.join(folder, f".{name[:100]}{TEMP_MARK}{os.getpid()}-{secrets.token_hex(8)}")
        try:
            return temp, os.open(temp, flags, 0o600)
        except FileExistsError:
            continue
    raise OSError(errno.EEXIST, "无法创建临时文件")


def _write_device(path: str, data: bytes) -> None:
    """A character device or FIFO written as it is (no temporary file can stand for it); a FIFO
    nobody reads is an error, not a hang."""
    import fcntl

    handle = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        fcntl.fcntl(handle, fcntl.F_SETFL, fcntl.fcntl(handle, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
    finally:
        os.close(handle)


def _umask() -> int:
    """The process's umask, read without changing it where Linux tells it (a served desk has threads)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def write_stdout(data: bytes) -> None:
    """Write an output to standard output; a failed write (disk full, closed pipe) raises
    OutputProblem (exit 2 with a message) instead of a traceback at exit."""
    stream = sys.stdout
    try:
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            buffer.write(data)
            buffer.flush()
        else:
            stream.write(data.decode("utf-8"))
            stream.flush()
    except OSError as exc:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())     # nothing left to flush at exit
        raise OutputProblem(f"无法写入标准输出：{exc.strerror or exc}") from None


def write_output(text, path=None, name: str = "") -> None:
    """A command's one output (``compare``, ``diff``): to ``path`` through ``write_file``, or to
    standard output; valid UTF-8, control characters made visible in document formats (``name``).
    OutputProblem (exit 2, one line) when it cannot be written."""
    data = encode_output(text, name)
    if path:
        write_file(path, data)
    else:
        write_stdout(data)


def refuse_overwriting_reports(out_paths, report_paths, folders=(), reads=()) -> None:
    """UsageError when an output path (``-o``, ``--format NAME:FILE``, ``--write-baseline``, a letter)
    is one of the reports of the run (this year's, last year's) or a file a checked folder would
    give as a report (``reads``: the suffixes the readers take, and .zip): writing it would destroy a
    report, or put the tool's output among the reports of the next run."""
    problems = []
    roots = [os.path.realpath(f) for f in folders if f]
    for out in out_paths:
        if not out:
            continue
        if any(_same_file(out, report) for report in report_paths):
            problems.append(f"{shown_name(out)}: 这是要检查的报告本身，不能作为输出文件（会覆盖报告）")
            continue
        inside = _inside_any(out, roots)
        name = os.path.basename(out)
        if inside and not name.startswith(".") and os.path.splitext(name)[1].lower() in set(reads) | {".zip"}:
            problems.append(f"{shown_name(out)}: 在要检查的目录 {shown_name(inside)} 中，下次检查会把它当作报告读取；"
                            "请写到检查目录之外")
    if problems:
        raise UsageError("；".join(problems))


def refuse_output_folder(folder: str, folders=(), report_paths=()) -> None:
    """UsageError when an output folder (``feedback --output-dir``) is, or lies inside, a folder of
    the run's reports (the inbox): the letters would be mixed with the reports, or replace one."""
    roots = [os.path.realpath(f) for f in folders if f]
    roots += [os.path.realpath(os.path.dirname(os.path.abspath(p))) for p in report_paths if p]
    inside = _inside_any(os.path.join(folder, "x"), roots)
    if inside:
        raise UsageError(f"--output-dir {shown_name(folder)}: 在要检查的报告所在目录 {shown_name(inside)} 之内，"
                         "写入的文件会与报告混在一起（或覆盖报告）；请另选一个目录")


def _inside_any(path: str, roots) -> str:
    """The first of ``roots`` (real paths of folders) that ``path`` lies in, or ''."""
    real = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    for root in roots:
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            return root
    return ""
