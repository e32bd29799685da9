"""Kinds about phrases: ``existence`` (flag, or require, phrases in a scope) and ``substitution``
(a wrong term and its right form, with exceptions)."""
from __future__ import annotations

from ..helpers.eras import ended_before, parse_era
from .base import (VIEWS, Hit, RuleError, SpanSet, compile_list, compile_pattern, exception_spans, finditer,
                   first_line, scope_spans, view_text)
from .params import REQUIRED, DeclaredKind, Param, Parameters

VIEW = Param("view", "text", "normalised（简体规范化文本）或 original（原文，如检查繁体字、拼音残留）", "normalised", VIEWS)
EXCEPTIONS = Param("exceptions", "patterns", "例外（白名单）：与这些正则的匹配重叠的命中不报")


class ExistenceKind(DeclaredKind):
    """mode forbid: every match of a pattern is a finding. mode require: the scope must contain
    the patterns (any or all of them), otherwise one finding for the scope."""

    name = "existence"
    declared = Parameters(
        "existence",
        Param("patterns", "patterns", "正则表达式列表（{N} 表示一个数字）", REQUIRED),
        EXCEPTIONS,
        Param("mode", "text", "forbid（出现即报）或 require（必须出现）", "forbid", ("forbid", "require")),
        Param("require", "text", "mode=require 时：any（任一）或 all（全部）", "any", ("any", "all")),
        Param("report", "text", "mode=forbid 时：each（每处一条）、first（只报第一处并给出总数）或 span（每个范围块一条）",
              "each", ("each", "first", "span")),
        VIEW,
    )

    def prepare(self, rule):
        patterns = compile_list(rule.config.patterns, "patterns")
        if not patterns:
            raise RuleError("patterns 不能为空")
        return patterns, compile_list(rule.config.exceptions, "exceptions")

    def check(self, doc, rule, state):
        patterns, exceptions = state
        c = rule.config
        view = c.view
        text, spans = view_text(doc, view), scope_spans(doc, rule, view)
        if c.mode == "require":
            found = [any(True for _ in finditer(pat, text, spans)) for pat in patterns]
            ok = all(found) if c.require == "all" else any(found)
            if ok:
                return []
            missing = [pat.pattern for pat, f in zip(patterns, found) if not f]
            if spans and rule.scope not in ("report", "body", "all", "review"):
                start, end = first_line(text, *spans[0])
                return [Hit(start, end, view, {"missing": "、".join(missing)})]
            return [Hit(values={"missing": "、".join(missing)})]
        found = [m for pat in patterns for m in finditer(pat, text, spans) if m.end() > m.start()]
        if not found:
            return []                  # the exceptions matter only where something matched
        skip = exception_spans(exceptions, text, spans)
        hits = [Hit(m.start(), m.end(), view, {"match": m.group(0)})
                for m in found if not skip.overlaps(m.start(), m.end())]
        hits.sort(key=lambda h: h.start)
        mode = c.report
        if mode == "first" and hits:
            first = hits[0]
            return [Hit(first.start, first.end, view, {**first.values, "count": len(hits)})]
        if mode == "span" and hits:
            out = []
            for s, e in spans:
                inside = [h for h in hits if s <= h.start < e]
                if inside:
                    out.append(Hit(inside[0].start, inside[0].end, view,
                                   {**inside[0].values, "count": len(inside)}))
            return out
        return hits


def _fixes(rule) -> dict:
    """The rule's ``fix`` as {swap pattern: text}. A single text is allowed only for a rule with one
    swap: where several wrong forms map to one right form, each must say its fix on its own."""
    fix, swap = rule.fix, rule.params["swap"]
    if fix is None:
        return {}
    if isinstance(fix, str):
        if len(swap) != 1:
            raise RuleError("fix 写成一个文本时规则只能有一个 swap；多个 swap 请写 {错误写法: 替换文本}")
        fix = {str(next(iter(swap))): fix}
    if not isinstance(fix, dict) or not all(isinstance(v, str) and v for v in fix.values()):
        raise RuleError("fix 必须是非空文本，或 {错误写法: 替换文本}")
    unknown = [k for k in fix if k not in swap]
    if unknown:
        raise RuleError(f"fix 中的 {', '.join(map(repr, unknown))} 不是本规则 swap 的错误写法")
    return {str(k): v for k, v in fix.items()}


class SubstitutionKind(DeclaredKind):
    """A wrong term and the right one; each occurrence is a finding unless an exception covers it.
    ``fix`` (a rule field) makes the occurrences of chosen swaps mechanically fixable."""

    name = "substitution"
    fixable = True
    declared = Parameters(
        "substitution",
        Param("swap", "text_map", "映射：错误写法（正则）→ 正确写法", REQUIRED),
        EXCEPTIONS,
        VIEW,
        Param("terms_from", "text_map", "swap 中的错误写法 → 自何时起算错（YYYY-MM）：报告年度在此之前结束的不报告"),
    )

    def prepare(self, rule):
        unknown = set(rule.config.terms_from or {}) - {str(w) for w in rule.config.swap}
        if unknown:
            raise RuleError(f"terms_from 中的写法不在 swap 中：{', '.join(sorted(unknown))}")
        for term, date in (rule.config.terms_from or {}).items():
            parse_era(date, f"terms_from[{term}]")
        fixes = _fixes(rule)
        swaps = []
        for wrong, right in rule.config.swap.items():
            swaps.append((compile_pattern(str(wrong), "swap"), right, fixes.get(str(wrong))))
        for pattern, _, fix in swaps:
            for other, _, _ in swaps:
                if fix is not None and other.search(fix):
                    raise RuleError(f"fix {fix!r} 本身又被 swap {other.pattern!r} 匹配，修复后仍会报告")
        terms_from = rule.config.terms_from or {}
        since = {compile_pattern(str(t), "terms_from").pattern: d for t, d in terms_from.items()}
        return swaps, compile_list(rule.config.exceptions, "exceptions"), since

    def check(self, doc, rule, state):
        swaps, exceptions, since = state
        year = doc.meta.report_year
        if year is not None and since:     # a term is wrong only from its date (the report's era)
            swaps = [(p, r, f) for p, r, f in swaps if not ended_before(year, since.get(p.pattern))]
        view = rule.config.view
        text, spans = view_text(doc, view), scope_spans(doc, rule, view)
        found = [(pattern, right, fix, finditer(pattern, text, spans)) for pattern, right, fix in swaps]
        if not any(matches for _, _, _, matches in found):
            return []                  # the exceptions matter only where something matched
        skip = exception_spans(exceptions, text, spans)
        hits, taken = [], SpanSet()
        for pattern, right, fix, matches in found:   # earlier swaps win where two overlap (法制宣传日 before 法制宣传)
            for m in matches:
                if m.end() > m.start() and not skip.overlaps(*m.span()) and not taken.overlaps(*m.span()):
                    taken.add(*m.span())
                    values = {"match": m.group(0), "replacement": right}
                    if fix is not None:
                        values["fix"] = fix
                    hits.append(Hit(m.start(), m.end(), view, values))
        hits.sort(key=lambda h: h.start)
        return hits

