"""Checker kinds that read a report against other reports, registered as a built-in plugin.

A kind here needs a companion of the report it checks: ``doc.companions["previous"]`` (the same
unit's report of the year before, set by ``fazhi-lint compare`` or ``check --previous``) or
``doc.companions["peers"]`` (a ``copy_index.PeerIndex`` of the batch's reports, ``check --copies``,
or the other reports themselves as Documents, as a rule's examples give them). Without one the rule does not apply (skipped, never a finding). A rule's own
examples give the companions as ``previous:`` / ``peers:`` next to ``text:`` (docs/rules.md).
"""
from __future__ import annotations

from ..checks.base import Hit, NotApplicable
from ..checks.params import REQUIRED, DeclaredKind, Param, Parameters
from ..checks.itemwise import part_items
from ..hookspecs import hookimpl

# plans and shingles (≈15 ms of imports and pattern compiling) are imported when a report has a
# companion to compare with, not by every run that registers these kinds.
THRESHOLD = 0.3           # FZ-Y01's default match score for "done" (plans.THRESHOLD)


def _previous(doc):
    previous = doc.companions.get("previous")
    if previous is None:
        raise NotApplicable("需要上一年度报告（fazhi-lint compare 上年 本年，或 check --previous 目录）")
    return previous


def _anchor_part(doc, element: str):
    """(start, end) of the heading line of the first part holding ``element``; None: the report."""
    for part in (*doc.parts, *doc.subparts):
        if element in part.elements:
            return part.start, (part.heading_end if part.heading_end > part.start else
                                doc.line_spans[part.first_line][1])
    return None, None


class PlanFollowUpKind(DeclaredKind):
    """Each item of last year's plan must be reported on this year (done, or said to be carried over).
    A verdict the matcher is not sure of (``PlanVerdict.sure``: every "not reported", since a report in
    other words than the plan's looks the same to word matching) is reported at ``unsure`` (a 请核对
    note), the rule's own severity only where the matcher is sure."""

    name = "plan_follow_up"
    declared = Parameters(
        "plan_follow_up",
        Param("stopwords", "texts", "不作为关键词的泛用词（加强、推进、工作……）", ()),
        Param("threshold", "share", "判为“已落实”的最低匹配分（0–1）", THRESHOLD),
        Param("segmenter", "text", "jieba 或 bigram", "jieba", ("jieba", "bigram")),
        Param("unsure", "text", "匹配方法没有把握的判断（“未提及”，标为待核）按什么级别报告：rule（规则级别）或 info/warning/error",
              "info", ("rule", "info", "warning", "error")),
    )

    def prepare(self, rule):
        return tuple(rule.config.stopwords)

    def companions(self, rule):
        return {"previous"}

    def check(self, doc, rule, stopwords):
        previous = _previous(doc)
        from . import plans

        verdicts = plans.follow_up(previous, doc, stopwords, rule.config.segmenter, float(rule.config.threshold))
        if not verdicts:
            raise NotApplicable("上一年度报告没有下一年度安排")
        missing = [v for v in verdicts if v.status == plans.NOT_REPORTED]
        start, end = _anchor_part(doc, "measures_and_results")
        unsure = None if rule.config.unsure == "rule" else rule.config.unsure
        return [Hit(start, end, values={"item": v.label, "count": len(missing), "total": len(verdicts),
                                        "terms": "、".join(v.terms[:4])},
                    severity=None if v.sure else unsure)
                for v in missing]


class RepeatedShortcomingsKind(DeclaredKind):
    """A shortcoming of last year written again, word for word (numbers and names aside)."""

    name = "repeated_shortcomings"
    declared = Parameters(
        "repeated_shortcomings",
        Param("min_share", "share", "视为原样重复的最小重合比例（短于 20 字的条目须完全相同）", 0.8),
    )

    def prepare(self, rule):
        return float(rule.config.min_share)

    def companions(self, rule):
        return {"previous"}

    def check(self, doc, rule, min_share):
        previous = _previous(doc)
        from .plans import _ENUM_LEAD
        from .shingles import coverage, fold, shingles, strip_boilerplate, unit_names

        old_items = part_items(previous, "shortcomings")
        new_items = part_items(doc, "shortcomings")
        if not old_items or not new_items:
            raise NotApplicable("两份报告中有一份没有不足部分")
        old_folded = [strip_boilerplate(fold(i.text, unit_names(previous.meta.unit))) for i in old_items]
        old_sets = [shingles(f) for f in old_folded]
        hits = []
        for item in new_items:
            folded = strip_boilerplate(fold(item.text, unit_names(doc.meta.unit)))
            for old, old_set in zip(old_folded, old_sets):
                if len(folded) < 20:
                    same = len(folded) >= 4 and folded == old
                else:
                    same = coverage(folded, old_set).share >= min_share
                if same:
                    hits.append(Hit(item.start, item.start + len(item.head),
                                    values={"item": _ENUM_LEAD.sub("", item.head).strip()}))
                    break
        return hits


class CopiedPartsKind(DeclaredKind):
    """A part of the report mostly made of another report's text (numbers, years, unit names and
    stock formulas aside): last year's report (``source: previous``) or another unit's (``peers``)."""

    name = "copied_parts"
    declared = Parameters(
        "copied_parts",
        Param("source", "text", "previous（与本单位上一年度报告比）或 peers（与同批次其他报告比）", REQUIRED,
              ("previous", "peers")),
        Param("min_share", "share", "报告的最小重合比例（0–1）", 0.5),
        Param("min_chars", "count", "部分至少多少字才比较（去掉数字、标点和套话后）", 80),
    )

    def prepare(self, rule):
        return float(rule.config.min_share), int(rule.config.min_chars)

    def companions(self, rule):
        return {rule.config.source}

    def check(self, doc, rule, state):
        min_share, min_chars = state
        if rule.config.source == "previous":
            previous = _previous(doc)
            from .copy_index import peer_index, sketch

            index, key = peer_index({"current": sketch(doc), "previous": sketch(previous)}), "current"
        else:
            index, key = doc.companions.get("peers"), doc.path
            if not index:
                raise NotApplicable("没有与之比较的同批次报告（check --copies）")
            from .copy_index import peer_index, sketch

            if isinstance(index, (list, tuple)):      # other reports given as Documents (a rule's examples)
                index = peer_index({d.path: sketch(d) for d in (doc, *index)})
        return [Hit(found.part.start, found.part.end, values={
                    "part": found.part.title, "share": f"{100 * found.share:.0f}%", "other": found.other,
                    "chars": found.copied})
                for found in index.copies_of(key, min_share, min_chars)]


KINDS = (PlanFollowUpKind, RepeatedShortcomingsKind, CopiedPartsKind)


@hookimpl
def fazhi_lint_checker_kinds():
    return [kind() for kind in KINDS]
