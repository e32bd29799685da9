"""Run each rule's own examples: every ``fire`` example must fire, every ``pass`` example must not.

Used at load time (a rule that fails its examples does not load) and by ``fazhi-lint test-rules``.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..checks.base import NotApplicable, check_conditions
from ..document import build_document


@dataclass(frozen=True)
class ExampleFailure:
    rule_id: str
    source: str
    which: str        # "fire[0]" / "pass[2]"
    problem: str
    crashed: bool = False   # the checker kind raised (a plugin bug, not a wrong example)

    def __str__(self) -> str:
        return f"{self.source}: {self.rule_id}: 样例 {self.which} {self.problem}"


def _hits(rule, state, kind, example, delete_patterns=()):
    doc = build_document(example.text, path=f"<{rule.id} example>", year=example.year,
                         published=example.published, delete_patterns=delete_patterns)
    try:
        check_conditions(doc, rule)
        return len(kind.check(doc, rule, state))
    except NotApplicable:
        return 0


def run_examples(rule, state, kind, delete_patterns=()) -> list:
    """ExampleFailure for every example that does not behave as labelled (empty when all do)."""
    failures = []
    for label, examples, want_fire in (("fire", rule.examples_fire, True), ("pass", rule.examples_pass, False)):
        for i, example in enumerate(examples):
            try:
                fired = _hits(rule, state, kind, example, delete_patterns) > 0
            except Exception as exc:
                failures.append(ExampleFailure(rule.id, rule.source, f"{label}[{i}]",
                                               f"运行出错：{type(exc).__name__}: {exc}", crashed=True))
                continue
            if fired != want_fire:
                problem = "应当触发却没有触发" if want_fire else "不应触发却触发了"
                snippet = example.text.strip().replace("\n", " ")[:40]
                failures.append(ExampleFailure(rule.id, rule.source, f"{label}[{i}]", f"{problem}：“{snippet}”"))
    return failures


def _fingerprint(rule, kind, delete_patterns=()) -> str:
    """What a rule's example verdict depends on: the rule itself, its kind's code, the tool version."""
    import hashlib
    import inspect
    import os

    from .. import __version__

    try:
        code = inspect.getsourcefile(type(kind)) or ""
        stamp = f"{code}:{os.path.getmtime(code)}:{os.path.getsize(code)}"
    except (TypeError, OSError):
        stamp = repr(type(kind))
    text = repr((__version__, stamp, rule.id, rule.check, rule.scope, sorted(rule.params.items(), key=str),
                 sorted(rule.when.items(), key=str), rule.examples_fire, rule.examples_pass,
                 [getattr(p, "pattern", str(p)) for p in delete_patterns]))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _cache_dir():
    import os

    if os.environ.get("FAZHI_LINT_NO_CACHE") == "1":
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "fazhi-lint", "verified-examples")


def verify_ruleset(ruleset, use_cache: bool = True) -> list:
    """Drop rules whose examples fail; return the failures.

    A wrong example is a rule error (appended to ``ruleset.errors``). A checker kind that raises
    on an example is its plugin's failure (appended to ``ruleset.plugin_failures``, so every
    report gets an FZ-X01 finding naming the plugin).

    A rule whose examples passed before, unchanged (same rule, same kind code, same version), is
    not run again: the verdict is remembered as an empty file named by its fingerprint in the
    user's cache folder (FAZHI_LINT_NO_CACHE=1 turns this off).
    """
    import os

    from ..plugins import PluginFailure

    delete_patterns = getattr(ruleset, "delete_patterns", ())
    cache = _cache_dir() if use_cache else None
    failures, keep = [], []
    for rule in ruleset.rules:
        kind = ruleset.kinds[rule.check]
        example_rule, example_state = getattr(ruleset, "examples_from", {}).get(
            rule.id, (rule, ruleset.states.get(rule.id)))
        marker = os.path.join(cache, _fingerprint(example_rule, kind, delete_patterns)) if cache else None
        if marker and os.path.exists(marker):
            keep.append(rule)
            continue
        problems = run_examples(example_rule, example_state, kind, delete_patterns)
        if problems:
            failures.extend(problems)
            crash = next((p for p in problems if p.crashed), None)
            if crash is not None:
                ruleset.plugin_failures.append(PluginFailure(
                    getattr(kind, "plugin_name", "?"), f"检查类型 {rule.check} 在规则 {rule.id} 的样例上",
                    crash.problem.replace("运行出错：", "") + "（该规则未加载）"))
            else:
                ruleset.errors.extend(f"{p}（该规则未加载）" for p in problems)
            continue
        keep.append(rule)
        if marker:
            try:
                os.makedirs(cache, exist_ok=True)
                open(marker, "w").close()
            except OSError:
                pass
    ruleset.rules = keep
    for rule_id in {p.rule_id for p in failures}:
        ruleset.states.pop(rule_id, None)
    return failures
