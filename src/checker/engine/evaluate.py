"""Run a rule set over reports: every rule x its checker kind -> findings, outcomes, score.

A checker that raises is isolated: the report gets an FZ-X01 finding naming the plugin and the
rule, and every other rule still runs. A plugin that raised earlier (while loading, in a hook, or
on a rule's examples; ``ruleset.plugin_failures``) also gives every report an FZ-X01 finding.
A pattern that times out gets FZ-X02.
"""
from __future__ import annotations

import re
import traceback

from ..checks.base import check_conditions
from ..document import build_document, load_document
from ..errors import NotApplicable, PatternTimeout, UnreadableInput
from ..fixing.edits import edit_for
from ..helpers.guard import TimeBudgetExceeded, Watchdog, describe, env_seconds, is_foreign_exit, time_limit
from ..helpers.patterns import rule_deadline
from ..records import SEVERITY_RANK, Finding, Result, RuleOutcome
from ..rules.applicability import applicability
from .scoring import explain, score, subscores

INTERNAL_ERROR_RULE = "FZ-X01"
TIMEOUT_RULE = "FZ-X02"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


_TEMPLATES: dict = {}      # template -> [literal, name, literal, name, …, literal]


def render(template: str, values: dict) -> str:
    """Fill ``{name}`` placeholders; unknown names stay as written (no format-string evaluation).
    Each template is split once (a batch renders the same few dozen templates for every finding)."""
    pieces = _TEMPLATES.get(template)
    if pieces is None:
        if len(_TEMPLATES) > 10_000:
            _TEMPLATES.clear()
        pieces = _TEMPLATES[template] = _PLACEHOLDER.split(template)
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


def _internal(rule_id: str, message: str) -> Finding:
    return Finding(rule=rule_id, severity="error", message=message, hint="请把本消息报告给插件作者；其他规则的结果不受影响。",
                   basis="fazhi-lint 内部检查", line=1, column=1, end_line=1, end_column=1, excerpt="")


DECODE_RULE = "FZ-X06"


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


_WARMED: set = set()


def _warm_up(rule, kind, state) -> None:
    """A kind's one-time loading (jieba's dictionary) happens outside the rule's time budget."""
    warm = getattr(kind, "warm_up", None)
    if warm is None or (rule.id, id(state)) in _WARMED:
        return
    _WARMED.add((rule.id, id(state)))
    try:
        with time_limit(env_seconds("FAZHI_LINT_HOOK_TIMEOUT", 30.0), f"规则 {rule.id} 的预加载"):
            warm(rule, state)
    except BaseException as exc:   # a failing warm-up shows up again, isolated, when the rule runs
        if not isinstance(exc, Exception) and not is_foreign_exit(exc):
            raise


def warm_up(ruleset) -> None:
    """Let each checker kind load what it needs once (before a batch forks its workers)."""
    for rule in ruleset.rules:
        kind = ruleset.kinds.get(rule.check)
        if kind is not None:
            _warm_up(rule, kind, ruleset.states.get(rule.id))


MAX_FINDINGS_PER_RULE = 1000      # per report; a text of nothing but one wrong term is not a draft
CAPPED_RULE = "FZ-X07"


def _capped(rule, dropped: int, limit: int) -> Finding:
    return Finding(rule=CAPPED_RULE, severity="info",
                   message=f"规则 {rule.id} 在本报告中另有 {dropped} 处同类问题未逐条列出（每条规则每份报告最多列出 {limit} 处）",
                   hint="先修正已列出的问题（可用 --fix 修正可机械修正的部分），再重新检查",
                   basis="fazhi-lint 内部检查", line=1, column=1, end_line=1, end_column=1, excerpt="")


def _run_rule(doc, rule, kind, state, context, lang, budget, watchdog, applied):
    """The findings of one rule (a list, possibly empty). Raises what the kind raised. Past
    ``MAX_FINDINGS_PER_RULE`` hits the rest are counted in one FZ-X07 note instead of listed:
    memory then stays a bounded multiple of the file (a finding costs ~1.3 KB, twice that while
    the output is written), however many times a hostile text repeats a wrong term."""
    watchdog.arm(budget + 1.0, "规则 " + rule.id)
    try:
        with rule_deadline(budget):
            check_conditions(doc, rule)
            hits = kind.check(doc, rule, state)
            if type(hits) is not list or not type(kind).__module__.startswith("checker."):
                hits = _valid_hits(doc, hits)     # a plugin's kind is checked; the built-in kinds return lists of Hits
            if not hits:
                return []
            limit = MAX_FINDINGS_PER_RULE
            found = [_finding(doc, rule, hit, context, lang, applied) for hit in hits[:limit]]
            if len(hits) > limit:
                found.append(_capped(rule, len(hits) - limit, limit))
            return found
    finally:
        watchdog.disarm()


def _evaluate_rule(result, doc, rule, ruleset, context, lang, budget, watchdog) -> None:
    """Run one rule and record its outcome (and findings) on ``result``; a kind that raises,
    exits or runs out of time costs only this rule."""
    kind = ruleset.kinds[rule.check]
    applied, why = applicability(rule, doc.meta.subject, doc.meta.report_year)
    if applied is None:
        result.outcomes.append(RuleOutcome(rule.id, "skipped", why))
        return
    try:
        found = _run_rule(doc, rule, kind, ruleset.states[rule.id], context, lang, budget, watchdog, applied)
    except NotApplicable as exc:
        result.outcomes.append(RuleOutcome(rule.id, "skipped", str(exc)))
        return
    except (PatternTimeout, TimeBudgetExceeded) as exc:
        result.findings.append(_internal(TIMEOUT_RULE, f"规则 {rule.id} 运行超时（每条规则每份报告限 {budget:.1f} 秒，"
                                                       f"含全部正则和检查代码），已跳过：{exc}"))
        result.outcomes.append(RuleOutcome(rule.id, "skipped", "运行超时（FZ-X02）"))
        result.internal_errors.append(f"{rule.id}: timeout")
        return
    except BaseException as exc:  # a checker kind must never take the other rules down
        if not isinstance(exc, Exception) and not is_foreign_exit(exc):
            raise                  # a real Ctrl-C / SIGTERM
        plugin = getattr(kind, "plugin_name", "?")
        where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        place = f"（{where.filename.rsplit('/', 1)[-1]}:{where.lineno}）" if where else ""
        result.findings.append(_internal(
            INTERNAL_ERROR_RULE,
            f"插件 {plugin} 的检查类型 {rule.check} 在规则 {rule.id} 上出错：{describe(exc)}{place}"))
        result.outcomes.append(RuleOutcome(rule.id, "skipped", "检查出错（FZ-X01）"))
        result.internal_errors.append(f"{rule.id}: {describe(exc)}")
        return
    if found:
        result.findings.extend(found)
        worst = max((f.severity for f in found), key=SEVERITY_RANK.__getitem__)
        result.outcomes.append(RuleOutcome(rule.id, "failed", severity=worst))
    else:
        result.outcomes.append(RuleOutcome(rule.id, "passed"))


def evaluate(doc, ruleset, lang: str = "zh") -> Result:
    """Run every rule of ``ruleset`` on a Document."""
    result = Result(path=doc.path, meta=doc.meta.to_json(), elements=doc.elements_summary())
    context = _context(doc)
    for failure in getattr(ruleset, "plugin_failures", ()):
        result.findings.append(_internal(INTERNAL_ERROR_RULE, f"{failure}；该插件的这部分功能未生效"))
        result.internal_errors.append(str(failure))
    for problem in getattr(doc.norm, "problems", ()):
        result.findings.append(_internal(TIMEOUT_RULE if "超时" in problem else INTERNAL_ERROR_RULE, problem))
        result.internal_errors.append(problem)
    lenient = _lenient_finding(doc)
    if lenient is not None:
        result.findings.append(lenient)
    budget = rule_budget(len(doc.original))
    with Watchdog() as watchdog:
        for rule in ruleset.rules:
            _evaluate_rule(result, doc, rule, ruleset, context, lang, budget, watchdog)
    result.findings.sort(key=lambda f: (f.line, f.column, f.rule))
    try:
        result.facts = [found.record for found in doc.facts]
    except Exception as exc:  # the facts table must never take the report down
        result.findings.append(_internal(INTERNAL_ERROR_RULE, f"读取量化事实出错：{type(exc).__name__}: {exc}"))
        result.internal_errors.append(f"facts: {type(exc).__name__}: {exc}")
    result.score = score(result.outcomes, ruleset, result.elements)
    result.subscores = subscores(result.outcomes, ruleset, result.elements)
    result.breakdown = explain(result.outcomes, ruleset, result.elements)
    return result


def failed_result(path, rule_id: str, message: str) -> Result:
    """A report that has no result because the tool (or a plugin) failed on it: one tool finding.
    ``path`` is a path or a ``checker.inputs.Input``."""
    result = Result(path=getattr(path, "display", path))
    result.findings.append(_internal(rule_id, message))
    result.internal_errors.append(message)
    return result


def run_guarded(path, work) -> Result:
    """``work()`` for one report; a plugin's SystemExit/KeyboardInterrupt or a crash outside the
    rules (normalising, reading the outline) becomes an FZ-X01 result for that file alone."""
    try:
        return work()
    except BaseException as exc:
        if not isinstance(exc, Exception) and not is_foreign_exit(exc):
            raise
        where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        place = f"（{where.filename.rsplit('/', 1)[-1]}:{where.lineno}）" if where else ""
        return failed_result(path, INTERNAL_ERROR_RULE, f"检查这个报告时出错：{describe(exc)}{place}")


def check_path(path, ruleset, year=None, published=None, lang="zh", max_bytes=None, subject=None,
               sketch=None) -> Result:
    """Check one report (a path, or a ``checker.inputs.Input``: a zip member, standard input);
    an unreadable file gives a Result with ``error`` set. ``subject`` overrides who reports.
    ``sketch``, a function of the Document, is kept in ``Result.sketch`` (copy detection, computed
    where the document is already built: in the batch worker)."""
    from ..inputs import Input, load_bytes

    item = path if isinstance(path, Input) else Input(display=path, path=path)
    try:
        data = load_bytes(item, max_bytes or 64 * 1024 * 1024)
        doc = load_document(item.display, year=year, published=published, data=data,
                            delete_patterns=getattr(ruleset, "delete_patterns", ()),
                            readers=getattr(ruleset, "readers", None), subject=subject)
    except UnreadableInput as exc:
        return Result(path=item.display, error=str(exc))
    result = evaluate(doc, ruleset, lang)
    if sketch is not None:
        result.sketch = sketch(doc)
    return result


def check_text(text: str, ruleset, path="<text>", year=None, published=None, lang="zh", subject=None) -> Result:
    doc = build_document(text, path=path, year=year, published=published,
                         delete_patterns=getattr(ruleset, "delete_patterns", ()), subject=subject)
    return evaluate(doc, ruleset, lang)
