"""The ``stock_items`` kind: judge each item of a part (一是…, （一）…, or a sentence) as specific or
stock, and flag the part when most of its items are stock.

An item is *specific* when it holds one of the ``specific`` patterns (a figure, a document, a time…):
"11个乡镇中有7个未配备专职法律审核人员". It is *stock* when, without them, each of its clauses is a
judgement phrase (``judgement``: 有待提高, 还需健全, 不够强, 仍有差距…) or a lead-in (``filler``):
"基层执法规范化水平还需进一步提高" is as stock as "法治意识有待提高", though it names a work area. An
item with a clause that states something without judging it ("对货运企业、驾驶员群体的普法主要依靠执法
现场宣传") is neither, and is not counted against the part. Cause analysis inside an item is left out.
"""
from __future__ import annotations

import re

from ..document.items import Item
from .base import Hit, NotApplicable, compile_list, finditer, search
from .itemwise import _ENUM_PREFIX, item_without_causes, part_items
from .params import REQUIRED, DeclaredKind, Param, Parameters

_CLAUSE = re.compile(r"[，,。；;：:！!？?\n]")
SPECIFIC, STOCK, PLAIN, FILLER = "specific", "stock", "plain", "filler"


def clauses(text: str) -> list:
    return [c.strip(" \t　“”\"") for c in _CLAUSE.split(text) if c.strip(" \t　“”\"")]


class StockItemsKind(DeclaredKind):
    """Each item of a part is specific (a ``specific`` pattern), stock (every clause a ``judgement``
    phrase or a ``filler`` lead-in) or plain; fires when the stock items are more than ``max_share``
    of the items that are not mere lead-ins, quoting them."""

    name = "stock_items"
    declared = Parameters(
        "stock_items",
        Param("element", "element", "要素名（哪一部分的条目）", "shortcomings"),
        Param("judgement", "patterns", "评判套话：条目的一个分句含其中之一即为评判句（有待提高、还需健全、不够强……）", REQUIRED),
        Param("specific", "patterns", "具体内容：条目含其中之一即为具体（数字、文件名、时间……）", REQUIRED),
        Param("filler", "patterns", "引导语：整句只是引出不足的分句（主要表现在、还存在一些不足……），不算内容", ()),
        Param("filler_chars", "count", "不超过这么多字的分句也算引导语（如“在实际工作中”）", 6),
        Param("max_share", "share", "套话条目占比超过此值即报", 0.5),
        Param("min_items", "count", "条目少于此数时跳过", 1),
        Param("quote", "count", "消息中最多引用几条套话条目", 3),
    )

    def prepare(self, rule):
        c = rule.config
        return (compile_list(c.judgement, "judgement"), compile_list(c.specific, "specific"),
                compile_list(c.filler, "filler"))

    def judge(self, text: str, rule, state) -> str:
        """specific / stock / plain / filler of one item's text (its enumerator and causes removed)."""
        judgement, specific, filler = state
        if any(search(p, text) for p in specific):
            return SPECIFIC
        verdicts = []
        for clause in clauses(text):
            if any(search(p, clause) for p in judgement):
                verdicts.append(STOCK)
            elif len(clause) <= rule.config.filler_chars or any(search(p, clause) for p in filler):
                verdicts.append(FILLER)
            else:
                verdicts.append(PLAIN)
        if PLAIN in verdicts:
            return PLAIN
        return STOCK if STOCK in verdicts else FILLER

    def check(self, doc, rule, state):
        c = rule.config
        items = part_items(doc, c.element)
        judged = []
        for item in items:
            text = _ENUM_PREFIX.sub("", item_without_causes(doc, item)).strip()
            verdict = self.judge(text, rule, state)
            if verdict != FILLER:
                judged.append((item, text, verdict))
        if len(judged) < max(1, c.min_items):
            raise NotApplicable("该部分没有可判断的条目")
        stock = [(item, text) for item, text, verdict in judged if verdict == STOCK]
        if len(stock) / len(judged) <= c.max_share:
            return []
        first: Item = stock[0][0]
        quotes = "".join(f"“{_summary(text)}”" for _, text in stock[:c.quote])
        if len(stock) > c.quote:
            quotes += f"等 {len(stock)} 条"
        start, end = _first_judgement(doc, first, state[0])
        return [Hit(start, end, values={"count": len(stock), "total": len(judged), "items": quotes,
                                        "item": _summary(stock[0][1]), "match": doc.text[start:end]})]


def _first_judgement(doc, item: Item, judgement) -> tuple:
    """The first stock phrase of an item (where the finding points), else the item's leading clause."""
    found = [m.span() for p in judgement for m in finditer(p, doc.text, [(item.start, item.end)])]
    return min(found) if found else (item.start, item.start + len(item.head))


def _summary(text: str, limit: int = 40) -> str:
    """An item's first sentence, shortened for a message."""
    head = re.split(r"[。；;]", text, maxsplit=1)[0].strip()
    return head if len(head) <= limit else head[:limit - 1] + "…"
