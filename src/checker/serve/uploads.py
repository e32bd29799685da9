"""Files added in the page (several at once, or a .zip): limited in size, count and type, checked
by the same hardened readers as any inbox, and queued for the checker.

What is refused, each with its reason (the rest of the upload is still taken): a type no reader
reads; a file over the readers' size limit (``--max-size``); a .zip that ``readers.base.open_zip``
refuses (too many members, too large once inflated, a suspicious compression ratio: a zip bomb is
refused before anything is inflated; encrypted); more than ``MAX_FILES`` files. The whole request is
bounded too (``security.Guard``: ``--max-upload``). Accepted files are written under fresh names
into a folder of their own, removed once checked; the reviewer sees only the names they gave.
"""
from __future__ import annotations

import os
import re
import tempfile

from ..errors import UnreadableInput

MAX_FILES = 500


def clean_name(name: str) -> str:
    """The file's own name (no folder, no control characters), as the reviewer gave it."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip() or "report.txt"
    stem, suffix = os.path.splitext(name)
    return stem[:100] + suffix[:10]


def suffix_of(name: str) -> str:
    return os.path.splitext(name)[1].lower()


async def receive(form_files, readers: dict, max_bytes: int):
    """(folder, {path: name}, [(name, reason)] refused) from the uploaded ``UploadFile``s; the folder
    is None when nothing was accepted."""
    from ..readers.base import open_zip

    accepted, refused = [], []
    for n, upload in enumerate(form_files):
        name = clean_name(getattr(upload, "filename", "") or "")
        if n >= MAX_FILES:
            refused.append((name, f"一次最多上传 {MAX_FILES} 个文件，其余未接收"))
            continue
        suffix = suffix_of(name)
        if suffix != ".zip" and suffix not in readers:
            refused.append((name, f"不支持的格式（{suffix or '无扩展名'}），未接收；可上传 "
                                  + " ".join(sorted({*readers, '.zip'}))))
            continue
        data = await upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            refused.append((name, f"文件过大（超过 {max_bytes / 1e6:.0f} MB 上限），未接收"))
            continue
        if not data:
            refused.append((name, "文件是空的，未接收"))
            continue
        if suffix == ".zip":
            try:
                open_zip(data, "zip 压缩包")
            except UnreadableInput as exc:
                refused.append((name, str(exc)))
                continue
        accepted.append((name, data))
    if not accepted:
        return None, {}, refused
    folder = tempfile.mkdtemp(prefix="fazhi-lint-upload-")
    names = {}
    for n, (name, data) in enumerate(accepted, 1):
        path = os.path.join(folder, f"{n:04d}{suffix_of(name)}")
        with open(path, "wb") as handle:
            handle.write(data)
        names[path] = name
    return folder, names, refused
