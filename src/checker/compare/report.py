"""``fazhi-lint compare LAST_YEAR THIS_YEAR``: one unit's report against its report of the year before.

What a reviewer reads: each item of last year's plan with its verdict and evidence sentence, the
facts that moved (学法 12 → 4 次), and the findings of the comparing rules (FZ-Y01 plan item not
reported on, FZ-Y02 part copied from last year, FZ-Y04 shortcoming repeated word for word).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..checks.params import companions_of
from ..engine import evaluate, read_document
from ..errors import TIMEOUT, UnreadableInput
from . import plans


@dataclass
class PairReport:
    previous_path: str
    current_path: str
    previous_meta: dict
    result: object                      # Result of the comparing rules on this year's report
    plan: list = field(default_factory=list)         # PlanVerdict
    facts: list = field(default_factory=list)        # FactChange


@dataclass(frozen=True)
class FactChange:
    kind: str
    label: str
    unit: str
    before: object        # count last year, None when not reported
    after: object

    @property
    def moved(self) -> bool:
        return self.before != self.after

    def to_json(self) -> dict:
        return {"kind": self.kind, "label": self.label, "unit": self.unit, "before": _plain(self.before),
                "after": _plain(self.after)}


def _plain(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


def facts_change(previous, current) -> list:
    """Facts reported both years (same label and unit; the first mention of each), moved ones first,
    then those reported in only one of the two years."""
    def table(doc):
        out = {}
        for found in doc.facts:
            fact = found.record
            out.setdefault((fact.kind, fact.label, fact.unit), fact.count)
        return out

    before, after = table(previous), table(current)
    rows = [FactChange(k[0], k[1], k[2], before.get(k), after.get(k)) for k in {**before, **after}]
    rows.sort(key=lambda r: (r.before is None or r.after is None, not r.moved, r.kind, r.label))
    return rows


def _plan_rule(ruleset):
    return next((r for r in ruleset.rules if r.check == "plan_follow_up"), None)


def comparing_rules(ruleset, companion: str):
    """The rule set restricted to the rules that read ``companion`` (a plugin's comparing kind too)."""
    return ruleset.only(lambda rule: companion in companions_of(ruleset.kinds[rule.check], rule))


def compare_pair(previous_path, current_path, ruleset, lang="zh", max_bytes=None, timed_out=None,
                 on_rule=None) -> PairReport:
    """Read both reports (paths or ``inputs.Input``), in any format the check reads (UnreadableInput
    propagates, naming the file), and compare them: the comparing rules run through the engine with
    last year's report as companion. In this process, without a time limit: ``compare_files`` is
    the guarded form."""
    docs = []
    for item in (previous_path, current_path):
        try:
            docs.append(read_document(item, ruleset, max_bytes=max_bytes))
        except UnreadableInput as exc:
            raise UnreadableInput(f"{getattr(item, 'display', item)}: {exc}") from None
    previous, current = docs[0], docs[1].with_companions(previous=docs[0])
    rules = comparing_rules(ruleset, "previous")
    result = evaluate(current, rules, lang, timed_out=timed_out, on_rule=on_rule)
    rule = _plan_rule(rules)
    verdicts = []
    if rule is not None and rule.id not in (timed_out or {}):    # FZ-Y01's table (its verdicts are cached)
        verdicts = plans.follow_up(previous, current, rule.config.stopwords, rule.config.segmenter,
                                   float(rule.config.threshold))
    return PairReport(previous.path, current.path, previous.meta.to_json(), result, verdicts,
                      facts_change(previous, current))


def compare_files(previous, current, ruleset, lang="zh", max_bytes=None):
    """``compare_pair`` of two ``inputs.Input`` in a guarded worker process, with the limits of
    ``check``: reading both within the report budget (the sum of theirs), each comparing rule within
    its rule budget, a worker that dies or overruns costing the comparison, not the process. Returns
    the PairReport, or a Result standing for the failure (FZ-X02 timeout, FZ-X05 worker died,
    FZ-X01 crash; ``error`` set when a file could not be read)."""
    from ..engine.batch import Limits, report_budget, run_jobs
    from ..engine.evaluate import failed_result, rule_budget, run_guarded
    from ..records import Result

    rules = comparing_rules(ruleset, "previous")

    def size(item) -> int:
        return sum(max(0, _size_of(i)) for i in item)

    def work(item, timed_out, watch):
        def attempt():
            try:
                return compare_pair(item[0], item[1], ruleset, lang, max_bytes, timed_out, watch.rule)
            except UnreadableInput as exc:
                return Result(path=item[1].display, error=str(exc))
        return run_guarded(item[1], attempt)

    limits = Limits(rule_ids=tuple(r.id for r in rules.rules),
                    rule_budget=lambda item: rule_budget(size(item)) + 1.0,
                    report_budget=lambda item: sum(report_budget(i) for i in item),
                    failed=lambda item, problem: failed_result(item[1], problem))
    return run_jobs([(previous, current)], work, limits, jobs=1, at_worker_exit=(_save_words,))[0]


def _save_words() -> None:
    """The clauses the worker segmented go to the user cache (a worker ends without atexit)."""
    from ..checks.segmenter import save

    save()


def _size_of(item) -> int:
    import os

    try:
        return os.path.getsize(item.path) if item.path else len(item.data or b"")
    except OSError:
        return 0


def _verdict_json(v) -> dict:
    return {"item": v.label, "text": v.item.text, "status": v.status, "sure": v.sure, "score": round(v.score, 2),
            "evidence": v.evidence.text if v.evidence else None,
            "replanned": v.replanned.text if v.replanned else None,
            "nearest": v.nearest.text if v.nearest else None,
            "terms": list(v.terms[:6])}


SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def units_of(report: PairReport) -> tuple:
    """(last year's unit, this year's unit, same unit?): two reports of different units (or a unit
    that could not be read from one of them) are not the same unit's two years."""
    before, after = report.previous_meta.get("unit"), report.result.meta.get("unit")
    return before, after, bool(before and after and _same_unit(before, after))


def _same_unit(a: str, b: str) -> bool:
    from ..document.evidence import fuller_name

    return a == b or bool(fuller_name(a, b) or fuller_name(b, a))


def render_pair_json(report: PairReport, version: str) -> str:
    from ..outputs.targets import shown_name

    before, after, same = units_of(report)
    data = {"tool": {"name": "fazhi-lint", "version": version},
            "previous": {"path": shown_name(report.previous_path), "meta": report.previous_meta},
            "current": {"path": shown_name(report.current_path), "meta": report.result.meta},
            "same_unit": same, "units": {"previous": before, "current": after},
            "plan_items": [_verdict_json(v) for v in report.plan],
            "facts_change": [r.to_json() for r in report.facts],
            "findings": [f.to_json() for f in report.result.findings if f.suppressed is None]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _num(value) -> str:
    return "—" if value is None else f"{_plain(value):g}" if isinstance(value, float) else str(value)


def render_pair_text(report: PairReport) -> str:
    """The comparison as lines for a person; report text and file names in them are escaped as in
    ``check``'s text output (a CR, a terminal escape or a bidi control cannot forge a line)."""
    from ..outputs.escape import one_line
    from ..outputs.targets import shown_name

    return "".join(one_line(shown_name(line)) + "\n" for line in _pair_lines(report))


def _pair_lines(report: PairReport) -> list:
    out = [f"{report.previous_path} → {report.current_path}"]
    before, after, same = units_of(report)
    if not same:
        named = "；".join(f"{label}：{unit or '单位未识别'}" for label, unit in (("上一年度报告", before), ("本年度报告", after)))
        out.append(f"注意：两份报告不是同一单位的（{named}），下面的对照只能作参考")
    years = (report.previous_meta.get("report_year"), report.result.meta.get("report_year"))
    if None not in years and years[1] - years[0] != 1:
        out.append(f"注意：两份报告的年度是 {years[0]} 和 {years[1]}，不是相邻两年")
    if report.plan:
        counts = {s: sum(v.status == s for v in report.plan) for s in plans.STATUS_ZH}
        unsure = sum(not v.sure for v in report.plan)
        out.append("上一年度安排的落实情况：" + "，".join(f"{plans.STATUS_ZH[s]} {n} 项" for s, n in counts.items() if n)
                   + (f"（其中 {unsure} 项按字词比对把握不大，标“待核”，请人工核对）" if unsure else ""))
        if len(report.plan) > plans.MAX_PLAN_ITEMS:
            out.append(f"注意：上一年度安排有 {len(report.plan)} 项，超过核对上限 {plans.MAX_PLAN_ITEMS} 项，"
                       f"第 {plans.MAX_PLAN_ITEMS + 1} 项起未核对（标“无法判断”）")
        for v in report.plan:
            line = f"  [{plans.STATUS_ZH[v.status]}{'' if v.sure else '·待核'}] {v.label}"
            if v.evidence is not None:
                line += f"：{v.evidence.text[:60]}{'…' if len(v.evidence.text) > 60 else ''}"
            elif v.replanned is not None:
                line += f"（本年度安排再次列入：{v.replanned.text[:40]}…）"
            if v.nearest is not None:
                line += f"（最接近的一句：{v.nearest.text[:40]}{'…' if len(v.nearest.text) > 40 else ''}）"
            out.append(line)
    elif any(p.kind == TIMEOUT for p in report.result.problems):
        out.append("上一年度安排的落实情况未能核对：比对超过时限（见下方 FZ-X02）")
    else:
        out.append("上一年度报告没有可逐项核对的下一年度安排")
    moved = [r for r in report.facts if r.moved and r.before is not None and r.after is not None]
    if moved:
        out.append("数字变化（上一年度 → 本年度）：")
        out.extend(f"  {r.label}：{_num(r.before)} → {_num(r.after)} {r.unit}" for r in moved)
    findings = [f for f in report.result.findings if f.suppressed is None]
    for f in findings:
        out.append(f"{report.current_path}:{f.line}:{f.column}: {f.rule} {SEVERITY_ZH.get(f.severity, f.severity)} "
                   f"{f.message} (修改建议: {f.hint}) [依据: {f.basis}]")
    out.append(f"共 {len(findings)} 个跨年度问题")
    return out
