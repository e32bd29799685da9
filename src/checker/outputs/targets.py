"""Several outputs in one run: ``--format junit:report.xml --format text``.

A format spec is ``NAME`` (printed on standard output, or written to ``--output``) or
``NAME:FILE`` (written to FILE). At most one format may go to standard output.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import TargetError


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


def write_targets(targets, formats, results, context, echo) -> None:
    """Render each target once and write it to its file or (via ``echo``) standard output."""
    for target in targets:
        rendered = formats[target.name](results, context)
        if target.path is None:
            echo(rendered)
            continue
        folder = os.path.dirname(target.path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        if isinstance(rendered, bytes):          # a binary format (xlsx)
            with open(target.path, "wb") as handle:
                handle.write(rendered)
            continue
        with open(target.path, "w", encoding="utf-8") as handle:
            handle.write(rendered)
