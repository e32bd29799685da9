"""Report text inside line-oriented outputs (text, github): one finding must stay one line.

A report can carry a lone CR, a vertical tab, NEL (U+0085), LINE/PARAGRAPH SEPARATOR (U+2028/
U+2029), ANSI/OSC terminal escapes (ESC …) or bidirectional controls (U+202A–U+202E, U+2066–
U+2069) that reorder what a reviewer sees. Each such character is written as a visible escape
(``\\x1b``, ``\\u2028``); tabs and ordinary text pass unchanged.
"""
from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """``text`` with line breaks, terminal escapes and bidi controls made visible."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text
