"""Run a rule set over one report: every rule x its checker kind -> findings, outcomes, score.

``evaluate`` takes a Document (with its companions, if any: last year's report, the batch's peers)
and a rule set and returns a new ``Result``; it changes neither. Every rule goes through the same
steps whatever its kind: its subjects and eras (``applies_to``, ``valid_from/until``), its
conditions (``when``), its kind's ``check``, the findings cap, the message context. A kind that
raises is isolated: the report gets an FZ-X01 finding naming the plugin and the rule, and every
other rule still runs. A plugin that failed earlier (while loading, in a hook; ``ruleset.plugin_failures``)
also gives every report an FZ-X01 finding. A pattern that times out gets FZ-X02.

Time: inside this function only the rule patterns are bounded (``regex``'s own timeout, one budget
per rule: ``rule_budget``). A kind's Python code that runs forever is stopped at the process
boundary: the batch runs each report in a worker, hears which rule is running through ``on_rule``,
kills a worker whose rule overruns and checks the report again with that rule given as ``timed_out``.
"""
from __future__ import annotations

import re
import traceback
from typing import Callable, Mapping, Optional

from ..checks.base import check_conditions
from ..document import build_document, load_document
from ..errors import INPUT, INTERNAL, PLUGIN, TIMEOUT, WORKER, NotApplicable, PatternTimeout, Problem, UnreadableInput
from ..fixing.edits import edit_for
from ..helpers.guard import describe, env_seconds, is_foreign_exit
from ..helpers.patterns import rule_deadline
from ..records import SEVERITY_RANK, Finding, Result, RuleOutcome
from ..rules.applicability import applicability
from ..toolrules import (CAPPED_RULE, DECODE_RULE, INTERNAL_ERROR_RULE, MAX_BYTES, MAX_FINDINGS_PER_RULE,
                         TIMEOUT_RULE, WORKER_DIED_RULE)
from .scoring import scored

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
TOOL_RULE_OF = {TIMEOUT: TIMEOUT_RULE, PLUGIN: INTERNAL_ERROR_RULE, INTERNAL: INTERNAL_ERROR_RULE,
                WORKER: WORKER_DIED_RULE}


def render(template: str, values: Mapping) -> str:
    """Fill ``{name}`` placeholders; unknown names stay as written (no format-string evaluation)."""
    pieces = _PLACEHOLDER.split(template)
    if len(pieces) == 1:
        return template
    out = [pieces[0]]
    for i in range(1, len(pieces), 2):
        value = values.get(pieces[i])
        out.append("{" + pieces[i] + "}" if value is None else str(value))
        out.append(pieces[i + 1])
    return "".join(out)


def _context(doc) -> dict:
    year = doc.meta.report_year
    return {"year": year, "next_year": year + 1 if year else None, "published": doc.meta.published,
            "unit": doc.meta.unit, "title": doc.meta.title}


def _anchor(doc) -> tuple:
    """Where a finding about the report as a whole is shown: the title, else the first body line."""
    if doc.meta.title_line is not None:
        return doc.line_spans[doc.meta.title_line]
    for i in range(doc.header_end_line, len(doc.line_spans)):
        if i not in doc.chrome_lines and doc.line_text(i).strip():
            return doc.line_spans[i]
    return (0, 0)


def _finding(doc, rule, hit, context, lang, applied=None) -> Finding:
    values = {**context, **hit.values}
    if hit.start is None:
        start, end = _anchor(doc)
        view = "normalised"
    else:
        start, end, view = hit.start, hit.end, hit.view
        text = doc.text if view == "normalised" else doc.original
        while start < end and text[start].isspace():      # show the words, not the blank line before them
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
    where = doc.locate(start, end, view)
    message = rule.message_en if lang == "en" and rule.message_en else rule.message
    hint = rule.hint_en if lang == "en" and rule.hint_en else rule.hint
    severity = hit.severity if hit.severity in SEVERITY_RANK else rule.severity
    fix = None
    if hit.start is not None and hit.values.get("fix"):
        fix = edit_for(doc, hit.start, hit.end, view, hit.values["fix"])
    if applied and applied != rule.severity:
        # the subject's severity replaces the rule's; a weaker case a kind reported stays weaker
        severity = applied if severity == rule.severity else min(severity, applied, key=SEVERITY_RANK.get)
    return Finding(rule=rule.id, severity=severity, message=render(message, values),
                   hint=render(hint, values), basis=rule.basis, fix=fix, **where)


def tool_finding(problem: Problem) -> Finding:
    """The finding that shows a problem of the tool or a plugin on a report (FZ-X01 / FZ-X02)."""
    return Finding(rule=TOOL_RULE_OF.get(problem.kind, INTERNAL_ERROR_RULE), severity="error", message=problem.message,
                   hint="请把本消息报告给插件作者；其他规则的结果不受影响。", basis="fazhi-lint 内部检查",
                   line=1, column=1, end_line=1, end_column=1, excerpt="")


def _lenient_finding(doc):
    """FZ-X06 for a file that was read leniently (damaged bytes, mixed encodings): how many
    characters were replaced and where, located at the first replacement character."""
    from ..readers.text import lenient_note

    note = lenient_note(getattr(doc, "encoding", "") or "")
    if note is None:
        return None
    first = doc.original.find("\ufffd")
    where = doc.locate(first, first + 1, "original") if first >= 0 else \
        {"line": 1, "column": 1, "end_line": 1, "end_column": 1, "excerpt": ""}
    return Finding(rule=DECODE_RULE, severity="warning", message=f"文件的编码有损坏，已容错读取：{note}",
                   hint="请核对标出位置的文字，并把报告重新保存为 UTF-8", basis="fazhi-lint 内部检查", **where)


def rule_budget(text_length: int) -> float:
    """Seconds one rule may take on one report, all its spans and patterns together:
    ``FAZHI_LINT_RULE_TIMEOUT`` (default 5 s) plus 1 s per million characters of the report."""
    return env_seconds("FAZHI_LINT_RULE_TIMEOUT", 5.0) + text_length / 1e6


def timeout_problem(rule_id: str, budget: float, what: str = "") -> Problem:
    return Problem(TIMEOUT, f"规则 {rule_id} 运行超时（每条规则每份报告限 {budget:.1f} 秒，含全部正则和检查代码），"
                            f"已跳过{('：' + what) if what else ''}", rule_id)


def _valid_hits(doc, hits) -> list:
    """A kind must return a list of Hits inside the text; anything else is the kind's mistake."""
    from ..checks.base import Hit

    if not isinstance(hits, (list, tuple)):
        raise TypeError(f"check() 应返回 Hit 的列表，却返回了 {type(hits).__name__}")
    for hit in hits:
        if not isinstance(hit, Hit):
            raise TypeError(f"check() 返回的 {hit!r:.60} 不是 Hit")
        if hit.start is None:
            continue
        size = len(doc.original if hit.view == "original" else doc.text)
        if hit.view not in ("normalised", "original") or not isinstance(hit.start, int) \
                or not isinstance(hit.end, int) or not 0 <= hit.start <= hit.end <= size:
            raise ValueError(f"check() 返回的位置 {hit.start}–{hit.end}（{hit.view}）不在报告文字之内（长度 {size}）")
    return list(hits)


def warm_up(ruleset) -> None:
    """Let each checker kind load what it needs once (before a batch forks its workers). A failing
    warm-up shows up again, isolated, when the rule runs."""
    for rule in ruleset.rules:
        warm = getattr(ruleset.kinds.get(rule.check), "warm_up", None)
        if warm is None:
            continue
        try:
            warm(rule, ruleset.states.get(rule.id))
        except BaseException as exc:
            if not isinstance(exc, Exception) and not is_foreign_exit(exc):
                raise


def _capped(rule, dropped: int, limit: int) -> Finding:
    return Finding(rule=CAPPED_RULE, severity="info",
                   message=f"规则 {rule.id} 在本报告中另有 {dropped} 处同类问题未逐条列出（每条规则每份报告最多列出 {limit} 处）",
                   hint="先修正已列出的问题（可用 --fix 修正可机械修正的部分），再重新检查",
                   basis="fazhi-lint 内部检查", line=1, column=1, end_line=1, end_column=1, excerpt="")


def _run_rule(doc, rule, kind, state, context, lang, budget, applied) -> list:
    """The findings of one rule (a list, possibly empty). Raises what the kind raised. Past
    ``MAX_FINDINGS_PER_RULE`` hits the rest are counted in one FZ-X07 note instead of listed:
    memory then stays a bounded multiple of the file, however often a hostile text repeats a term."""
    with rule_deadline(budget):
        check_conditions(doc, rule)
        hits = kind.check(doc, rule, state)
        if type(hits) is not list or not type(kind).__module__.startswith("checker."):
            hits = _valid_hits(doc, hits)     # a plugin's kind is checked; the built-in kinds return lists of Hits
        if not hits:
            return []
        found = [_finding(doc, rule, hit, context, lang, applied) for hit in hits[:MAX_FINDINGS_PER_RULE]]
        if len(hits) > MAX_FINDINGS_PER_RULE:
            found.append(_capped(rule, len(hits) - MAX_FINDINGS_PER_RULE, MAX_FINDINGS_PER_RULE))
        return found


def _place(exc: BaseException) -> str:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    return f"（{where.filename.rsplit('/', 1)[-1]}:{where.lineno}）" if where else ""


def _evaluate_rule(doc, rule, ruleset, context, lang, budget):
    """(findings, outcome, problem or None) of one rule; a kind that raises, exits or runs out of
    time costs only this rule."""
    kind = ruleset.kinds[rule.check]
    applied, why = applicability(rule, doc.meta.subject, doc.meta.report_year)
    if applied is None:
        return [], RuleOutcome(rule.id, "skipped", why), None
    try:
        found = _run_rule(doc, rule, kind, ruleset.states[rule.id], context, lang, budget, applied)
    except NotApplicable as exc:
        return [], RuleOutcome(rule.id, "skipped", str(exc)), None
    except PatternTimeout as exc:
        return [], RuleOutcome(rule.id, "skipped", f"运行超时（{TIMEOUT_RULE}）"), timeout_problem(rule.id, budget, str(exc))
    except BaseException as exc:  # a checker kind must never take the other rules down
        if not isinstance(exc, Exception) and not is_foreign_exit(exc):
            raise                  # a real Ctrl-C / SIGTERM
        plugin = getattr(kind, "plugin_name", "?")
        problem = Problem(PLUGIN, f"插件 {plugin} 的检查类型 {rule.check} 在规则 {rule.id} 上出错："
                                  f"{describe(exc)}{_place(exc)}", rule.id)
        return [], RuleOutcome(rule.id, "skipped", f"检查出错（{INTERNAL_ERROR_RULE}）"), problem
    if not found:
        return [], RuleOutcome(rule.id, "passed"), None
    worst = max((f.severity for f in found), key=SEVERITY_RANK.__getitem__)
    return found, RuleOutcome(rule.id, "failed", severity=worst), None


def evaluate(doc, ruleset, lang: str = "zh", *, timed_out: Mapping[str, Problem] = None,
             on_rule: Optional[Callable[[int, str], None]] = None) -> Result:
    """The Result of every rule of ``ruleset`` on a Document (its companions included).

    ``timed_out``: rules an earlier attempt on this report had to stop ({rule id: Problem}); they are
    recorded as timed out without running. ``on_rule(index, rule_id)`` is called as each rule starts
    (the batch's worker tells its parent which rule is running)."""
    findings, outcomes, problems = [], [], []
    problems += [Problem(PLUGIN, f"{failure}；该插件的这部分功能未生效", getattr(failure, "plugin", ""))
                 for failure in ruleset.plugin_failures]
    problems += list(getattr(doc.norm, "problems", ()))
    lenient = _lenient_finding(doc)
    if lenient is not None:
        findings.append(lenient)
    context = _context(doc)
    budget = rule_budget(len(doc.original))
    for index, rule in enumerate(ruleset.rules):
        if timed_out and rule.id in timed_out:
            outcomes.append(RuleOutcome(rule.id, "skipped", f"运行超时（{TIMEOUT_RULE}）"))
            problems.append(timed_out[rule.id])
            continue
        if on_rule is not None:
            on_rule(index, rule.id)
        found, outcome, problem = _evaluate_rule(doc, rule, ruleset, context, lang, budget)
        findings += found
        outcomes.append(outcome)
        if problem is not None:
            problems.append(problem)
    try:
        facts = tuple(found.record for found in doc.facts)
    except Exception as exc:  # the facts table must never take the report down
        facts = ()
        problems.append(Problem(INTERNAL, f"读取量化事实出错：{type(exc).__name__}: {exc}"))
    findings += [tool_finding(p) for p in problems]
    findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return scored(Result(path=doc.path, meta=doc.meta.to_json(), elements=doc.elements_summary(),
                         findings=tuple(findings), facts=facts, outcomes=tuple(outcomes), problems=tuple(problems)),
                  ruleset)


def failed_result(path, problem: Problem) -> Result:
    """A report that has no result because the tool (or a plugin) failed on it: one tool finding.
    ``path`` is a path or a ``checker.inputs.Input``."""
    return Result(path=getattr(path, "display", path), findings=(tool_finding(problem),), problems=(problem,))


def run_guarded(path, work) -> Result:
    """``work()`` for one report; a plugin's SystemExit/KeyboardInterrupt or a crash outside the
    rules (normalising, reading the outline) becomes an FZ-X01 result for that file alone."""
    try:
        return work()
    except BaseException as exc:
        if not isinstance(exc, Exception) and not is_foreign_exit(exc):
            raise
        return failed_result(path, Problem(INTERNAL, f"检查这个报告时出错：{describe(exc)}{_place(exc)}"))


def read_document(item, ruleset, year=None, published=None, max_bytes=None, subject=None):
    """The Document of a report given as a path or a ``checker.inputs.Input`` (any format the rule
    set's readers know). Raises UnreadableInput (and OSError) with the reason."""
    from ..inputs import Input, load_bytes

    item = item if isinstance(item, Input) else Input(display=item, path=item)
    data = load_bytes(item, max_bytes or MAX_BYTES)
    return load_document(item.display, year=year, published=published, data=data,
                         delete_patterns=ruleset.delete_patterns, readers=ruleset.readers, subject=subject,
                         vocabulary=ruleset.vocabulary)


def check_path(path, ruleset, year=None, published=None, lang="zh", max_bytes=None, subject=None) -> Result:
    """Check one report (a path, or a ``checker.inputs.Input``: a zip member, standard input)
    without companions; an unreadable file gives a Result with ``error`` set."""
    try:
        doc = read_document(path, ruleset, year, published, max_bytes, subject)
    except UnreadableInput as exc:
        return Result(path=getattr(path, "display", path), error=str(exc), problems=(Problem(INPUT, str(exc)),))
    return evaluate(doc, ruleset, lang)


def check_text(text: str, ruleset, path="<text>", year=None, published=None, lang="zh", subject=None) -> Result:
    doc = build_document(text, path=path, year=year, published=published,
                         delete_patterns=ruleset.delete_patterns, subject=subject, vocabulary=ruleset.vocabulary)
    return evaluate(doc, ruleset, lang)
