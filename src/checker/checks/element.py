"""Kinds about the report's canonical elements: ``element`` (a part must be present) and
``companion`` (a part needs a companion element or phrase inside it)."""
from __future__ import annotations

from .base import Hit, NotApplicable, RuleError, compile_list, finditer, first_line
from .params import REQUIRED, DeclaredKind, Param, Parameters



def _name(doc, element: str) -> str:
    """The element's name as the rule pack's policy gives it (``parts``)."""
    vocabulary = getattr(doc, "vocabulary", None)
    return (vocabulary.part_names.get(element) if vocabulary is not None else None) or element


def _element_present(doc, element: str, form: str) -> bool:
    if element == "first_responsible_person":
        return doc.frp_form == "section" if form == "section" else doc.frp_form != "none"
    return bool(doc.element_spans(element))


class ElementKind(DeclaredKind):
    """A canonical element of the report must be present (headed or unheaded)."""

    name = "element"
    declared = Parameters(
        "element",
        Param("element", "element", "要素名", REQUIRED),
        Param("form", "text", "仅 first_responsible_person：any（单列或提及）或 section（必须单列）", "any", ("any", "section")),
        Param("requires", "elements", "前提要素列表；前提缺失时本规则跳过", ()),
    )

    def check(self, doc, rule, state):
        c = rule.config
        for req in c.requires:
            if not _element_present(doc, req, "any"):
                raise NotApplicable(f"报告没有“{_name(doc, req)}”部分")
        element = c.element
        if _element_present(doc, element, c.form):
            return []
        return [Hit(values={"element": _name(doc, element)})]


class CompanionKind(DeclaredKind):
    """Where a part is present, it needs a companion: another element or a phrase inside it."""

    name = "companion"
    declared = Parameters(
        "companion",
        Param("part", "element", "要素名：哪一部分需要伴随内容", REQUIRED),
        Param("needs", "element", "伴随要素名（如 causes）"),
        Param("needs_pattern", "patterns", "或：该部分内必须出现的短语（正则，列表时任一即可）"),
    )

    def prepare(self, rule):
        c = rule.config
        if (c.needs is None) == (c.needs_pattern is None):
            raise RuleError("needs 与 needs_pattern 必须恰好给出一个")
        return None if c.needs is not None else compile_list(c.needs_pattern, "needs_pattern")

    def check(self, doc, rule, patterns):
        part = rule.config.part
        spans = doc.element_spans(part)
        if not spans:
            raise NotApplicable(f"报告没有“{_name(doc, part)}”部分")
        if patterns is None:
            if _element_present(doc, rule.config.needs, "any"):
                return []
        elif any(True for p in patterns for _ in finditer(p, doc.text, spans)):
            return []
        start, end = first_line(doc.text, *spans[0])
        return [Hit(start, end, values={"element": _name(doc, part)})]
