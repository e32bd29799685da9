"""The ``count`` kind: how many times something occurs, or the number a report states, against a
threshold ("学法 {N} 次" at least 4; traditional characters at most 9)."""
from __future__ import annotations

from ..numbers import parse_number
from .base import VIEWS, Hit, NotApplicable, RuleError, compile_pattern, finditer, scope_spans, view_text
from .params import REQUIRED, DeclaredKind, Param, Parameters

AGGREGATES = ("matches", "sum", "max", "min", "first")


class CountKind(DeclaredKind):
    """value = number of matches, or the numbers captured by ``{N}`` combined by ``aggregate``;
    fire when value < min or value > max; ``absent`` says what no match means."""

    name = "count"
    declared = Parameters(
        "count",
        Param("pattern", "pattern", "正则；用 {N} 捕获数字（阿拉伯或中文数字）", REQUIRED),
        Param("aggregate", "text", "matches（匹配次数）、sum、max、min 或 first（对 {N} 捕获的数取值）", "matches",
              AGGREGATES),
        Param("min", "number", "下限（小于即报）"),
        Param("max", "number", "上限（大于即报）"),
        Param("absent", "text", "没有匹配时：fire（报）、pass（通过）或 skip（跳过）", "fire", ("fire", "pass", "skip")),
        Param("view", "text", "normalised（简体规范化文本）或 original（原文）", "normalised", VIEWS),
    )

    def prepare(self, rule):
        c = rule.config
        if c.min is None and c.max is None:
            raise RuleError("min 与 max 至少给出一个")
        pattern = compile_pattern(c.pattern, "pattern")
        if c.aggregate != "matches" and "n" not in pattern.groupindex:
            raise RuleError("aggregate 取数时 pattern 必须含 {N}")
        return pattern

    def check(self, doc, rule, pattern):
        c = rule.config
        view = c.view
        text = view_text(doc, view)
        matches = list(finditer(pattern, text, scope_spans(doc, rule, view)))
        aggregate = c.aggregate
        lo, hi = c.min, c.max
        if not matches:
            if aggregate == "matches" and (lo is None or lo <= 0):
                return []
            absent = c.absent
            if absent == "pass":
                return []
            if absent == "skip":
                raise NotApplicable("报告未提及")
            return [Hit(values={"value": "未提及", "min": lo, "max": hi, "count": 0, "match": ""})]
        if aggregate == "matches":
            value = len(matches)
        else:
            numbers = [parse_number(m.group("n"), text[max(0, m.start() - 4):m.start("n")])[0] for m in matches]
            numbers = [n for n in numbers if n is not None]
            if not numbers:
                return [Hit(matches[0].start(), matches[0].end(), view, {"value": "无法解析", "min": lo, "max": hi})]
            value = {"sum": sum, "max": max, "min": min, "first": lambda ns: ns[0]}[aggregate](numbers)
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            anchor = matches[0] if matches else None
            values = {"value": value, "min": lo, "max": hi, "count": len(matches),
                      "match": anchor.group(0) if anchor else ""}
            if anchor is None:
                return [Hit(values=values)]
            return [Hit(anchor.start(), anchor.end(), view, values)]
        return []
