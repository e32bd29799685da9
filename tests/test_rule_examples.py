"""Every rule's own examples: each `fire` example fires, each `pass` example does not."""
import pytest

from checker.plugins import build_plugins
from checker.rules import load_ruleset
from checker.rules.selftest import run_examples

_RS = load_ruleset(build_plugins())


def test_national_rules_load_without_errors():
    assert not _RS.errors
    assert len(_RS.rules) >= 15


@pytest.mark.parametrize("rule", _RS.rules, ids=[r.id for r in _RS.rules])
def test_rule_examples(rule):
    assert rule.examples_fire and rule.examples_pass
    failures = run_examples(rule, _RS.states[rule.id], _RS.kinds[rule.check])
    assert failures == [], "\n".join(map(str, failures))


@pytest.mark.parametrize("rule", _RS.rules, ids=[r.id for r in _RS.rules])
def test_rule_has_basis_message_hint(rule):
    assert rule.basis.strip() and rule.message.strip() and rule.hint.strip()
