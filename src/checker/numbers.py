"""Numbers as reports write them: Arabic (12, 1.5万, 8000余) and Chinese (十二, 两, 一百二十, 百分之百).

``NUMBER`` is a regex fragment a rule can embed (as ``{N}``) to capture one number; ``parse_number``
turns the captured text into (value, approx). ``COUNT_NUMBER`` is the stricter form the facts
extractor uses (a Chinese numeral must start with a digit character, so 千家万户 and 百姓 are not
numbers), and ``RANGE_SEP``/``parse_range`` read ranges such as 3至5次 or 三到五期.
"""
from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}

CN_NUMERAL = "[零〇○一二两三四五六七八九十百千万亿]+"
# One number: Arabic with optional decimals and 万/亿, or a Chinese numeral, or 百分之X;
# followed by an optional approximation marker (余/多/近/约 before).
NUMBER = (r"(?:百分之[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?"
          r"|\d+(?:,\d{3})*(?:\.\d+)?\s*[万亿]?"
          r"|" + CN_NUMERAL + r")(?:余|多)?")
# Words before a number that make it approximate. "达" (reached) is not one: 达到95% is exact.
_APPROX_BEFORE = re.compile(r"(约|近|将近|接近|大约|超过|逾|共计约)\s*$")
# Words after a number and its unit that make it approximate (100人以上, 两期以上).
APPROX_AFTER = re.compile(r"^(以上|左右|上下|有余)")

# A number as counted in a statement of fact: Arabic (with decimals, thousands separators, 万/亿),
# 百分之X, or a Chinese numeral that starts with a digit character or 十 (十二, 两, 一百二十).
CN_COUNT_NUMERAL = "[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万]*"
COUNT_NUMBER = (r"(?:百分之[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?"
                r"|\d+(?:,\d{3})*(?:\.\d+)?(?:\s*[万亿])?"
                r"|" + CN_COUNT_NUMERAL + r")(?:余|多)?")
# Between the two ends of a range: 3至5, 3-5, 3~5, 三到五.
RANGE_SEP = r"\s*(?:至|到|-|~|～|－)\s*"


def parse_chinese_integer(text: str):
    """十二 -> 12, 一百二十 -> 120, 两万 -> 20000, 二〇二三 -> 2023; None when not a numeral."""
    if not text:
        return None
    if all(ch in _DIGITS for ch in text) and len(text) > 1:       # digit by digit: 二〇二三
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        elif ch in _BIG:
            section += digit or 0
            total += (section or 1) * _BIG[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


_ARABIC = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*([万亿]?)")


def parse_number(text: str, before: str = ""):
    """Return (value, approx) for a matched NUMBER, or (None, False)."""
    raw = text.strip()
    approx = raw.endswith(("余", "多")) or bool(_APPROX_BEFORE.search(before))
    raw = raw.rstrip("余多").strip()
    if raw.startswith("百分之"):
        body = raw[3:]
        whole, _, frac = body.partition("点")
        value = parse_chinese_integer(whole)
        if value is None:
            return None, False
        if frac:
            value = float(f"{value}.{''.join(str(_DIGITS[c]) for c in frac)}")
        return value, approx
    m = _ARABIC.fullmatch(raw)
    if m:
        value = float(m.group(1).replace(",", ""))
        value *= _BIG.get(m.group(2), 1)
        return (int(value) if value.is_integer() else value), approx
    value = parse_chinese_integer(raw)
    return value, approx


def parse_range(low: str, high: str, before: str = ""):
    """Return (low value, high value) of a range such as 3至5, or (None, None)."""
    lo, _ = parse_number(low, before)
    hi, _ = parse_number(high)
    if lo is None or hi is None or hi < lo:
        return None, None
    return lo, hi
