"""Read the quantified facts of a report ("全年开展集体学习12次" -> 集体学习, 12, 次).

Run once per document (``Document.facts``), not once per rule. The steps:

1. candidates: a number (Arabic, Chinese, 百分之X, or a range) directly followed by a unit from
   the lexicon, in the body of the report outside the next-year plan (a plan's numbers are
   targets, not facts) and outside book titles 《…》;
2. filters: ordinals (第二批), parts of a larger number, time limits (3个工作日内), fixed terms
   (三项制度, 一件事), bare 一 (一项/一次 are almost always idiom, not counts), Chinese numerals
   inside quotation marks;
3. labels: the clause around the number (between the neighbouring facts or punctuation) is
   matched against the lexicon's labels; otherwise the clause's own words become the label;
4. rates shared by several indicators ("参考率、优秀率均达100%") give one fact per indicator.
"""
from __future__ import annotations

import bisect

import re

import math
from dataclasses import dataclass

import regex

from ...helpers.spans import SpanSet
from ...numbers import APPROX_AFTER, parse_number, parse_range
from ...records import Fact

_BOUNDARY = re.compile(r"[，,。；;：:！!？?\n]")   # re: a plain class, listed over the whole text (2x faster than regex)
_LIST_JOIN = regex.compile(r"^[、，,和及与共计\s]*$")
_SHARED_RATE = regex.compile(r"(均|都|全部|分别)\s*(达到|达|为|是|保持在?|实现)?\s*$")
_RATE_WORD = regex.compile(r"([\p{Han}]{0,2}[率度])\s*(?:均|都)?\s*(?:达到|达|为|是|保持在?|实现|提升至|提高到|提高至)?\s*$")
_TRAILING_VERB = regex.compile(r"(均|都|全部|分别)?\s*(达到|达|为|是|保持在?|实现|提升至|提高到|提高至|增至|降至|共计|共|累计|约|近|超过|逾)?\s*$")
_PUNCT_EDGE = regex.compile(r"^[\s、，,“”\"'（）()]+|[\s、，,“”\"'（(]+$")
MAX_BEFORE = 40          # characters of context kept before a number
MAX_LABEL = 16
MAX_COUNT = 1e12         # larger "counts" are identifiers (or digit runs), not facts
MAX_AFTER = 24         # characters of context kept after a number


@dataclass(frozen=True)
class FoundFact:
    """A fact with its place in the normalised text (``start``/``end``: the number and unit)."""

    record: Fact
    start: int
    end: int

    @property
    def label(self) -> str:
        return self.record.label

    @property
    def kind(self) -> str:
        return self.record.kind

    @property
    def count(self):
        return self.record.count

    @property
    def unit(self) -> str:
        return self.record.unit


@dataclass
class _Candidate:
    start: int
    end: int
    count: float
    unit: str
    approx: bool



def _enclosed(text: str, pos: int, opener: str, closer: str, reach: int = 60) -> bool:
    """Whether ``pos`` lies inside opener…closer on the same line (e.g. 《…》, “…”)."""
    window_start = max(0, pos - reach)
    before = text[window_start:pos]
    line_break = before.rfind("\n")
    if line_break >= 0:
        before = before[line_break + 1:]
    return before.rfind(opener) > before.rfind(closer)


def _candidates(doc, lex):
    text = doc.text
    spans = doc.scope_spans("review")
    excluded = SpanSet()
    for pattern, literals in zip(lex.not_facts, lex.not_facts_literals):
        if literals is not None and not any(lit in text for lit in literals):
            continue                       # "\d+\s*[+＋]" costs 0.2 ms a report; most have no "+"
        for s, e in spans:
            for m in pattern.finditer(text, s, e):
                excluded.add(*m.span())
    out = []
    for s, e in spans:
        for m in lex.candidate.finditer(text, s, e):
            cand = _read(m, text, lex, excluded)
            if cand is not None:
                out.append(cand)
    return out


_PER_PERIOD = re.compile(r"每(?:月|周|季度?|半年|次|期|场|天|日|人|年)")
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！!？?\n]")
_WITHIN = re.compile(r"\s*(内|以内|之内)")       # 3个工作日内: a time limit
_HAN_FIRST = regex.compile(r"\p{Han}")
_LIST_WORD = re.compile(r"[、和及与]")


def _read(m, text, lex, excluded):
    start, end = m.span()
    before = text[max(0, start - 6):start]
    if before and (before[-1].isdigit() or (before[-1] in ".．," and before[-2:-1].isdigit())):
        return None                                  # the tail of a larger number (12.4, 1,200)
    if lex.not_after.search(before):
        return None                                  # 第二批, 其二, 每三年
    clause = _CLAUSE_BREAK.split(text[max(0, start - 16):start])[-1]
    if _PER_PERIOD.search(clause):
        return None                                  # 每月会前学法2次: a rate or a standard, not the year's count
    if excluded.overlaps(start, end):
        return None
    if _enclosed(text, start, "《", "》"):
        return None
    if m.group("pct"):
        value, approx = parse_number(m.group("pct"), before)
        unit, first = "%", m.group("pct")
    else:
        first, unit = m.group("n1"), m.group("unit")
        chinese = not any(ch.isdigit() for ch in first)
        if chinese and first.rstrip("余多") == "一":
            return None                              # 一项/一次/一件事: idiom far more often than a count
        if chinese and (_enclosed(text, start, "“", "”") or _enclosed(text, start, '"', '"')):
            return None                              # “三服务”“两个维护”: slogans in quotes
        if m.group("n2"):
            value, _ = parse_range(first, m.group("n2"), before)
            approx = True
        else:
            value, approx = parse_number(first, before)
        if unit in lex.time_units and _WITHIN.match(text[end:end + 3]):
            return None                              # a time limit: 3个工作日内办结
    if value is None or not math.isfinite(value) or value > MAX_COUNT:
        return None                                  # an identifier or a run of digits, not a count
    after = APPROX_AFTER.match(text[end:end + 3])
    if after:
        end += after.end()
        approx = True
    if first.endswith(("余", "多")):
        approx = True
    return _Candidate(start, end, value, unit, approx)


def _clause_bounds(boundaries: list, pos: int, lo: int, hi: int):
    """[left, right) of the clause around ``pos``: from just after the last boundary character
    before it to the first one at or after it (``boundaries``: their sorted offsets)."""
    i = bisect.bisect_left(boundaries, pos)
    left = max(lo, boundaries[i - 1] + 1) if i else lo
    right = min(hi, boundaries[i]) if i < len(boundaries) else hi
    return left, right


def _lexicon_label(lex, segment: str, sentence_before: str = ""):
    """The first lexicon label matching the segment; a generic match defers to a specific label of
    the same kind found earlier in the sentence. Remembered in the lexicon (bounded)."""
    memo = lex.label_memo
    key = (segment, sentence_before)
    found = memo.get(key)
    if found is None:
        if len(memo) > 50_000:
            memo.clear()
        found = memo[key] = _first_label(lex, segment, sentence_before)
    return found


def _first_label(lex, segment: str, sentence_before: str):
    for entry in lex.labels:
        if entry.pattern.search(segment):
            if entry.generic and sentence_before:
                for other in lex.labels:
                    if not other.generic and other.kind == entry.kind \
                            and other.pattern.search(sentence_before):
                        return other.label, other.kind
            return entry.label, entry.kind
    return None, "other"


def _sentence_start(text: str, pos: int) -> int:
    floor = max(0, text.rfind("\n", 0, pos))     # a sentence never crosses a line break
    start = max(text.rfind("。", floor, pos), text.rfind("；", floor, pos), text.rfind("\n", 0, pos))
    return start + 1


def _clean(words: str, lex) -> str:
    words = _PUNCT_EDGE.sub("", words)
    words = lex.label_noise.sub("", words)
    words = _TRAILING_VERB.sub("", words)
    return _PUNCT_EDGE.sub("", words)


def _fallback_label(before: str, after: str, lex) -> str:
    """The clause's own words: the noun after the unit when there is one ("10家单位负责人"),
    else the words before the number ("发放宣传资料8000余份")."""
    tail = _PUNCT_EDGE.sub("", after)[:MAX_LABEL]
    if tail and _HAN_FIRST.match(tail):
        return "“" + tail if "”" in tail and "“" not in tail else tail
    label = _clean(before, lex)[-MAX_LABEL:]
    return label or tail or "数量"


def _with_rate(label: str, rate_word: str) -> str:
    if not rate_word or label.endswith(rate_word):
        return label
    for k in range(len(rate_word) - 1, 0, -1):
        if label.endswith(rate_word[:k]):
            return label + rate_word[k:]
    return label + rate_word


def extract_facts(doc) -> list:
    """All quantified facts of a Document, in reading order."""
    from ..vocabulary import default_vocabulary

    lex = (doc.vocabulary or default_vocabulary()).facts
    text = doc.text
    cands = _candidates(doc, lex)
    boundaries = [m.start() for m in _BOUNDARY.finditer(text)] if cands else []
    facts = []
    previous = None   # (candidate, label, kind, text_start, clause)
    for i, cand in enumerate(cands):
        clause = _clause_bounds(boundaries, cand.start, 0, len(text))
        seg_start = clause[0]
        if previous and previous[4] == clause:
            seg_start = max(seg_start, previous[0].end)
        seg_end = clause[1]
        if i + 1 < len(cands) and cands[i + 1].start < clause[1]:
            seg_end = min(seg_end, cands[i + 1].start)
        list_break = text.find("、", cand.end, seg_end)
        if list_break >= 0:
            seg_end = list_break          # "讲座2期、培训班2期": the next item names its own fact
        before = text[seg_start:cand.start]
        after = text[cand.end:seg_end]
        text_end = min(seg_end, cand.end + MAX_AFTER)
        if previous and previous[4] == clause and _LIST_JOIN.match(before):
            # "4场120人次": the second number counts the same thing as the first
            _, label, kind, text_start, _ = previous
            facts.append(_make(doc, kind, label, cand, text_start, text_end))
            previous = (cand, label, kind, text_start, clause)
            continue
        text_start = max(seg_start, cand.start - MAX_BEFORE)
        while text_start < cand.start and text[text_start] in "、，, “”":
            text_start += 1
        segment = text[seg_start:seg_end]
        label, kind = _lexicon_label(lex, segment, text[_sentence_start(text, seg_start):seg_start])
        if cand.unit == "%":
            made = _rate_facts(doc, lex, cand, before, label, kind, text_start, text_end)
            facts.extend(made)
            previous = (cand, made[0].record.label, made[0].record.kind, text_start, clause)
            continue
        if label is None:
            label = _fallback_label(before, after, lex)
        facts.append(_make(doc, kind, label, cand, text_start, text_end))
        previous = (cand, label, kind, text_start, clause)
    return facts


def _rate_facts(doc, lex, cand, before, label, kind, text_start, text_end):
    """One fact per indicator for "A率、B率均达100%", else one fact."""
    shared = _SHARED_RATE.search(before)
    if shared:
        items = [w for w in _LIST_WORD.split(before[:shared.start()]) if w.strip()]
        rates = [w for w in items if _clean(w, lex).endswith(("率", "度"))]
        if len(rates) >= 2:
            out = []
            for item in rates:
                rate_word = _RATE_WORD.search(item)
                word = rate_word.group(1) if rate_word else ""
                name = _with_rate(label, word) if label else _clean(item, lex)[-MAX_LABEL:]
                out.append(_make(doc, kind, name, cand, text_start, text_end))
            return out
    rate_word = _RATE_WORD.search(before)
    word = rate_word.group(1) if rate_word else ""
    name = _with_rate(label, word) if label else _fallback_label(before, "", lex)
    return [_make(doc, kind, name, cand, text_start, text_end)]


def _make(doc, kind, label, cand, text_start, text_end=0) -> FoundFact:
    orig = doc.norm.offsets.to_original(text_start)
    line, column = doc.position(orig)
    quote = doc.text[text_start:max(cand.end, text_end)].replace("\n", " ").strip()
    record = Fact(kind=kind, label=label, count=cand.count, unit=cand.unit, approx=cand.approx,
                  line=line, column=column, text=quote)
    return FoundFact(record, cand.start, cand.end)
