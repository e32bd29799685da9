"""The ``coverage`` kind: which items of a list a scope mentions, and how concretely.

One kind for three uses that used to be three kinds: a menu of core topics (FZ-Q02: at least 4 of
8 indicators), the duties a first-responsible-person section should name with figures (FZ-R05:
at least 2 duties and 2 figures), and a province's content menu, mentioned at all (Shenzhen
SZ-A01) or mentioned with evidence (SZ-A02, ``evidence``: only lines that also hold a number with
a unit count, and items not mentioned at all are left to the plain rule).
"""
from __future__ import annotations

from .base import Hit, NotApplicable, RuleError, compile_list, compile_pattern, finditer, first_line, scope_spans
from .facts import describe, facts_in, facts_in_sentences
from .params import REQUIRED, DeclaredKind, Param, Parameters

WHOLE_REPORT_SCOPES = ("report", "body", "all")


class CoverageKind(DeclaredKind):
    """Items (name -> patterns) looked for in the scope; fires when fewer than ``min_covered``
    (default: all) are mentioned, or the scope holds fewer than ``min_facts`` figures. The finding
    lists what is missing (and, with figures, what was found)."""

    name = "coverage"
    declared = Parameters(
        "coverage",
        Param("items", "pattern_map", "映射：事项名 → 正则或正则列表（任一出现即算写到）", REQUIRED),
        Param("min_covered", "count", "至少写到的事项数（不写为全部）"),
        Param("evidence", "pattern", "可选：证据正则（如数字+单位）；设置后只看报告提到了的事项，提到它的行都没有证据的算未写实"),
        Param("min_facts", "count", "范围内至少应有的量化事实（数字）条数", 0),
        Param("fact_labels", "patterns", "可选：只数标签匹配这些正则的事实"),
        Param("fact_sentences", "patterns", "可选：只数句子中出现这些正则的事实（如第一责任人部分只数写主要负责人本人履职的句子）"),
        Param("empty_scope", "text", "范围为空（如没有第一责任人部分）时：skip（跳过）、pass（通过）或 fire（报）", "skip",
              ("skip", "pass", "fire")),
    )

    def prepare(self, rule):
        c = rule.config
        items = []
        for name, patterns in c.items.items():
            compiled = compile_list(patterns, f"items.{name}")
            if not compiled:
                raise RuleError(f"items.{name} 至少要有一个正则")
            items.append((str(name), compiled))
        if c.min_covered is not None and not 1 <= c.min_covered <= len(items):
            raise RuleError(f"min_covered 必须是 1 到 {len(items)} 之间的整数")
        evidence = compile_pattern(c.evidence, "evidence") if c.evidence else None
        return items, evidence, compile_list(c.fact_labels, "fact_labels"), compile_list(c.fact_sentences, "fact_sentences")

    def check(self, doc, rule, state):
        items, evidence, fact_labels, fact_sentences = state
        c = rule.config
        spans = scope_spans(doc, rule)
        if not any(end > start for start, end in spans):
            if c.empty_scope == "skip":
                raise NotApplicable(f"报告中没有找到检查范围 {rule.scope}")
            return [] if c.empty_scope == "pass" else [Hit(values={"detail": "没有可检查的内容"})]
        covered, missing = [], []
        for name, patterns in items:
            if evidence is not None and not _mentioned(doc, spans, patterns, None):
                continue          # not mentioned at all: a plain coverage rule's question
            (covered if _mentioned(doc, spans, patterns, evidence) else missing).append(name)
        counts_facts = bool(c.min_facts or fact_labels)
        facts = facts_in(doc, spans, fact_labels) if counts_facts else []
        if fact_sentences:
            facts = facts_in_sentences(doc, facts, fact_sentences)
        need = len(items) if c.min_covered is None else c.min_covered
        if not (missing and len(covered) < need) and len(facts) >= c.min_facts:
            return []
        values = {"missing": "、".join(missing), "count": len(missing), "total": len(items), "covered": len(covered),
                  "found": "、".join(covered), "covered_areas": "、".join(covered) or "无",
                  "mentioned": len(covered) + len(missing), "facts": len(facts), "match": "",
                  "detail": _detail(covered, missing, facts, c.min_facts, counts_facts)}
        if rule.scope in WHOLE_REPORT_SCOPES:
            return [Hit(values=values)]           # about the report as a whole: shown at its title
        start, end = first_line(doc.text, *spans[0])
        return [Hit(start, end, "normalised", values)]


def _mentioned(doc, spans, patterns, evidence) -> bool:
    """Does one of ``patterns`` occur in the spans (on a line that also matches ``evidence``)?"""
    for pattern in patterns:
        for match in finditer(pattern, doc.text, spans):
            if evidence is None:
                return True
            line_start, line_end = doc.line_spans[doc.line_of_offset(match.start())]
            if any(True for _ in finditer(evidence, doc.text, [(line_start, line_end)])):
                return True
    return False


def _detail(found, missing, facts, min_facts, counts_facts) -> str:
    """"有 1 处数字（…），至少应有 2 处；写到：述法；未写：…" for a message's ``{detail}``."""
    parts = []
    if counts_facts:
        numbers = f"有 {len(facts)} 处数字（{describe(facts)}）" if facts else "没有任何数字"
        parts.append(f"{numbers}，至少应有 {min_facts} 处" if len(facts) < min_facts else numbers)
    parts.append(f"写到：{'、'.join(found)}" if found else ("没有写到任何具体履职行为" if counts_facts else "一项也没有写到"))
    if missing:
        parts.append(f"未写：{'、'.join(missing)}")
    return "；".join(parts)
