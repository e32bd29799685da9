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


LENIENT = "（容错："     # marks an encoding label of a file read leniently (see lenient_note)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _cjk_share(text: str) -> float:
    """Share of non-ASCII characters that are common CJK characters or CJK punctuation."""
    wide = [ch for ch in text if ch >= "\x80"]
    if not wide:
        return 0.0
    return sum(1 for ch in wide if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
               or "\uff00" <= ch <= "\uffef" or "\u2010" <= ch <= "\u206f" or "\u3400" <= ch <= "\u4dbf"
               or ch in "\u00a0\u00b7\u00d7") / len(wide)


def _mostly_utf8(data: bytes):
    """UTF-8 with a few damaged bytes, or with some lines in GB18030 (a report pasted together
    from two sources). Returns (text, label) when the evidence is overwhelming, else None.

    Line by line: a line that is valid UTF-8 is taken as such; a line that is valid GB18030 and
    reads as Chinese text (and has more than a stray byte wrong as UTF-8) is taken as GB18030;
    any other line is UTF-8 with the bad bytes replaced by U+FFFD. The whole is accepted only
    when at least 20 characters came from valid UTF-8 multi-byte sequences and replacements are
    at most 1 in 50 of them; the label says how many characters were replaced and on which lines.
    """
    if b"\x00" in data[:8000]:
        return None
    good_multibyte = 0
    replaced, gb_lines, lines = [], [], []
    for number, raw in enumerate(data.split(b"\n"), 1):
        try:
            line = raw.decode("utf-8")
            good_multibyte += len(_UTF8_MULTIBYTE.findall(raw))
        except UnicodeDecodeError:
            line = raw.decode("utf-8", "replace")
            bad = line.count("\ufffd") - raw.count(b"\xef\xbf\xbd")
            try:
                as_gb = raw.decode("gb18030")
            except UnicodeDecodeError:
                as_gb = None
            if as_gb is not None and bad > 2 and _cjk_share(as_gb) >= 0.6:
                line = as_gb
                gb_lines.append(number)
            else:
                good_multibyte += max(0, len(_UTF8_MULTIBYTE.findall(raw)) - bad)
                replaced.append((number, bad))
        lines.append(line)
    total_replaced = sum(n for _, n in replaced)
    if good_multibyte < 20 or total_replaced * 50 > good_multibyte:
        return None
    if not replaced and not gb_lines:
        return None
    parts = []
    if total_replaced:
        where = "、".join(str(n) for n, _ in replaced[:10]) + ("等" if len(replaced) > 10 else "")
        parts.append(f"{total_replaced} 个无效字节已替换为 U+FFFD，在第 {where} 行")
    if gb_lines:
        where = "、".join(map(str, gb_lines[:10])) + ("等" if len(gb_lines) > 10 else "")
        parts.append(f"第 {where} 行是 GB18030 编码，已按 GB18030 读取")
    base = "utf-8+gb18030" if gb_lines else "utf-8"
    return "\n".join(lines), f"{base}{LENIENT}{'；'.join(parts)}）"


def lenient_note(encoding: str):
    """What was repaired while decoding (None for a file read as it is)."""
    if LENIENT not in encoding:
        return None
    return encoding.split(LENIENT, 1)[1].rstrip("）")


def decode(data: bytes) -> tuple:
    """Return (text, encoding name) or raise UnreadableInput.

    A file that is almost all valid UTF-8 (a stray byte, some GB18030 lines) or UTF-16 without a
    BOM plus one trailing byte is read leniently; its encoding label then carries the repair
    (``utf-8（容错：…）``, see :func:`lenient_note`), which the engine reports as a finding."""
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
    if len(data) % 2 and len(data) > 8:
        utf16 = _utf16_without_bom(data[:-1])
        if utf16:
            try:
                return (data[:-1].decode(utf16) + "\ufffd",
                        f"{utf16}{LENIENT}文件末尾多出 1 个字节，已替换为 U+FFFD）")
            except UnicodeDecodeError:
                pass
    lenient = _mostly_utf8(data)
    if lenient:
        return lenient
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
