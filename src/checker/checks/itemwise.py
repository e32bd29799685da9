"""Kinds that reason about the items of a part (一是…二是…): ``part_size`` (a part is substantial),
``item_share`` (enough items carry a measurable element) and ``plan_answers`` (each shortcoming is
answered by a plan item)."""
from __future__ import annotations

import bisect
import functools
import re
from collections import Counter

from ..document.items import Item, split_items
from .base import Hit, NotApplicable, compile_list, first_line, search
from .measures import nonspace_chars
from .params import REQUIRED, DeclaredKind, Param, Parameters

_ENUM_PREFIX = re.compile(r"^[ \t]*(?:[（(]?[一二三四五六七八九十\d]{1,2}[）)]?[是、.．]?|其[一二三四五六七八九十][，,、]?)")


def part_items(doc, element: str) -> list:
    """Items of every part classified as ``element`` (headings and cause analysis left out); split
    once per report (several rules read the shortcomings and the plan)."""
    return list(doc._cached(("part_items", element), lambda: tuple(_split_part(doc, element))))


def _split_part(doc, element: str) -> list:
    parts = [p for p in doc.parts + doc.subparts if element in p.elements]
    if not parts:
        return []
    heading_end = {}
    for p in parts:
        heading_end[p.start] = max(heading_end.get(p.start, p.start), p.heading_end)
    causes = doc.causes_spans if element != "causes" else []
    cause_starts = [a for a, _ in causes]
    # Headings inside the part ("三、存在的不足和原因" split into "（一）存在的不足" and "（二）原因") name the
    # items that follow; they are not items themselves.
    headings = {p.start: p.heading_end for p in doc.parts + doc.subparts if not p.unheaded}
    items = []
    for start, end in doc.element_spans(element):
        body_start = heading_end.get(start, start)
        for item in split_items(doc.text[body_start:end], body_start):
            k = bisect.bisect_right(cause_starts, item.start) - 1
            if k >= 0 and item.start < causes[k][1]:
                continue
            item = _without_heading(doc.text, item, headings.get(item.start))
            if item is not None:
                items.append(item)
    return items


def _without_heading(text: str, item, heading_end):
    """The item with a part heading at its start cut off; None when nothing but the heading is left."""
    if heading_end is None or heading_end <= item.start:
        return item
    rest = text[heading_end:item.end]
    body = rest.lstrip(" \t\n。：:，,")
    if len(body.strip()) < 4:
        return None
    lead = item.end - len(rest) + (len(rest) - len(body))
    return Item(lead, item.end, body.strip())


def _part_body(doc, element):
    parts = [p for p in doc.parts + doc.subparts if element in p.elements]
    spans = doc.element_spans(element)
    texts = []
    for start, end in spans:
        body_start = max([p.heading_end for p in parts if p.start == start] or [start])
        texts.append(doc.text[body_start:end])
    return spans, "".join(texts)


class PartSizeKind(DeclaredKind):
    """A part must be substantial: enough characters, enough items, a minimum share of the body."""

    name = "part_size"
    declared = Parameters(
        "part_size",
        Param("element", "element", "要素名", REQUIRED),
        Param("min_chars", "count", "该部分正文最少字数", 0),
        Param("min_items", "count", "最少条目数（一是/（一）/1. 或句子）", 0),
        Param("min_share", "share", "占正文字数的最小比例（如 0.03）", 0),
    )

    def check(self, doc, rule, state):
        c = rule.config
        spans, body = _part_body(doc, c.element)
        if not spans:
            raise NotApplicable("报告没有该部分")
        chars = len(re.sub(r"\s", "", body))
        items = len(part_items(doc, c.element))
        total = nonspace_chars(doc, doc.scope_spans("body")) or 1
        problems = []
        if chars < c.min_chars:
            problems.append(f"只有 {chars} 字（少于 {c.min_chars} 字）")
        if items < c.min_items:
            problems.append(f"只有 {items} 条（少于 {c.min_items} 条）")
        if chars / total < c.min_share:
            problems.append(f"只占正文的 {100 * chars / total:.1f}%（少于 {100 * c.min_share:g}%）")
        if not problems:
            return []
        start, end = first_line(doc.text, *spans[0])
        return [Hit(start, end, values={"detail": "；".join(problems), "chars": chars, "items": items})]


class ItemShareKind(DeclaredKind):
    """At least ``min_share`` of a part's items must contain one of the patterns."""

    name = "item_share"
    declared = Parameters(
        "item_share",
        Param("element", "element", "要素名", REQUIRED),
        Param("patterns", "patterns", "条目中应出现的内容（正则列表，任一即可）", REQUIRED),
        Param("min_share", "share", "满足条件的条目最小比例（0–1）", REQUIRED),
        Param("min_items", "count", "条目少于此数时跳过", 2),
    )

    def prepare(self, rule):
        return compile_list(rule.config.patterns, "patterns")

    def check(self, doc, rule, patterns):
        items = part_items(doc, rule.config.element)
        if len(items) < rule.config.min_items:
            raise NotApplicable("条目太少")
        good = [i for i in items if any(search(p, i.text) for p in patterns)]
        share = len(good) / len(items)
        if share >= rule.config.min_share:
            return []
        first_bad = next(i for i in items if i not in good)
        return [Hit(first_bad.start, first_bad.start + len(first_bad.head),
                    values={"share": f"{100 * share:.0f}%", "count": len(good), "total": len(items),
                            "item": first_bad.head})]


_FUNCTION_CHARS = set("与和及对在的了是将把等中为以")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』\n]{2,12})[”\"」』]")
_HEAD_BREAK = re.compile(r"[。；;，,:：]")
_TERM_BREAK = re.compile(r"[|，,、;；:：]")
_NUMERAL = re.compile(r"[\d一二三四五六七八九十]")
_SENTENCE_BREAK = re.compile(r"[。；;！!？?\n]")
UNKNOWN_IDF = 8.0       # a word jieba's idf table lacks: a domain compound (海警) taken as middling


@functools.lru_cache(maxsize=4096)
def _jieba_words(text: str) -> frozenset:
    """Words of 2+ characters (remembered: the same clauses recur across the reports of a batch)."""
    from .segmenter import search_words  # jieba is imported only when a rule with segmenter: jieba runs

    return frozenset(w for w in search_words(text) if len(w) >= 2)


def _bigrams(text: str) -> set:
    return {text[i:i + 2] for i in range(len(text) - 1)}


class PlanAnswersKind(DeclaredKind):
    """Each shortcoming item must be answered by the plan: the plan must contain one of the item's
    key terms. Key terms come from the item's leading clause; terms shared with other shortcomings
    (e.g. 宣传 in two items) do not count when the item has terms of its own (对外)."""

    name = "plan_answers"
    declared = Parameters(
        "plan_answers",
        Param("stopwords", "texts", "不作为关键词的词（泛用词：加强、推进、工作……）", ()),
        Param("synonyms", "groups", "同义词组列表（如 [认识, 意识]），组内任一出现即视为对应", ()),
        Param("segmenter", "text", "jieba（分词）或 bigram（二字切分，不加载 jieba）", "jieba", ("jieba", "bigram")),
        Param("min_share", "share", "可选：只有已回应的比例低于此值时才报告"),
        Param("lead_in", "patterns", "引导分句：条目开头这样的分句（“我局法治政府建设虽取得一定成效”“但对照上级要求仍存在一些差距”）"
              "跳过，从下一个分句取关键词", ()),
        Param("body_terms", "count", "首句的关键词在安排中都找不到时，条目其余文字中至少有这么多个本条独有、且有区分力的词"
              "（见 body_min_idf）出现在安排中，也算已回应（0 为只看首句）", 2),
        Param("body_min_idf", "number", "条目其余文字中的词要有多大区分力才算（jieba 逆文档频率：干部 6.3、教育 5.7 不算，"
              "征收 6.9、案卷 10.9 算）", 6.5),
    )

    def prepare(self, rule):
        stop = rule.config.stopwords
        stop_re = re.compile("|".join(sorted(map(re.escape, stop), key=len, reverse=True))) if stop else None
        return set(stop), stop_re, [set(g) for g in rule.config.synonyms], compile_list(rule.config.lead_in, "lead_in")

    def warm_up(self, rule, state):
        """Load jieba's dictionary (and, for the rest of an item, its idf table) once, before a batch
        forks its workers."""
        if rule.config.segmenter == "jieba":
            from .segmenter import warm_up

            warm_up()
        if rule.config.body_terms:
            from .segmenter import background_idf

            background_idf()

    def _head(self, doc, item, state) -> str:
        """The item's leading clause after its enumerator, lead-in clauses skipped (within the item's
        account: its own cause analysis, "……仍有差距。分析原因，……", is never its head)."""
        lead_in = state[3]
        text = _ENUM_PREFIX.sub("", item_without_causes(doc, item).strip())
        clauses = [c for c in _HEAD_BREAK.split(text) if c.strip()]
        for clause in clauses:
            if not any(search(p, clause) for p in lead_in):
                return clause
        return _ENUM_PREFIX.sub("", item.head)

    def _terms(self, head, rule, state):
        stop, stop_re, groups, _ = state
        text = stop_re.sub("|", head) if stop_re else head
        pieces = [s for s in _TERM_BREAK.split(text) if len(s) >= 2]
        words = set()
        for piece in pieces:
            if rule.config.segmenter == "jieba":
                words |= _jieba_words(piece)
            else:   # bigrams that do not straddle a function character
                words |= {b for b in _bigrams(piece) if not set(b) & _FUNCTION_CHARS}
        words = {w for w in words if w not in stop and not _NUMERAL.search(w)}
        return words, [g for g in groups if any(x in head for x in g)]

    def check(self, doc, rule, state):
        shortcomings = part_items(doc, "shortcomings")
        plan = part_items(doc, "next_year_plan")
        if not shortcomings or not plan:
            raise NotApplicable("报告缺少不足或下一年度安排部分")
        plan_text = "\n".join(i.text for i in plan)
        if len(plan_text) > 50_000:       # a huge plan (a concatenated corpus): index its substrings once
            plan_text = _SubstringIndex(plan_text)
        heads = [self._head(doc, i, state) for i in shortcomings]
        terms = [self._terms(h, rule, state) for h in heads]
        # How many shortcomings use each term (directly or through a synonym group).
        pools = [words.union(*groups) if groups else set(words) for words, groups in terms]
        used_by = Counter(t for pool in pools for t in pool)
        # A term two shortcomings share proves neither answered, unless the plan gives it as many items of
        # its own ("执法规范化……" and "执法队伍……" answered by "提升执法质量" and "加强执法队伍建设").
        plan_items_with = {}
        if isinstance(plan_text, str):
            for term in (t for t, n in used_by.items() if n > 1):
                plan_items_with[term] = sum(1 for i in plan if term in i.text)
        unanswered, memo = [], {}          # memo: each item's body words, worked out once per report
        for item, (words, groups), pool in zip(shortcomings, terms, pools):
            def shared(term):
                return used_by[term] - (term in pool) > 0 and plan_items_with.get(term, 0) < used_by[term]
            own_words = [w for w in words if not shared(w) and not any(w in g and any(map(shared, g)) for g in groups)]
            own_groups = [g for g in groups if not any(map(shared, g))]
            if own_words or own_groups:
                candidates = set(own_words).union(*own_groups) if own_groups else set(own_words)
            else:
                candidates = pool
            if not any(self._answers(c, words, plan_text, rule) for c in candidates) and not self._body_answered(
                    doc, item, shortcomings, rule, state, pool, plan_text, memo):
                unanswered.append(item)
        if not unanswered:
            return []
        min_share = rule.config.min_share
        if min_share is not None and 1 - len(unanswered) / len(shortcomings) >= min_share:
            return []
        head_of = {i.start: h for i, h in zip(shortcomings, heads)}
        return [Hit(i.start, i.start + len(i.head), values={"item": head_of[i.start],
                                                             "count": len(unanswered), "total": len(shortcomings)})
                for i in unanswered]


    @staticmethod
    def _answers(term, words, plan_text, rule) -> bool:
        """Whether the plan taking up ``term`` answers the shortcoming: a generic word (jieba idf below
        ``body_min_idf``) the shortcoming only uses inside a longer term the plan does not take up
        (专业 in 专业化, the plan's 专业律师) does not."""
        if term not in plan_text:
            return False
        if rule.config.segmenter != "jieba" or not any(term != w and term in w for w in words):
            return True
        if any(term != w and term in w and w in plan_text for w in words):
            return True
        from .segmenter import general_idf

        return general_idf(term, UNKNOWN_IDF) >= rule.config.body_min_idf

    def _body_answered(self, doc, item, items, rule, state, pool, plan_text, memo=None) -> bool:
        """Whether the item's account after its leading clause shares at least ``body_terms`` terms
        with the plan that no other shortcoming uses ("法治工作力量仍然薄弱……专职人员仅1人" answered by
        "配备专职法务人员不少于3人"). Where each item gives its own causes, they count too (a plan
        answers a cause as well); a cause analysis after the last item belongs to all of them. A name in
        quotation marks that only this item uses and the plan takes up answers it on its own."""
        need = rule.config.body_terms
        if not need:
            return False
        others_text = "\n".join(i.text for i in items if i is not item)
        if any(q in plan_text and q not in others_text for q in _QUOTED.findall(item.text)):
            return True       # a name in quotation marks ("法律明白人") the plan takes up is this item's answer
        memo = {} if memo is None else memo
        if "own_causes" not in memo:
            memo["own_causes"] = sum(1 for i in items if item_without_causes(doc, i) != i.text) >= 2
        own_causes = memo["own_causes"]

        def body_words(i):
            if i.start not in memo:
                memo[i.start] = self._body_words(doc, i, rule, state, own_causes)
            return memo[i.start]
        words = body_words(item)
        others = set().union(*(body_words(i) | {i.head} for i in items if i is not item))
        from .segmenter import general_idf

        # where or who (市级, the unit's own 高新区), and the pieces of those words (高新, 新区): not telling
        untelling = [w for w in words if _says_where_or_who(w, doc.meta.unit or "")]
        own = {w for w in words - pool if w in plan_text and w not in others and not any(w in o for o in others)
               and general_idf(w, UNKNOWN_IDF) >= rule.config.body_min_idf and not any(w in u for u in untelling)}
        # a word inside another counted word (传教 in 宣传教育, 行政处罚 in 行政处罚法) counts with it, once
        distinct = [w for w in own if not any(w != o and w in o for o in own)]
        return len(distinct) >= need

    def _body_words(self, doc, item, rule, state, with_causes: bool) -> set:
        text = item.text if with_causes else item_without_causes(doc, item)
        words, _ = self._terms(_SENTENCE_BREAK.sub("，", text), rule, state)
        return words


_TIER = re.compile(r"^[省市县区乡镇村]级$")
_UNIT_SUFFIX = "区县市镇乡局委办会"


def _says_where_or_who(word: str, unit: str) -> bool:
    """Whether a word only says at which level (市级, 县级) or names the reporting unit itself (高新区 for
    福建闽溪高新技术产业开发区管理委员会): a plan taking it up answers no shortcoming."""
    if _TIER.match(word):
        return True
    if not unit or word[-1] not in _UNIT_SUFFIX or word[-1] not in unit:
        return False
    at = 0
    for ch in word:            # the unit's name, shortened: its characters in order
        at = unit.find(ch, at) + 1
        if not at:
            return False
    return True


def item_without_causes(doc, item) -> str:
    """An item's text up to where cause analysis inside it starts ("……原因在于编制所限")."""
    for start, end in doc.causes_spans:
        if item.start < start < item.end:
            return doc.text[item.start:start]
    return item.text


class _SubstringIndex:
    """``term in index`` for terms of 2-8 characters in a long text, in constant time per query."""

    def __init__(self, text: str):
        self._grams = {text[i:i + n] for n in range(2, 9) for i in range(len(text) - n + 1)}

    def __contains__(self, term: str) -> bool:
        return term in self._grams
