"""The .txt/.md reader: encoding detection for the encodings Chinese government reports arrive in.

Order of trust: a byte-order mark; strict UTF-8 (most files); UTF-16 without a BOM (recognised
by its NUL pattern); then charset-normalizer, restricted to the Chinese encodings, for GB18030/
GBK/GB2312 and Big5. Anything that still looks like binary is refused with a reason.
"""
from __future__ import annotations

import codecs
import re

from ..errors import UnreadableInput
from .base import Reading

MAX_BYTES_DEFAULT = 64 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CHINESE_CANDIDATES = ["gb18030", "big5", "utf_16_le", "utf_16_be"]


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) / len(sample) > 0.02


def _textlike_share(text: str) -> float:
    """Share of characters that are CJK, ASCII printable, whitespace or CJK punctuation."""
    sample = text[:4000]
    if not sample:
        return 0.0
    good = sum(1 for ch in sample if ch.isprintable() or ch in "\n\r\t")
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
    ascii_ = sum(1 for ch in sample if ch < "\x80")
    return good / len(sample) if (cjk + ascii_) / len(sample) > 0.8 else 0.0


def _utf16_without_bom(data: bytes):
    """UTF-16 without a BOM: decodes strictly and reads as CJK/ASCII text in one byte order only."""
    if len(data) < 4 or len(data) % 2:
        return None
    scores = {}
    for name in ("utf-16-le", "utf-16-be"):
        try:
            scores[name] = _textlike_share(data[:8000].decode(name))
        except UnicodeDecodeError:
            scores[name] = 0.0
    best = max(scores, key=scores.get)
    return best if scores[best] > 0.95 else None


def decode(data: bytes) -> tuple:
    """Return (text, encoding name) or raise UnreadableInput."""
    if not data:
        raise UnreadableInput("文件为空")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(name.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise UnreadableInput(f"按 {name} 解码失败：{exc.reason}") from None
            return text, name
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" not in text[:4000]:
            return text, "utf-8"
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    if data[:8000].count(0) > 0:
        raise UnreadableInput("二进制文件（含 NUL 字节），不是文本报告")
    import charset_normalizer  # imported only for non-UTF-8 input

    best = charset_normalizer.from_bytes(data, cp_isolation=_CHINESE_CANDIDATES).best()
    if best is None:
        best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise UnreadableInput("无法识别文件编码（不是 UTF-8、GB18030/GBK、Big5 或 UTF-16 文本）")
    encoding = best.encoding
    if encoding in ("gb2312", "gbk"):
        encoding = "gb18030"   # the superset decodes everything the subsets do
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        text = str(best)
    if _looks_binary(text):
        raise UnreadableInput("文件内容不是可读文本（控制字符过多）")
    return text, encoding


def decode_report(data: bytes) -> tuple:
    """(text, encoding) of a text report, refusing binary content and blank files."""
    text, encoding = decode(data)
    if _looks_binary(text):
        raise UnreadableInput("文件内容不是可读文本（控制字符过多）")
    if not text.strip():
        raise UnreadableInput("文件没有正文（只有空白）")
    return text, encoding


class TextReader:
    """Plain text (.txt) and Markdown (.md): the bytes decoded, positions are the file's own."""

    name = "txt"
    suffixes = (".txt", ".md", ".text")
    library = "charset-normalizer（编码识别）"

    def read(self, data: bytes, name: str = "") -> Reading:
        text, encoding = decode_report(data)
        return Reading(text=text, encoding=encoding, format="txt")
