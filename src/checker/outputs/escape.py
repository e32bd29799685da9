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


# In a whole document (a page, Markdown, CSV) line breaks are its own; every other control character,
# a lone CR and the bidi controls are still made visible.
_UNSAFE_IN_DOCUMENT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                                 "\u202a-\u202e\u2066-\u2069]|\r(?!\n)")


def visible_controls(text: str) -> str:
    """``text`` (a rendered page, letter or table) with terminal escapes, other C0/C1 controls, lone
    CRs, LINE/PARAGRAPH SEPARATOR and bidi controls written as visible escapes; tabs, LF and CRLF
    stay. A file name or report text can then neither drive a terminal that shows the file nor
    reorder what a reader sees."""
    return _UNSAFE_IN_DOCUMENT.sub(_escape, text) if _UNSAFE_IN_DOCUMENT.search(text) else text


def visible_in(value):
    """``visible_controls`` applied to every string inside ``value`` (dicts, lists, tuples)."""
    if isinstance(value, str):
        return visible_controls(value)
    if isinstance(value, dict):
        return {k: visible_in(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(visible_in(v) for v in value)
    return value
