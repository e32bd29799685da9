"""Run each rule's own examples: every ``fire`` example must fire, every ``pass`` example must not.

Used by ``fazhi-lint test-rules``, the test suite and a pack's CI (``verify_ruleset`` drops a rule whose
examples fail); a user's check does not run them.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..checks.base import check_conditions
from ..errors import NotApplicable
from ..document import build_document
from .applicability import applicability


@dataclass(frozen=True)
class ExampleFailure:
    rule_id: str
    source: str
    which: str        # "fire[0]" / "pass[2]"
    problem: str
    crashed: bool = False   # the checker kind raised (a plugin bug, not a wrong example)

    def __str__(self) -> str:
        return f"{self.source}: {self.rule_id}: 样例 {self.which} {self.problem}"


def _hits(rule, state, kind, example, delete_patterns=(), vocabulary=None):
    doc = build_document(example.text, path=f"<{rule.id} example>", year=example.year,
                         published=example.published, delete_patterns=delete_patterns, vocabulary=vocabulary)
    # Rules that compare reports (compare/kinds.py) get the companions the example gives.
    if example.previous is not None:
        doc = doc.with_companions(previous=build_document(example.previous, path=f"<{rule.id} previous>",
                                                          delete_patterns=delete_patterns))
    if example.peers:
        doc = doc.with_companions(peers=tuple(build_document(t, path=f"<{rule.id} peer {i}>", delete_patterns=delete_patterns)
                                              for i, t in enumerate(example.peers)))
    if applicability(rule, doc.meta.subject, doc.meta.report_year)[0] is None:
        return 0                 # the example's subject or year is outside the rule's reach
    try:
        check_conditions(doc, rule)
        return len(kind.check(doc, rule, state))
    except NotApplicable:
        return 0


def run_examples(rule, state, kind, delete_patterns=(), vocabulary=None) -> list:
    """ExampleFailure for every example that does not behave as labelled (empty when all do)."""
    failures = []
    for label, examples, want_fire in (("fire", rule.examples_fire, True), ("pass", rule.examples_pass, False)):
        for i, example in enumerate(examples):
            try:
                fired = _hits(rule, state, kind, example, delete_patterns, vocabulary) > 0
            except Exception as exc:
                failures.append(ExampleFailure(rule.id, rule.source, f"{label}[{i}]",
                                               f"运行出错：{type(exc).__name__}: {exc}", crashed=True))
                continue
            if fired != want_fire:
                problem = "应当触发却没有触发" if want_fire else "不应触发却触发了"
                snippet = example.text.strip().replace("\n", " ")[:40]
                failures.append(ExampleFailure(rule.id, rule.source, f"{label}[{i}]", f"{problem}：“{snippet}”"))
    return failures


def verify_ruleset(ruleset):
    """(the rule set without the rules whose examples fail, the failures).

    A wrong example is a rule error (added to the new rule set's ``errors``). A checker kind that
    raises on an example is its plugin's failure (added to ``plugin_failures``, so every report gets
    an FZ-X01 finding naming the plugin).

    Examples are tests, not a start-up step: ``fazhi-lint test-rules``, the test suite and a
    pack's own CI run them; a user's check does not (``cli.common.load_rules(verify=False)``).
    """
    from ..plugins import PluginFailure

    delete_patterns = getattr(ruleset, "delete_patterns", ())
    failures, keep, errors, plugin_failures = [], [], [], []
    for rule in ruleset.rules:
        kind = ruleset.kinds[rule.check]
        example_rule, example_state = getattr(ruleset, "examples_from", {}).get(
            rule.id, (rule, ruleset.states.get(rule.id)))
        problems = run_examples(example_rule, example_state, kind, delete_patterns, ruleset.vocabulary)
        if problems:
            failures.extend(problems)
            crash = next((p for p in problems if p.crashed), None)
            if crash is not None:
                plugin_failures.append(PluginFailure(
                    getattr(kind, "plugin_name", "?"), f"检查类型 {rule.check} 在规则 {rule.id} 的样例上",
                    crash.problem.replace("运行出错：", "") + "（该规则未加载）"))
            else:
                errors.extend(f"{p}（该规则未加载）" for p in problems)
            continue
        keep.append(rule)
    if not failures:
        return ruleset, failures
    return ruleset.replace(rules=tuple(keep), states={r.id: ruleset.states[r.id] for r in keep},
                           errors=(*ruleset.errors, *errors),
                           plugin_failures=(*ruleset.plugin_failures, *plugin_failures)), failures
