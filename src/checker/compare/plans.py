"""Did the unit do what it planned? Each item of last year's 下一年度安排, read against this year's
report: *done* (a sentence of this year's review reports it; that sentence is the evidence),
*carried over* (this year's report says explicitly that it is unfinished, postponed or carried
over), *not reported* (possibly planned again for next year, which is noted, but not reported on),
or *unclear* (the item has no words of its own to look for, e.g. "提高思想认识").

Matching (measured in docs/year-over-year.md on labelled pairs: on the blind sets it never saw it
agrees with the labels on 93 % of items): the item's key terms (plan_terms.py), each weighted by how
rare it is among the sentences of the two reports and how telling it is in general; a sentence's
score is the weighted share of the item's telling terms (or of its leading clause) it contains.
Problems, shortcomings, headings and the title are not evidence; an item this year's shortcomings
or plan name at least as clearly as a weak report of it is not done. ``bigram`` (character pairs
instead of words) is kept as the alternative the measurement compared against.
"""
from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass

from ..checks.itemwise import part_items
from .kinds import THRESHOLD
from .plan_index import Occurrences, Terms
from .plan_terms import actors, prior, quoted_names, terms_of, titles, what_is_done, with_synonyms, \
    without_formulas, words_in

DONE, CARRIED, NOT_REPORTED, UNCLEAR = "done", "carried_over", "not_reported", "unclear"
STATUS_ZH = {DONE: "已落实", CARRIED: "结转/未完成", NOT_REPORTED: "未提及", UNCLEAR: "无法判断"}
STRONG_SCORE = 0.9    # a report of an item this strong stands even when this year's shortcomings name it
TOP_TERMS = 3
HEAD_BOOST = 1.5      # the item's leading clause names what it is about
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
_ENUM_LEAD = re.compile(r"^[ \t]*(?:[（(]?[一二三四五六七八九十\d]{1,2}[）)]?[是、.．]?|其[一二三四五六七八九十][，,、]?)")
_GROUP_HEADING = re.compile(r"^[ \t]*[（(][一二三四五六七八九十]{1,3}[）)][^。；]{2,20}[。；]?$")
_HEADING_LINE = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]|^[一二三四五六七八九十]{1,3}、")
_NOT_DONE = re.compile(r"尚未|未能|未完成|没有完成|推迟|延期|顺延|结转|暂缓|搁置|延续到|仍在[^，。；]{0,6}阶段|还没有|仍未|暂未|"
                       r"尚待|未按期|未按计划|仍处于|初稿|待印发|正在[^，。；]{0,8}中|其余[^，。；]{0,16}(?:将于|正在|尚|仍|计划)|"
                       r"(?:进入|处于)[^，。；]{0,8}阶段|仍在推进|尚在|还需|正在(?:施工|建设|开发|调试|起草|制定|修订|实施|推进)|"
                       r"预计[^，。；]{0,12}(?:完成|投入使用|建成|印发|上线)|试运行|一期(?:工程|项目|已)|正在进行|筹建|"
                       r"计划(?:于)?(?:明年|下一?年|20\d\d年)")
# a sentence saying what is still weak reports a problem, not work done (decoys of a plan's words)
_PROBLEM = re.compile(r"不够|有待|不足|不到位|不强|不高|不广|不顺畅|薄弱|滞后|欠缺|亟待|较为单一|依然存在|仍然存在|缓慢|"
                      r"不平衡|不均衡|不充分|流于形式|缺乏|不规范|不严格|执行不严|偏少|较少|不深入|不及时|短板")
# ... unless it goes on to say what was done about it ("针对执法不规范问题，开展专项整治")
_DOING = re.compile(r"开展|组织|举办|制定|出台|印发|建立|完成|实现|聘请|设立|开设|修订|编制|召开|培训|整改|推行|实施|办理|审查|录制|发布")
_CONTINUING = re.compile(r"(?:进一步|持续|继续|不断)?(?:深化|巩固|拓展|扩大|继续|持续|坚持|提升|优化|完善)")
SINGLE_SHARE = 0.9    # the item's top group found alone must be found this fully
_OTHER_TITLE = re.compile(r"《[^》]{4,60}》")
OTHER_TITLE_SHARE = 0.5  # what such a sentence keeps of its score
ACTOR_SHARE = 0.5     # a who-or-where group (居民, 全县) counts for half
SYNONYM_SHARE = 0.9   # a group found through a synonym (synonyms.yaml) counts nearly in full
OWNER_MARGIN = 0.2    # a sentence reports the items it matches best (within this margin), not every item
CARRIED_SHARE = 0.6   # an explicit "unfinished" sentence needs this share of the done threshold
WINDOW_CHARS = 80     # a longer sentence is read in windows of clauses
# A plan part lists tens of items (the seeds: 5-12); past this many the text is not a plan but a
# pasted document, and matching every item against every sentence would grow with the square of
# the size: the items after it are "unclear" (无法判断), and compare says so.
MAX_PLAN_ITEMS = 300


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
    nearest: object = None     # not reported: the sentence of this year's review closest to it, for the reader's check

    @property
    def sure(self) -> bool:
        """Whether the verdict can stand without a reviewer's look. Measured on the labelled pairs
        (docs/year-over-year.md): "done" and "carried over" agree with the labels more than nine
        times in ten; "not reported" about seven in ten, since a report in other words than the
        plan's looks to word matching the same as no report at all."""
        return self.status in (DONE, CARRIED)

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
    headings += doc.scope_spans("title")      # the report's title names the unit, it reports nothing
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


def _matched(active, weight, words, text, present) -> dict:
    """{group: share of its weight found} for the item's term groups a sentence contains. A group
    found only through a shorter word inside it (行政 of 行政复议) counts with that word's weight,
    not the compound's; a sentence word counts for one group only (服务 is not found twice, for
    服务 and 服务体系); a group found only through a synonym that is one of the item's own words
    (宣传 for 普法 in "创新普法宣传方式") is not found again. ``active``: the item's groups the
    sentence can match (``plan_index.Terms.active``); ``present``: the item's terms the whole sentence holds
    (a window of it holds no others)."""
    found, used = {}, set()
    for g, full, extra in active:
        hit = [t for t in g if t in present and (t in words or t in text) and t not in used]
        if hit:
            best = max(hit, key=weight)
            found[g] = min(1.0, weight(best) / full)
            used.update(t for t in hit if t == best or t in best)
            continue
        # through a synonym: one the item does not use itself, and that no other group used already
        via = {t for t in extra if t in present and (t in words or t in text)} - used
        if via:
            found[g] = SYNONYM_SHARE
            used |= via
    return found


def follow_up(last_doc, this_doc, stopwords=(), segmenter="jieba", threshold=THRESHOLD) -> list:
    """A PlanVerdict for each item of ``last_doc``'s plan, read against ``this_doc``. The verdicts of
    the last few pairs are remembered (FZ-Y01's kind and ``compare``'s table ask for the same pair);
    Documents are values, so a pair is the same pair for as long as both exist."""
    return list(_follow_up(last_doc, this_doc, tuple(stopwords), segmenter, float(threshold)))


@functools.lru_cache(maxsize=2)
def _follow_up(last_doc, this_doc, stopwords, segmenter, threshold) -> tuple:
    items = plan_items(last_doc)
    if not items:
        return ()
    beyond = tuple(PlanVerdict(item, UNCLEAR, 0.0, None, ()) for item in items[MAX_PLAN_ITEMS:])
    items = items[:MAX_PLAN_ITEMS]
    stop = set(stopwords)
    candidates = sentences(this_doc)
    # the units' own names (市政务服务和数据管理局) are in every report of theirs: no evidence of any item
    names = tuple(sorted({n for n in (last_doc.meta.unit, this_doc.meta.unit) if n and len(n) >= 3},
                         key=len, reverse=True))
    plain = [without_formulas(s.text, names) for s in candidates]
    sentence_windows = [windows(text) for text in plain]
    sentence_words = [words_in(text, segmenter) for text in plain]
    window_words = [[words_in(w, segmenter) for w in ws] for ws in sentence_windows]
    last_words = [words_in(s.text, segmenter) for s in sentences(last_doc)]
    df = Counter(w for words in sentence_words + last_words for w in words)
    n = len(sentence_words) + len(last_words)

    @functools.lru_cache(maxsize=None)
    def weight(term):
        return math.log(1 + n / (1 + df[term])) * prior(term)

    kinds = []
    for sentence in candidates:
        if sentence.in_plan:
            kinds.append(True)
        elif not sentence.in_shortcomings and _NOT_DONE.search(sentence.text):
            kinds.append("unfinished")      # a shortcoming says what is weak, not what was left undone
        elif sentence.in_shortcomings or _states_problem(sentence.text):
            kinds.append(None)              # a problem stated is no evidence of work done
        else:
            kinds.append(False)
    scores, keys = [], []       # per item: {sentence number: score > 0}; term groups ranked
    who = actors()
    occurrences = Occurrences(plain)
    for item in items:
        groups = terms_of(what_is_done(_ENUM_LEAD.sub("", item.text)), stop, segmenter, names) or \
            terms_of(_ENUM_LEAD.sub("", item.text), stop, segmenter, names)
        if not groups:
            scores.append(None)
            keys.append(())
            continue
        # a document the item names (《法治政府建设实施纲要》) is a term of its own, stock formula or not
        named = titles(item.text)
        groups += [frozenset({t}) for t in named + quoted_names(item.text) if t not in stop]
        head = _ENUM_LEAD.sub("", item.head)
        gweight = {g: max(weight(t) for t in g) * (HEAD_BOOST if any(t in head for t in g) else 1) for g in groups}
        wide = {g: with_synonyms(g) for g in groups}
        ranked = sorted(groups, key=gweight.__getitem__, reverse=True)
        # A done item need not repeat every word of a long plan item: its most telling terms suffice.
        scale = sum(gweight[g] for g in ranked[:TOP_TERMS])
        heads = [g for g in groups if any(t in head for t in g)]
        head_scale = sum(gweight[g] for g in heads)
        row, terms = {}, Terms.of(groups, wide, weight)
        for k, present in occurrences.candidates(groups, wide, ranked[0]):
            sentence, active = candidates[k], terms.active(present)
            score = max(_score(_matched(active, weight, words, text, present), groups, gweight, scale, heads,
                               head_scale, who, ranked[0])
                        for text, words in zip(sentence_windows[k], window_words[k]))
            # the item names its document (《某市安全生产条例》); a sentence naming another one and not it
            # reports other work
            if named and score and not any(t in sentence.text for t in named) and _OTHER_TITLE.search(sentence.text):
                score *= OTHER_TITLE_SHARE
            if score > 0:
                row[k] = score
        scores.append(row)
        keys.append(tuple(max(g, key=len) for g in ranked))
    return tuple(_verdicts(items, candidates, kinds, scores, keys, threshold)) + beyond


def _still_to_do(review_score, problem_score, plan_score, plan_sentence) -> bool:
    """A weak report of an item (under STRONG_SCORE) while this year's shortcomings, or a plan
    sentence that does not merely go on with the work, name it at least as clearly: the report
    itself says the work is still to do."""
    named_again = max(problem_score, 0.0 if _continues(plan_sentence) else plan_score)
    return review_score < STRONG_SCORE and named_again >= review_score


def _continues(sentence) -> bool:
    """A plan sentence that goes on with work under way (深化、继续、巩固…“执法+专家”模式): it says the
    work was started, not that it is still to do."""
    return sentence is not None and bool(_CONTINUING.match(_ENUM_LEAD.sub("", sentence.text)))


def _states_problem(text: str) -> bool:
    """A sentence that says what is weak and not what was done about it."""
    cue = _PROBLEM.search(text)
    return cue is not None and not _DOING.search(text, cue.end())


def _score(found, groups, gweight, scale, heads, head_scale, who, top=None) -> float:
    """How well a sentence (window) with the term groups ``found`` reports an item: at least two of
    its groups, or its single most telling one in full (法治副校长 for "落实法治副校长制度")."""
    single = top is not None and len(found) == 1 and found.get(top, 0.0) >= SINGLE_SHARE
    if (len(found) < min(2, len(groups)) and not single) or all(g <= who for g in found):
        return 0.0
    # the telling terms of the whole item, or the clause that names the item
    in_head = [g for g in found if g in heads]
    # who and where (居民, 全县) count little: they name the same people, not the same work
    share = {g: found[g] * (ACTOR_SHARE if g <= who else 1.0) for g in found}
    by_head = sum(gweight[g] * share[g] for g in in_head) / head_scale if len(in_head) >= 2 else 0.0
    return min(1.0, max(sum(gweight[g] * share[g] for g in found) / scale, by_head))


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
    # (scores are sparse: a sentence missing from an item's row scores 0 for it, and a score of 0
    # never makes a verdict, so only the sentences in the rows are looked at)
    top = {}
    for row in scores:
        for k, score in (row or {}).items():
            top[k] = max(top.get(k, 0.0), score)
    verdicts = []
    for i, item in enumerate(items):
        if scores[i] is None:
            verdicts.append(PlanVerdict(item, UNCLEAR, 0.0, None, ()))
            continue
        best = {False: (0.0, None), True: (0.0, None), "unfinished": (0.0, None), None: (0.0, None)}
        for k, score in scores[i].items():
            kind = kinds[k]
            margin = 0.0 if kind == "unfinished" else OWNER_MARGIN
            if kind in (False, "unfinished") and score < top[k] - margin:
                continue
            if score > best[kind][0]:
                best[kind] = (score, candidates[k])
        review_score, review_sentence = best[False]
        plan_score, plan_sentence = best[True]
        unfinished_score, unfinished_sentence = best["unfinished"]
        # the report itself says it is unfinished, and says so of this item more than it reports it done
        if unfinished_score >= threshold * CARRIED_SHARE and unfinished_score >= review_score:
            verdicts.append(PlanVerdict(item, CARRIED, unfinished_score, unfinished_sentence, keys[i]))
        elif review_score >= threshold and not _still_to_do(review_score, best[None][0], plan_score, plan_sentence):
            verdicts.append(PlanVerdict(item, DONE, review_score, review_sentence, keys[i]))
        else:       # planned again this year, with nothing reported: still not reported on
            replanned = plan_sentence if plan_score >= threshold else None
            verdicts.append(PlanVerdict(item, NOT_REPORTED, review_score, None, keys[i], replanned,
                                        review_sentence if review_score > 0 else None))
    return verdicts
