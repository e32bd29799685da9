"""Apply the fixes of a checked report to its file, or show them as a unified diff.

The file is read again as bytes and decoded the way the reader decoded it; it is written back
only when the decoded text encodes back to exactly those bytes (so GB18030 stays GB18030, a BOM
stays, CRLF stays CRLF: the edits never touch a line break, and nothing else is re-encoded
differently). The new bytes go to a temporary file in the same folder, which then replaces the
report in one rename; the report keeps its permission bits.
"""
from __future__ import annotations

import codecs
import difflib
import os
import re
from collections import Counter
from dataclasses import dataclass, field

from ..errors import FixError, UnreadableInput
from ..readers.text import decode

# Formats whose findings point into text extracted from a container: their bytes cannot be
# patched at those offsets. (Plain text is patched; .docx through fixing.docx; these say so.)
DOCX_SUFFIXES = (".docx", ".docm")
UNFIXABLE_SUFFIXES = (".doc", ".pdf", ".ofd", ".html", ".htm", ".mhtml", ".mht", ".wps")
_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

_LINES = re.compile(r"[^\n]*\n|[^\n]+\Z")    # lines with their own ending (CRLF stays CRLF)


@dataclass
class FilePlan:
    """The fixes for one report: the edits that will be made and, per rule, how many."""

    path: str
    edits: list = field(default_factory=list)
    rules: list = field(default_factory=list)      # the rule of each edit
    per_rule: Counter = field(default_factory=Counter)
    skipped: int = 0            # fixable findings left alone (another fix overlaps them, or a .docx table)


def plan_fixes(result) -> FilePlan:
    """The non-overlapping fixes of a Result's findings that no suppression silenced."""
    plan = FilePlan(result.path)
    candidates = sorted((f for f in result.findings if f.fix is not None and f.suppressed is None),
                        key=lambda f: (f.fix.start, f.fix.end))
    end = -1
    for finding in candidates:
        if finding.fix.start < end:
            plan.skipped += 1
            continue
        plan.edits.append(finding.fix)
        plan.rules.append(finding.rule)
        plan.per_rule[finding.rule] += 1
        end = finding.fix.end
    return plan


def _encoding_of(data: bytes, encoding: str) -> tuple:
    """(BOM bytes, codec) for writing text back the way ``data`` was written."""
    bom = next((b for b in _BOMS if data.startswith(b)), b"")
    return bom, encoding.replace("-sig", "")


def read_report(path: str, data: bytes = None) -> bytes:
    """The report's bytes as they are now (``data`` when given: standard input); FixError if unreadable."""
    if data is not None:
        return data
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise FixError(f"无法读取：{exc.strerror or exc}") from None


def fixed_bytes(path: str, plan: FilePlan, data: bytes = None) -> tuple:
    """(old text, new text, new bytes) for ``plan``; FixError when it cannot be done byte-exactly.
    ``data`` is the report's bytes when they do not come from ``path`` (standard input)."""
    if path.lower().endswith(UNFIXABLE_SUFFIXES):
        raise FixError(f"暂不支持自动修复 {os.path.splitext(path)[1]} 文件，请按提示手工修改")
    try:
        if data is None:
            with open(path, "rb") as handle:
                data = handle.read()
        if path.lower().endswith(DOCX_SUFFIXES):
            return _fixed_docx(data, plan)
        text, encoding = decode(data)
    except OSError as exc:
        raise FixError(f"无法读取：{exc.strerror or exc}") from None
    except UnreadableInput as exc:
        raise FixError(str(exc)) from None
    bom, codec = _encoding_of(data, encoding)
    try:
        same = bom + text.encode(codec) == data
    except (UnicodeEncodeError, LookupError):
        same = False
    if not same:
        raise FixError(f"按 {encoding} 重新编码后与原文件字节不一致，为避免改动其他内容，不自动修复")
    pieces, at = [], 0
    for edit in plan.edits:
        if text[edit.start:edit.end] != edit.old:
            raise FixError("文件在检查之后被修改过，请重新运行")
        pieces += [text[at:edit.start], edit.new]
        at = edit.end
    new_text = "".join(pieces) + text[at:]
    try:
        return text, new_text, bom + new_text.encode(codec)
    except UnicodeEncodeError:
        raise FixError(f"替换文本无法用 {encoding} 编码") from None


def _fixed_docx(data: bytes, plan: FilePlan) -> tuple:
    from .docx import fix_docx

    old, new, out, done = fix_docx(data, plan.edits)
    if len(done) < len(plan.edits):
        kept = set(done)
        plan.skipped += len(plan.edits) - len(done)
        plan.per_rule = Counter(rule for rule, e in zip(plan.rules, plan.edits) if e in kept)
        plan.rules = [rule for rule, e in zip(plan.rules, plan.edits) if e in kept]
        plan.edits = [e for e in plan.edits if e in kept]
    return old, new, out


def write_atomically(path: str, data: bytes, old: bytes = None) -> None:
    """Replace ``path`` by ``data`` (``writing.write_fixed``: the file unchanged since it was read as
    ``old``, links kept, read-only files left alone, no temporary file left behind)."""
    from .writing import write_fixed

    if old is None:
        with open(path, "rb") as handle:
            old = handle.read()
    write_fixed(path, data, old)


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff (``--- a/path``, ``+++ b/path``) of the old and new text, lines kept as written."""
    name = path.replace(os.sep, "/")
    out = []
    for line in difflib.unified_diff(_LINES.findall(old), _LINES.findall(new),
                                     fromfile="a/" + name.lstrip("/"), tofile="b/" + name.lstrip("/")):
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def describe(per_rule: Counter) -> str:
    """``FZ-W01 ×1、FZ-W03 ×4``"""
    return "、".join(f"{rule} ×{n}" for rule, n in sorted(per_rule.items()))
