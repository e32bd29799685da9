"""Did the unit do what it planned? Each item of last year's 下一年度安排, read against this year's
report: *done* (a sentence of this year's review reports it; that sentence is the evidence),
*carried over* (this year's report says explicitly that it is unfinished, postponed or carried
over), *not reported* (possibly planned again for next year, which is noted, but not reported on),
or *unclear* (the item has no words of its own to look for, e.g. "提高思想认识").

Matching (measured in docs/year-over-year.md on labelled pairs; on a fresh held-out set it agrees
with the labels on about 6 items in 10, below the issue's 90 %): the item's key terms are its jieba
words minus generic ones (加强, 推进, 法治…) and minus its purpose clauses (让…、不断提升…), each with
the words reports use instead (synonyms.yaml); each term is weighted by how rare it is among the
sentences of the two reports (a term every sentence uses proves nothing), and a sentence's score is
the weighted share of the item's telling terms (or of its leading clause) it contains. Problems,
shortcomings and headings are not evidence. ``bigram`` (character pairs instead of words) is kept as
the alternative the measurement compared against.
"""
from __future__ import annotations

import functools
import math
import os
import re
from collections import Counter
from dataclasses import dataclass

from ..checks.itemwise import part_items
from ..helpers.compiled_re import compile_re

DONE, CARRIED, NOT_REPORTED, UNCLEAR = "done", "carried_over", "not_reported", "unclear"
STATUS_ZH = {DONE: "已落实", CARRIED: "结转/未完成", NOT_REPORTED: "未提及", UNCLEAR: "无法判断"}
THRESHOLD = 0.4
TOP_TERMS = 3
HEAD_BOOST = 1.5      # the item's leading clause names what it is about
_SENTENCE = compile_re(r"[^。；;！!？?\n]+[。；;！!？?]?")
_ENUM_LEAD = compile_re(r"^[ \t]*(?:[（(]?[一二三四五六七八九十\d]{1,2}[）)]?[是、.．]?|其[一二三四五六七八九十][，,、]?)")
_GROUP_HEADING = compile_re(r"^[ \t]*[（(][一二三四五六七八九十]{1,3}[）)][^。；]{2,20}[。；]?$")
_HEADING_LINE = compile_re(r"^[（(][一二三四五六七八九十]{1,3}[）)]|^[一二三四五六七八九十]{1,3}、")
_NOT_DONE = compile_re(r"尚未|未能|未完成|没有完成|推迟|延期|顺延|结转|暂缓|搁置|延续到|仍在[^，。；]{0,6}阶段")
# a sentence saying what is still weak reports a problem, not work done (decoys of a plan's words)
_PROBLEM = compile_re(r"不够|有待|不足|不到位|不强|不高|不广|不顺畅|薄弱|滞后|欠缺|亟待|较为单一|依然存在|仍然存在")
OWNER_MARGIN = 0.2    # a sentence reports the items it matches best (within this margin), not every item
CARRIED_SHARE = 0.6   # an explicit "unfinished" sentence needs this share of the done threshold
WINDOW_CHARS = 80     # a longer sentence is read in windows of clauses
_FUNCTION_CHARS = set("与和及对在的了是将把等中为以")


@dataclass(frozen=True)
class Sentence:
    start: int       # offsets into the normalised text of this year's report
    end: int
    text: str
    in_plan: bool
    in_shortcomings: bool = False


@dataclass(frozen=True)
class PlanVerdict:
    item: object          # document.items.Item of last year's plan
    status: str
    score: float
    evidence: object      # Sentence of this year's report, or None
    terms: tuple          # the item's key terms, most telling first
    replanned: object = None   # this year's plan sentence that plans the item again, if any

    @property
    def label(self) -> str:
        return _ENUM_LEAD.sub("", self.item.head).strip() or self.item.text[:30]


def plan_items(doc) -> list:
    """Last year's plan items, without group headings ("（一）持续加强法治学习宣传。") that only
    announce the 一是/二是 items under them."""
    items = part_items(doc, "next_year_plan")
    kept = []
    for k, item in enumerate(items):
        nxt = items[k + 1] if k + 1 < len(items) else None
        if _GROUP_HEADING.match(item.text) and nxt is not None and nxt.start >= item.end:
            continue
        kept.append(item)
    return kept


def sentences(doc) -> list:
    """Sentences of this year's report body (chrome left out), marked when they are plan text."""
    plan = doc.element_spans("next_year_plan")
    weak = doc.element_spans("shortcomings")
    headings = [(p.start, p.heading_end) for p in doc.parts + doc.subparts if not p.unheaded]
    out = []
    for start, end in doc.scope_spans("body"):
        for m in _SENTENCE.finditer(doc.text, start, end):
            text = m.group(0).strip()
            at = m.start()
            # a heading claims, it does not report: parts' headings and enumerated heading lines
            if len(text) >= 6 and not any(a <= at < b for a, b in headings) \
                    and not (len(text) <= 30 and _HEADING_LINE.match(text)):
                out.append(Sentence(at, m.end(), text, any(a <= at < b for a, b in plan),
                                    any(a <= at < b for a, b in weak)))
    return out


def _words(text: str, segmenter: str) -> set:
    """Every word a sentence offers for matching (jieba's search mode gives 专家学者 and 专家, 学者)."""
    if segmenter == "bigram":
        return {text[i:i + 2] for i in range(len(text) - 1)
                if not set(text[i:i + 2]) & _FUNCTION_CHARS and not re.search(r"[\W\d_]", text[i:i + 2])}
    from ..checks.segmenter import search_words   # jieba without loading its whole dictionary

    return {w for w in search_words(text) if len(w) >= 2 and not re.search(r"[\W\d_]", w)}


def _groups(piece: str, segmenter: str) -> list:
    """Term groups of a piece of an item: a word with the shorter words inside it (专家学者: 专家,
    学者), so that a sentence using either form matches and the group still counts once."""
    if segmenter == "bigram":
        return [frozenset({g}) for g in _words(piece, "bigram")]
    from ..checks.segmenter import cut_words, search_words

    out = []
    for word in cut_words(piece):
        if len(word) < 2 or re.search(r"[\W\d_]", word):
            continue
        inner = {w for w in search_words(word) if len(w) >= 2}
        out.append(frozenset(inner | {word}))
    return out


@functools.lru_cache(maxsize=1)
def _lexicon() -> dict:
    import yaml

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "synonyms.yaml")
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@functools.lru_cache(maxsize=1)
def synonyms() -> dict:
    """{word: the other words of its lists} from synonyms.yaml."""
    out = {}
    for group in _lexicon()["groups"]:
        for word in group:
            out.setdefault(word, set()).update(w for w in group if w != word)
    return {w: frozenset(o) for w, o in out.items()}


def actors() -> frozenset:
    """Who and where words (synonyms.yaml ``actors``): not enough, alone, to tie a sentence to an item."""
    return frozenset(_lexicon().get("actors") or ())


def terms_of(text: str, stopwords, segmenter: str = "jieba") -> list:
    """The term groups of a plan item that could show up when it is carried out (stock formulas
    and generic words removed)."""
    from .shingles import boilerplate_phrases

    for phrase in boilerplate_phrases():
        text = text.replace(phrase, "|")
    stop_re = re.compile("|".join(sorted(map(re.escape, stopwords), key=len, reverse=True))) if stopwords else None
    cleaned = stop_re.sub("|", text) if stop_re else text
    groups = set()
    for piece in re.split(r"[|，,、;；:：。“”《》（）()]", cleaned):
        if len(piece) >= 2:
            groups.update(_groups(piece, segmenter))
    groups = {frozenset(w for w in g if w not in stopwords and not re.search(r"[一二三四五六七八九十]", w))
              for g in groups}
    return [g for g in groups if g]



_PURPOSE = compile_re(r"^(?:让|使|确保|以|力争|努力|不断|持续提升|持续提高|进一步增强|进一步提高|提高|提升|增强|"
                      r"切实维护|扩大|形成|打造|助力|营造)")


def what_is_done(item_text: str) -> str:
    """The item without its purpose clauses (“让法治宣传更加通俗易懂”“不断提升群众法律意识”): they
    say why, a report says what was done. The first clause, which names the item, always stays."""
    clauses = re.split(r"(?<=[，,；;。])", item_text)
    return "".join(c for k, c in enumerate(clauses) if k == 0 or not _PURPOSE.match(c.strip()))


def titles(item_text: str) -> list:
    """The documents an item names, without their years: 《法治政府建设实施纲要(2021-2025年)》 ->
    法治政府建设实施纲要."""
    out = []
    for title in re.findall(r"《([^》]{2,40})》", item_text):
        title = re.sub(r"[（(][^）)]*[）)]", "", title).strip()
        if len(title) >= 4:
            out.append(title)
    return out


def with_synonyms(group: frozenset) -> frozenset:
    """A term group with the words a report may use for it instead (synonyms.yaml)."""
    table = synonyms()
    return group.union(*(table.get(w, ()) for w in group))


def _matched(groups, wide, words, text) -> list:
    """The item's term groups a sentence contains. A word found counts once: a group found only
    through a synonym that is one of the item's own words (宣传 for 普法 in "创新普法宣传方式"), or
    that another group was found through already, is not found again."""
    own = set().union(*groups)
    found, used = [], set()
    for g in groups:
        if any(t in words or t in text for t in g):
            found.append(g)
            continue
        # through a synonym: one the item does not use itself, and that no other group used already
        via = {t for t in wide[g] - g if (t in words or t in text) and t not in own}
        if via - used:
            found.append(g)
            used |= via
    return found


def follow_up(last_doc, this_doc, stopwords=(), segmenter="jieba", threshold=THRESHOLD) -> list:
    """A PlanVerdict for each item of ``last_doc``'s plan, read against ``this_doc``."""
    items = plan_items(last_doc)
    if not items:
        return []
    stop = set(stopwords)
    candidates = sentences(this_doc)
    sentence_windows = [windows(s.text) for s in candidates]
    sentence_words = [_words(s.text, segmenter) for s in candidates]
    window_words = [[_words(w, segmenter) for w in ws] for ws in sentence_windows]
    last_words = [_words(s.text, segmenter) for s in sentences(last_doc)]
    df = Counter(w for words in sentence_words + last_words for w in words)
    n = len(sentence_words) + len(last_words)

    def weight(term):
        return math.log(1 + n / (1 + df[term]))

    kinds = []
    for sentence in candidates:
        if sentence.in_plan:
            kinds.append(True)
        elif not sentence.in_shortcomings and _NOT_DONE.search(sentence.text):
            kinds.append("unfinished")      # a shortcoming says what is weak, not what was left undone
        elif sentence.in_shortcomings or _PROBLEM.search(sentence.text):
            kinds.append(None)              # a problem stated is no evidence of work done
        else:
            kinds.append(False)
    scores, keys = [], []       # per item: score of each sentence; term groups ranked
    who = actors()
    for item in items:
        groups = terms_of(what_is_done(_ENUM_LEAD.sub("", item.text)), stop, segmenter) or \
            terms_of(_ENUM_LEAD.sub("", item.text), stop, segmenter)
        if not groups:
            scores.append(None)
            keys.append(())
            continue
        # a document the item names (《法治政府建设实施纲要》) is a term of its own, stock formula or not
        groups += [frozenset({t}) for t in titles(item.text)]
        head = _ENUM_LEAD.sub("", item.head)
        gweight = {g: max(weight(t) for t in g) * (HEAD_BOOST if any(t in head for t in g) else 1) for g in groups}
        wide = {g: with_synonyms(g) for g in groups}
        ranked = sorted(groups, key=gweight.__getitem__, reverse=True)
        # A done item need not repeat every word of a long plan item: its most telling terms suffice.
        scale = sum(gweight[g] for g in ranked[:TOP_TERMS])
        heads = [g for g in groups if any(t in head for t in g)]
        head_scale = sum(gweight[g] for g in heads)
        row = []
        for texts, words_of in zip(sentence_windows, window_words):
            row.append(max(_score(_matched(groups, wide, words, text), groups, gweight, scale, heads, head_scale, who)
                           for text, words in zip(texts, words_of)))
        scores.append(row)
        keys.append(tuple(max(g, key=len) for g in ranked))
    return _verdicts(items, candidates, kinds, scores, keys, threshold)


def _score(found, groups, gweight, scale, heads, head_scale, who) -> float:
    """How well a sentence (window) with the term groups ``found`` reports an item."""
    if len(found) < min(2, len(groups)) or all(g <= who for g in found):
        return 0.0
    # the telling terms of the whole item, or the clause that names the item
    in_head = [g for g in found if g in heads]
    by_head = sum(gweight[g] for g in in_head) / head_scale if len(in_head) >= 2 else 0.0
    return min(1.0, max(sum(gweight[g] for g in found) / scale, by_head))


def windows(text: str, width: int = WINDOW_CHARS) -> list:
    """A long sentence as overlapping windows of whole clauses, each at most ``width`` characters
    (or one clause): the words of an item scattered over a 150-character sentence about several
    things are not a report of it."""
    if len(text) <= width:
        return [text]
    clauses = re.findall(r"[^，,、：:]+[，,、：:]?", text)
    out = []
    for start in range(len(clauses)):
        piece = clauses[start]
        for clause in clauses[start + 1:]:
            if len(piece) + len(clause) > width:
                break
            piece += clause
        out.append(piece)
    return out or [text]


def _verdicts(items, candidates, kinds, scores, keys, threshold) -> list:
    """The verdict of each item from the sentence scores."""
    # a sentence saying something is unfinished speaks of the item it matches best, not of every item
    owner = {}
    for k, kind in enumerate(kinds):
        if kind in (False, "unfinished"):
            top = max((scores[i][k] for i in range(len(items)) if scores[i]), default=0.0)
            margin = 0.0 if kind == "unfinished" else OWNER_MARGIN
            owner[k] = {i for i in range(len(items)) if scores[i] and scores[i][k] >= top - margin}
    verdicts = []
    for i, item in enumerate(items):
        if scores[i] is None:
            verdicts.append(PlanVerdict(item, UNCLEAR, 0.0, None, ()))
            continue
        best = {False: (0.0, None), True: (0.0, None), "unfinished": (0.0, None)}
        for k, (sentence, kind) in enumerate(zip(candidates, kinds)):
            if kind is None or (kind in (False, "unfinished") and i not in owner[k]):
                continue
            if scores[i][k] > best[kind][0]:
                best[kind] = (scores[i][k], sentence)
        review_score, review_sentence = best[False]
        plan_score, plan_sentence = best[True]
        unfinished_score, unfinished_sentence = best["unfinished"]
        if unfinished_score >= threshold * CARRIED_SHARE:       # the report itself says it is unfinished
            verdicts.append(PlanVerdict(item, CARRIED, unfinished_score, unfinished_sentence, keys[i]))
        elif review_score >= threshold:
            verdicts.append(PlanVerdict(item, DONE, review_score, review_sentence, keys[i]))
        else:       # planned again this year, with nothing reported: still not reported on
            replanned = plan_sentence if plan_score >= threshold else None
            verdicts.append(PlanVerdict(item, NOT_REPORTED, review_score, None, keys[i], replanned))
    return verdicts
