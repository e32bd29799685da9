"""Checker kinds that read a report against other reports, registered as a built-in plugin.

A kind here needs a companion of the report it checks: ``doc.companions["previous"]`` (the same
unit's report of the year before, set by ``fazhi-lint compare`` or ``check --previous``) or
``doc.companions["peers"]`` (other reports of the batch that share text with it, found by
``check --copies``). Without one the rule does not apply (skipped, never a finding). A rule's own
examples give the companions as ``previous:`` / ``peers:`` next to ``text:`` (docs/rules.md).
"""
from __future__ import annotations

from ..checks.base import Hit, NotApplicable, RuleError, check_params
from ..checks.itemwise import part_items
from ..hookspecs import hookimpl
from . import plans
from .shingles import coverage, fold, shingles, strip_boilerplate, unit_names


def _previous(doc):
    previous = doc.companions.get("previous")
    if previous is None:
        raise NotApplicable("需要上一年度报告（fazhi-lint compare 上年 本年，或 check --previous 目录）")
    return previous


def _anchor_part(doc, element: str):
    """(start, end) of the heading line of the first part holding ``element``; None: the report."""
    for part in doc.parts + doc.subparts:
        if element in part.elements:
            return part.start, (part.heading_end if part.heading_end > part.start else
                                doc.line_spans[part.first_line][1])
    return None, None


class PlanFollowUpKind:
    """Each item of last year's plan must be reported on this year (done, or said to be carried over)."""

    name = "plan_follow_up"
    required = ()
    params = {
        "stopwords": "不作为关键词的泛用词（加强、推进、工作……）",
        "threshold": "判为“已落实”的最低匹配分（0–1，默认 0.55）",
        "segmenter": "jieba（默认）或 bigram",
    }

    def prepare(self, rule):
        p = rule.params
        check_params(self, p)
        if p.get("segmenter", "jieba") not in ("jieba", "bigram"):
            raise RuleError("segmenter 必须是 jieba 或 bigram")
        if not 0 < float(p.get("threshold", plans.THRESHOLD)) <= 1:
            raise RuleError("threshold 必须在 0 和 1 之间")
        return tuple(p.get("stopwords") or ())

    def check(self, doc, rule, stopwords):
        previous = _previous(doc)
        verdicts = plans.follow_up(previous, doc, stopwords, rule.params.get("segmenter", "jieba"),
                                   float(rule.params.get("threshold", plans.THRESHOLD)))
        if not verdicts:
            raise NotApplicable("上一年度报告没有下一年度安排")
        missing = [v for v in verdicts if v.status == plans.NOT_REPORTED]
        start, end = _anchor_part(doc, "measures_and_results")
        return [Hit(start, end, values={"item": v.label, "count": len(missing), "total": len(verdicts),
                                        "terms": "、".join(v.terms[:4])})
                for v in missing]


class RepeatedShortcomingsKind:
    """A shortcoming of last year written again, word for word (numbers and names aside)."""

    name = "repeated_shortcomings"
    required = ()
    params = {"min_share": "视为原样重复的最小重合比例（默认 0.8；短于 20 字的条目须完全相同）"}

    def prepare(self, rule):
        check_params(self, rule.params)
        return float(rule.params.get("min_share", 0.8))

    def check(self, doc, rule, min_share):
        previous = _previous(doc)
        old_items = part_items(previous, "shortcomings")
        new_items = part_items(doc, "shortcomings")
        if not old_items or not new_items:
            raise NotApplicable("两份报告中有一份没有不足部分")
        old_folded = [strip_boilerplate(fold(i.text, unit_names(previous.meta.unit))[0]) for i in old_items]
        old_sets = [shingles(f) for f in old_folded]
        hits = []
        for item in new_items:
            folded = strip_boilerplate(fold(item.text, unit_names(doc.meta.unit))[0])
            for old, old_set in zip(old_folded, old_sets):
                if len(folded) < 20:
                    same = len(folded) >= 4 and folded == old
                else:
                    same = coverage(folded, old_set).share >= min_share
                if same:
                    hits.append(Hit(item.start, item.start + len(item.head),
                                    values={"item": plans._ENUM_LEAD.sub("", item.head).strip()}))
                    break
        return hits


class CopiedPartsKind:
    """A part of the report mostly made of another report's text (numbers, years, unit names and
    stock formulas aside): last year's report (``source: previous``) or another unit's (``peers``)."""

    name = "copied_parts"
    required = ("source",)
    params = {
        "source": "previous（与本单位上一年度报告比）或 peers（与同批次其他报告比）",
        "min_share": "报告的最小重合比例（0–1，默认 0.5）",
        "min_chars": "部分至少多少字才比较（默认 80，去掉数字、标点和套话后）",
    }

    def prepare(self, rule):
        p = rule.params
        check_params(self, p)
        if p["source"] not in ("previous", "peers"):
            raise RuleError("source 必须是 previous 或 peers")
        return float(p.get("min_share", 0.5)), int(p.get("min_chars", 80))

    def check(self, doc, rule, state):
        min_share, min_chars = state
        if rule.params["source"] == "previous":
            others = [_previous(doc)]
        else:
            others = list(doc.companions.get("peers") or ())
            if not others:
                raise NotApplicable("没有与之比较的同批次报告（check --copies）")
        from .copies import copied_parts

        hits = []
        for found in copied_parts(doc, others, min_share, min_chars):
            hits.append(Hit(found.start, found.end, values={
                "part": found.title, "share": f"{100 * found.share:.0f}%", "other": found.other_name,
                "chars": found.copied}))
        return hits


KINDS = (PlanFollowUpKind, RepeatedShortcomingsKind, CopiedPartsKind)


@hookimpl
def fazhi_lint_checker_kinds():
    return [kind() for kind in KINDS]
