"""Kinds about the report's canonical elements: ``element`` (a part must be present) and
``companion`` (a part needs a companion element or phrase inside it)."""
from __future__ import annotations

from ..records import ELEMENTS
from .base import Hit, NotApplicable, RuleError, compile_list, finditer, check_params

ELEMENT_NAMES = {
    "measures_and_results": "主要举措和成效",
    "shortcomings": "存在的不足",
    "causes": "不足的原因",
    "first_responsible_person": "党政主要负责人履行推进法治建设第一责任人职责情况",
    "next_year_plan": "下一年度主要安排",
}


def _element_present(doc, element: str, form: str) -> bool:
    if element == "first_responsible_person":
        return doc.frp_form == "section" if form == "section" else doc.frp_form != "none"
    return bool(doc.element_spans(element))


def _check_element_name(value, what):
    if value not in ELEMENTS:
        raise RuleError(f"{what} 必须是 {', '.join(ELEMENTS)} 之一，而不是 {value!r}")


class ElementKind:
    """A canonical element of the report must be present (headed or unheaded)."""

    name = "element"
    required = ("element",)
    params = {
        "element": "要素名：measures_and_results / shortcomings / causes / first_responsible_person / next_year_plan",
        "form": "仅 first_responsible_person：any（单列或提及，默认）或 section（必须单列）",
        "requires": "前提要素列表；前提缺失时本规则跳过",
    }

    def prepare(self, rule):
        check_params(self, rule.params)
        _check_element_name(rule.params["element"], "element")
        for req in rule.params.get("requires") or []:
            _check_element_name(req, "requires")
        if rule.params.get("form", "any") not in ("any", "section"):
            raise RuleError("form 必须是 any 或 section")
        return None

    def check(self, doc, rule, state):
        for req in rule.params.get("requires") or []:
            if not _element_present(doc, req, "any"):
                raise NotApplicable(f"报告没有“{ELEMENT_NAMES[req]}”部分")
        element = rule.params["element"]
        if _element_present(doc, element, rule.params.get("form", "any")):
            return []
        return [Hit(values={"element": ELEMENT_NAMES[element]})]


class CompanionKind:
    """Where a part is present, it needs a companion: another element or a phrase inside it."""

    name = "companion"
    required = ("part",)
    params = {
        "part": "要素名：哪一部分需要伴随内容",
        "needs": "伴随要素名（如 causes）",
        "needs_pattern": "或：该部分内必须出现的短语（正则，列表时任一即可）",
    }

    def prepare(self, rule):
        check_params(self, rule.params)
        _check_element_name(rule.params["part"], "part")
        if ("needs" in rule.params) == ("needs_pattern" in rule.params):
            raise RuleError("needs 与 needs_pattern 必须恰好给出一个")
        if "needs" in rule.params:
            _check_element_name(rule.params["needs"], "needs")
            return None
        return compile_list(rule.params["needs_pattern"], "needs_pattern")

    def check(self, doc, rule, patterns):
        part = rule.params["part"]
        spans = doc.element_spans(part)
        if not spans:
            raise NotApplicable(f"报告没有“{ELEMENT_NAMES[part]}”部分")
        if patterns is None:
            needed = rule.params["needs"]
            if _element_present(doc, needed, "any"):
                return []
        elif any(True for p in patterns for _ in finditer(p, doc.text, spans)):
            return []
        start = spans[0][0]
        line_end = doc.text.find("\n", start)
        end = line_end if line_end > start else spans[0][1]
        return [Hit(start, end, values={"element": ELEMENT_NAMES[part]})]
