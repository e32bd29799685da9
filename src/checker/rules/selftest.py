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

    def __str__(self) -> str:
        return f"{self.source}: {self.rule_id}: 样例 {self.which} {self.problem}"


def _hits(rule, state, kind, example):
    doc = build_document(example.text, path=f"<{rule.id} example>", year=example.year,
                         published=example.published)
    try:
        check_conditions(doc, rule)
        return len(kind.check(doc, rule, state))
    except NotApplicable:
        return 0


def run_examples(rule, state, kind) -> list:
    failures = []
    for label, examples, want_fire in (("fire", rule.examples_fire, True), ("pass", rule.examples_pass, False)):
        for i, example in enumerate(examples):
            try:
                fired = _hits(rule, state, kind, example) > 0
            except Exception as exc:
                failures.append(ExampleFailure(rule.id, rule.source, f"{label}[{i}]", f"运行出错：{type(exc).__name__}: {exc}"))
                continue
            if fired != want_fire:
                problem = "应当触发却没有触发" if want_fire else "不应触发却触发了"
                snippet = example.text.strip().replace("\n", " ")[:40]
                failures.append(ExampleFailure(rule.id, rule.source, f"{label}[{i}]", f"{problem}：“{snippet}”"))
    return failures


def verify_ruleset(ruleset) -> list:
    """Drop rules whose examples fail; return the failures (also appended to ruleset.errors)."""
    failures, keep = [], []
    for rule in ruleset.rules:
        problems = run_examples(rule, ruleset.states[rule.id], ruleset.kinds[rule.check])
        if problems:
            failures.extend(problems)
        else:
            keep.append(rule)
    ruleset.rules = keep
    ruleset.errors.extend(f"{f}（该规则未加载）" for f in failures)
    return failures
