"""The matching view of a report, with a map back to the text as given.

Rules match against a normalised copy of the text: pinyin debris such as ``關(guān)`` and junk
question marks removed, CRLF folded, full-width digits and letters folded to ASCII, traditional
characters converted to simplified (OpenCC ``t2s``). Every finding must still point at the file
as given, so the normaliser keeps an :class:`OffsetMap` from normalised offsets to original ones.

Deletions are the only edits that shift offsets; they are recorded as anchors. Replacements are
length-preserving (``str.translate`` and OpenCC, whose t2s output is checked to have the same
length), so they need no anchors.
"""
from __future__ import annotations

import bisect
import functools
import io
import re
from array import array
from dataclasses import dataclass

from ..errors import TIMEOUT, Problem

# Characters that exist only in traditional script (each converts under OpenCC t2s). Used to
# decide whether a report needs conversion and to label its script.
TRADITIONAL_ONLY = (
    "國會與為這說們時間問題對從應當進過還個區縣鄉鎮廳辦紀條規務權責設計體關機構報黨頭學習總經濟"
    "發現實來開業東長見門車馬議讓認識論語陽陰雲電風飛齊壓歷產執據將層師帶幹廣張強錄錢鐵隊難響項"
    "預頒顯類願領動勞勢單衛級紅約組織給統經綜維網線練績繼續聯聲職聽舉舊處號萬葉藝術視覺觀親訂討"
    "訓記許設訪證評試話詢該詳請諸讀調談謝講譯護變負財貢貨質購費資賣賬贊趕軍輕載輔輛輸農遠違連"
    "適選遺邊醫銀錯鍵閉閱際隨險隱雙雖雜靜頁順須頓頻額養館驗點務範圍專傳幣價優從應復襲勵勝"
)
_TRAD_RE = re.compile("[" + TRADITIONAL_ONLY + "]")

# Two patterns most reports never need, compiled on first use (their wide Han classes cost ≈1–3 ms
# each to compile, in every process): the share of Han characters (only for a report with
# traditional characters) and the deletions (only when _DELETE_NEEDS finds a character they delete).


@functools.lru_cache(maxsize=None)
def _cjk_re():
    return re.compile(r"[\u4e00-\u9fff]")


@functools.lru_cache(maxsize=None)
def _delete_re():
    return re.compile(_DELETE_SOURCE)


# Deleted from the matching view (each alternative is one deletion).
_DELETE_SOURCE = (
    r"\r(?=\n)"                                                  # CRLF -> LF
    r"|\((?<=[\u4e00-\u9fff]\()[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňḿ]{1,7}\s?\)"   # 關(guān): "(" first, then look back
    r"|(?m:^[ \t\u3000?？]*\?[ \t\u3000?？]*(?=\n|$))"          # a line of only "?"
    r"|(?m:^[ \t\u3000]*\?{2,}[ \t\u3000]*)"                    # "??? " junk at a line start
    r"|[\u200b\u200c\u200d\u2060\ufeff]"                         # zero-width characters
    # other invisible characters that can sit inside a key term (法\u00ad制政府) and hide it: soft
    # hyphen, Mongolian vowel separator, combining grapheme joiner, LRM/RLM, bidi embeddings and
    # isolates, invisible operators, variation selectors, tag characters
    "|[\u00ad\u180e\u034f\u200e\u200f\u202a-\u202e\u2061-\u2064\u2066-\u2069\ufe00-\ufe0f\U000e0000-\U000e007f]"
)

# Every match of _DELETE_SOURCE needs one of these (a CR, a "?", an invisible character, or "(" after a
# Han character and before a letter): a scan for them costs ~50 µs on a report where the full
# alternation costs ~120 µs, and most reports have none of them.
_DELETE_NEEDS = re.compile(
    "[\r?\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f\u200e\u200f\u202a-\u202e\u2061-\u2064"
    "\u2066-\u2069\ufe00-\ufe0f\U000e0000-\U000e007f]"
    "|\\((?<=[\u4e00-\u9fff]\\()[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňḿ]")

_FOLD = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}            # ０-９
_FOLD.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})      # Ａ-Ｚ
_FOLD.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})      # ａ-ｚ
_FOLD.update({0xFF05: ord("%"), 0xFF0E: ord("."), 0x3000: ord(" "), 0x00A0: ord(" "),
              ord("\r"): ord("\n")})

_FOLDABLE = re.compile("[" + "".join(map(chr, _FOLD)) + "]")
_converter = None


def _t2s():
    global _converter
    if _converter is None:
        import opencc  # loaded only for reports that contain traditional characters

        _converter = opencc.OpenCC("t2s")
    return _converter


@dataclass(frozen=True)
class OffsetMap:
    """Piecewise-linear map from normalised offsets to original offsets."""

    norm_starts: array      # array("q"): machine integers, 8 bytes an entry
    orig_starts: array

    def to_original(self, offset: int) -> int:
        i = bisect.bisect_right(self.norm_starts, offset) - 1
        return self.orig_starts[i] + (offset - self.norm_starts[i])

    def span_to_original(self, start: int, end: int) -> tuple:
        """Map a normalised [start, end) span; deletions inside the span stay inside it."""
        orig_start = self.to_original(start)
        orig_end = self.to_original(end - 1) + 1 if end > start else orig_start
        return orig_start, orig_end


@dataclass(frozen=True)
class NormalisedText:
    text: str
    offsets: OffsetMap
    script: str            # "simplified" | "traditional"
    traditional_chars: int
    problems: tuple = ()   # errors.Problem: plugin deletion patterns that timed out (FZ-X02)


def script_of(text: str) -> tuple:
    """Return (script, number of traditional-only characters)."""
    if not _TRAD_RE.search(text):
        return "simplified", 0
    trad = len(_TRAD_RE.findall(text))
    if trad == 0:
        return "simplified", 0
    sample = text[:200_000]              # the share of CJK characters is stable; a sample is enough
    cjk = len(_cjk_re().findall(sample)) * (len(text) / len(sample)) or 1
    return ("traditional" if trad >= 10 and trad / cjk >= 0.01 else "simplified"), trad


def _convert_t2s(text: str) -> str:
    converter = _t2s()
    out = converter.convert(text)
    if len(out) == len(text):
        return out
    # OpenCC changed a length somewhere (a rare phrase mapping): convert line by line and fall
    # back to character by character where a line's length would change.
    lines = []
    for line in text.split("\n"):
        conv = converter.convert(line)
        if len(conv) != len(line):
            conv = "".join(c if len(c) == 1 else o for o, c in ((ch, converter.convert(ch)) for ch in line))
        lines.append(conv)
    return "\n".join(lines)


PLUGIN_PATTERN_TIMEOUT = 2.0     # seconds for one plugin deletion pattern over one report


def _plugin_matches(pattern, original: str, problems: list) -> list:
    """Spans of one plugin pattern; a pattern that runs too long is skipped and recorded. A plugin
    may give a pattern of the standard ``re`` module, which has no timeout: it is searched as the
    same pattern compiled by ``regex`` (same syntax for what deletion patterns use), with one."""
    import regex

    if not type(pattern).__module__.startswith("regex"):
        try:
            pattern = regex.compile(pattern.pattern, getattr(pattern, "flags", 0) & ~32)   # not re.UNICODE's bit
        except (regex.error, TypeError, ValueError):
            problems.append(Problem(TIMEOUT, f"插件的删除正则 {pattern.pattern!r:.80} 无法在有时限的引擎中运行，本报告未应用它"))
            return []
    try:
        return [m.span() for m in pattern.finditer(original, timeout=PLUGIN_PATTERN_TIMEOUT) if m.end() > m.start()]
    except TimeoutError:
        problems.append(Problem(TIMEOUT, f"插件的删除正则 {pattern.pattern!r:.80} 运行超过 {PLUGIN_PATTERN_TIMEOUT:g} 秒（超时），"
                                         "本报告未应用它"))
        return []


def _deletion_spans(original: str, extra_patterns, problems: list):
    """Spans to delete, in order: the built-in ones plus every match of ``extra_patterns``, merged.
    Without plugin patterns the spans are streamed, never held in a list (a report of invisible
    characters has one span every other character). Most reports hold none of the characters a
    deletion needs (a CR, "?", invisible ones, "(" after a Han character): one scan for them is far
    cheaper than the alternation tried at every position."""
    needed = _DELETE_NEEDS.search(original) is not None
    if not extra_patterns:
        return (m.span() for m in _delete_re().finditer(original) if m.end() > m.start()) if needed else iter(())
    spans = [m.span() for m in _delete_re().finditer(original) if m.end() > m.start()] if needed else []
    for pattern in extra_patterns:
        spans.extend(_plugin_matches(pattern, original, problems))
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def fold(text: str) -> str:
    """``text.translate(_FOLD)`` (full-width digits and letters, ideographic space…), faster:
    str.translate looks every character up in a dict (~0.3 ms on a CJK report), while one
    str.replace per distinct foldable character present (mostly U+3000) costs a few microseconds."""
    for ch in set(_FOLDABLE.findall(text)):
        text = text.replace(ch, chr(_FOLD[ord(ch)]))
    return text


def normalise(original: str, extra_patterns=()) -> NormalisedText:
    """Build the matching view of ``original``.

    ``extra_patterns`` are compiled regular expressions (from the ``fazhi_lint_normalise_patterns``
    hook) whose matches are deleted too; overlapping deletions are merged, so the offset map
    stays exact.
    """
    # The kept text goes into a StringIO and the offsets into arrays of machine integers: memory
    # stays a small multiple of the text even with a deletion every other character (a list of
    # pieces and lists of int objects cost ~50 bytes per deletion).
    problems = []
    kept = io.StringIO()
    norm_starts = array("q", [0])
    orig_starts = array("q", [0])
    kept_from = 0
    norm_len = 0
    for start, end in _deletion_spans(original, extra_patterns, problems):
        kept.write(original[kept_from:start])
        norm_len += start - kept_from
        kept_from = end
        if norm_starts[-1] == norm_len:
            orig_starts[-1] = kept_from
        else:
            norm_starts.append(norm_len)
            orig_starts.append(kept_from)
    if kept_from == 0:
        text = original                     # nothing deleted: no copy
    else:
        kept.write(original[kept_from:])
        text = kept.getvalue()
    del kept
    text = fold(text)
    script, trad = script_of(text)
    if trad:
        text = _convert_t2s(text)
    return NormalisedText(text, OffsetMap(norm_starts, orig_starts), script, trad, tuple(problems))
