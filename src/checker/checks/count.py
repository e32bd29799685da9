"""The ``count`` kind: how many times something occurs, or the number a report states, against a
threshold ("学法 {N} 次" at least 4; traditional characters at most 9)."""
from __future__ import annotations

from ..numbers import parse_number
from .base import VIEWS, Hit, NotApplicable, RuleError, compile_pattern, finditer, check_params, scope_spans, view_text

AGGREGATES = ("matches", "sum", "max", "min", "first")


class CountKind:
    """value = number of matches, or the numbers captured by ``{N}`` combined by ``aggregate``;
    fire when value < min or value > max; ``absent`` says what no match means."""

    name = "count"
    required = ("pattern",)
    params = {
        "pattern": "正则；用 {N} 捕获数字（阿拉伯或中文数字）",
        "aggregate": "matches（匹配次数，默认）、sum、max、min 或 first（对 {N} 捕获的数取值）",
        "min": "下限（小于即报）",
        "max": "上限（大于即报）",
        "absent": "没有匹配时：fire（报，默认）、pass（通过）或 skip（跳过）",
        "view": "normalised（默认）或 original",
    }

    def prepare(self, rule):
        p = rule.params
        check_params(self, p)
        if p.get("aggregate", "matches") not in AGGREGATES:
            raise RuleError(f"aggregate 必须是 {' / '.join(AGGREGATES)}")
        if p.get("absent", "fire") not in ("fire", "pass", "skip"):
            raise RuleError("absent 必须是 fire、pass 或 skip")
        if p.get("view", "normalised") not in VIEWS:
            raise RuleError("view 必须是 normalised 或 original")
        for bound in ("min", "max"):
            if bound in p and not isinstance(p[bound], (int, float)):
                raise RuleError(f"{bound} 必须是数字")
        if "min" not in p and "max" not in p:
            raise RuleError("min 与 max 至少给出一个")
        pattern = compile_pattern(p["pattern"], "pattern")
        if p.get("aggregate", "matches") != "matches" and "n" not in pattern.groupindex:
            raise RuleError("aggregate 取数时 pattern 必须含 {N}")
        return pattern

    def check(self, doc, rule, pattern):
        p = rule.params
        view = p.get("view", "normalised")
        text = view_text(doc, view)
        matches = list(finditer(pattern, text, scope_spans(doc, rule, view)))
        aggregate = p.get("aggregate", "matches")
        lo, hi = p.get("min"), p.get("max")
        if not matches:
            if aggregate == "matches" and (lo is None or lo <= 0):
                return []
            absent = p.get("absent", "fire")
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
