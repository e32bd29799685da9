"""The .doc/.wps (and .rtf/.odt) reader: LibreOffice converts the file to .docx, which the
.docx reader then reads, so old WPS and Word files get the same judgement as new ones.

LibreOffice is optional: without ``soffice`` on PATH the file gets a clear error naming the
conversion (exit 2 for that file only). Each conversion runs in its own temporary folder with
its own LibreOffice profile (parallel runs do not share a lock), with a time limit.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from .base import Reading, UnreadableInput

TIMEOUT_S = 120


def soffice() -> str:
    return shutil.which("soffice") or shutil.which("libreoffice") or ""


def convert_to_docx(data: bytes, suffix: str) -> bytes:
    """The .docx LibreOffice makes of ``data`` (a file with extension ``suffix``)."""
    program = soffice()
    if not program:
        raise UnreadableInput(f"读取 {suffix} 文件需要 LibreOffice 把它转换为 .docx（soffice --headless --convert-to docx），"
                              "但本机没有安装 LibreOffice；请安装后重试，或把文件另存为 .docx")
    with tempfile.TemporaryDirectory(prefix="fazhi-lint-") as work:
        source = os.path.join(work, "report" + suffix)
        with open(source, "wb") as handle:
            handle.write(data)
        profile = "file://" + os.path.join(work, "profile")
        command = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "docx", "--outdir", work, source]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise UnreadableInput(f"LibreOffice 转换 {suffix} 超时（{TIMEOUT_S} 秒），文件可能已损坏") from None
        except OSError as exc:
            raise UnreadableInput(f"无法运行 LibreOffice：{exc}") from None
        target = os.path.join(work, "report.docx")
        if not os.path.exists(target):
            raise UnreadableInput(f"LibreOffice 无法转换这个 {suffix} 文件（已损坏、已加密或不是这种格式）")
        with open(target, "rb") as handle:
            return handle.read()


class LegacyOfficeReader:
    """Word 97-2003 (.doc), WPS (.wps), RTF and OpenDocument text, through LibreOffice."""

    name = "office"
    suffixes = (".doc", ".wps", ".rtf", ".odt")
    library = "LibreOffice (soffice) + python-docx"

    def read(self, data: bytes, name: str = "") -> Reading:
        from .docx import DocxReader

        suffix = os.path.splitext(name.rsplit("!", 1)[-1])[1].lower() or ".doc"
        if suffix in (".doc", ".wps") and "EncryptionInfo".encode("utf-16-le") in data[:1 << 20]:
            raise UnreadableInput(f"{suffix} 文件已加密（受密码保护），无法读取；请提交未加密的文件")
        reading = DocxReader().read(convert_to_docx(data, suffix), name)
        return Reading(text=reading.text, encoding=reading.encoding, format=suffix.lstrip("."),
                       locations=reading.locations)
