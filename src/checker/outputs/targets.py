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


def encode_output(text) -> bytes:
    """UTF-8 bytes of a rendered output. A character that cannot be encoded (a file name that
    was not valid UTF-8 arrives as lone surrogates) is written as its escape ``\\udcff``, which
    is valid JSON and readable text, so every output stays valid UTF-8."""
    if isinstance(text, bytes):          # a binary format (xlsx) is written as it is
        return text
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


def write_file(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, so a failed write
    (disk full, no permission) leaves no half-written file behind; OutputProblem says why."""
    folder = os.path.dirname(path)
    try:
        if folder:
            os.makedirs(folder, exist_ok=True)
        if os.path.isdir(path):
            raise IsADirectoryError(21, "是一个目录")
        special = os.path.exists(path) and not os.path.isfile(path)    # /dev/null, /dev/full, a FIFO
        temporary = path if special else f"{path}.fazhi-lint-tmp{os.getpid()}"
        try:
            with open(temporary, "wb") as handle:
                handle.write(data)
            if not special:
                os.replace(temporary, path)
        finally:
            if not special and os.path.exists(temporary):
                os.unlink(temporary)
    except OSError as exc:
        raise OutputProblem(f"无法写入 {path}：{exc.strerror or exc}") from None


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


def refuse_overwriting_reports(out_paths, report_paths) -> None:
    """UsageError when an output path (``-o``, ``--format NAME:FILE``, ``--write-baseline``) is one of
    the reports being checked: writing it would destroy the report."""
    clobbered = [out for out in out_paths if out and any(_same_file(out, report) for report in report_paths)]
    if clobbered:
        raise UsageError("；".join(f"{out}: 这是要检查的报告本身，不能作为输出文件（会覆盖报告）" for out in clobbered))
