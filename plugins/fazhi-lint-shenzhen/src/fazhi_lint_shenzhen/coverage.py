"""The ``area_coverage`` checker kind: does a report touch every area of a content menu?

Each area is a name and a list of synonym patterns (the keywords a report uses for it). An area
is *covered* when one of its patterns occurs in the rule's scope; one finding per report lists
the areas that are not covered, and nothing fires when all are.

With ``evidence`` set, the question changes to 泛化: among the areas the report does mention, which
ones are mentioned only in paragraphs (lines) without the evidence pattern (e.g. a number with a
unit)? Areas not mentioned at all are left to a coverage rule without ``evidence``.
"""
from __future__ import annotations

from checker.checks.base import Hit, NotApplicable, RuleError, compile_list, compile_pattern, finditer, check_params


class CoverageKind:
    """Content-menu coverage: report the areas of ``areas`` that the scope does not mention
    (or, with ``evidence``, mentions only without concrete figures)."""

    name = "area_coverage"
    required = ("areas",)
    params = {
        "areas": "映射：事项名称 → 同义词/关键词正则列表（任一出现即算涉及）",
        "evidence": "可选：证据正则（如数字+单位）；设置后改为检查“泛化”：报告提到了、但提到它的段落都没有证据的事项",
        "min_covered": "可选：涉及的事项少于此数才报（默认：有任何一项未涉及就报）",
    }

    def prepare(self, rule):
        p = rule.params
        check_params(self, p)
        areas = p["areas"]
        if not isinstance(areas, dict) or not areas:
            raise RuleError("areas 必须是非空映射 {事项名称: [关键词正则, ...]}")
        compiled = []
        for area, patterns in areas.items():
            keywords = compile_list(patterns, f"areas.{area}")
            if not keywords:
                raise RuleError(f"areas.{area} 至少要有一个关键词")
            compiled.append((str(area), keywords))
        minimum = p.get("min_covered", len(compiled))
        if "evidence" in p and "min_covered" in p:
            raise RuleError("evidence 与 min_covered 不能同时使用")
        if not isinstance(minimum, int) or not 1 <= minimum <= len(compiled):
            raise RuleError(f"min_covered 必须是 1 到 {len(compiled)} 之间的整数")
        evidence = compile_pattern(p["evidence"], "evidence") if "evidence" in p else None
        return compiled, evidence, minimum

    def check(self, doc, rule, state):
        areas, evidence, minimum = state
        spans = doc.scope_spans(rule.scope)
        if not any(end > start for start, end in spans):
            raise NotApplicable(f"报告中没有找到检查范围 {rule.scope}")
        text = doc.text
        covered, missing = [], []
        for area, keywords in areas:
            if evidence is not None and not self._covered(doc, text, spans, keywords, None):
                continue          # not mentioned at all: not this rule's question
            (covered if self._covered(doc, text, spans, keywords, evidence) else missing).append(area)
        if not missing or len(covered) >= minimum:
            return []
        return [Hit(values={"missing": "、".join(missing), "covered": len(covered), "total": len(areas),
                            "mentioned": len(covered) + len(missing),
                            "covered_areas": "、".join(covered) or "无", "match": ""})]

    @staticmethod
    def _covered(doc, text, spans, keywords, evidence) -> bool:
        for keyword in keywords:
            for match in finditer(keyword, text, spans):
                if evidence is None:
                    return True
                line_start, line_end = doc.line_spans[doc.line_of_offset(match.start())]
                if any(True for _ in finditer(evidence, text, [(line_start, line_end)])):
                    return True
        return False
