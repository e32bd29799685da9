"""Every rule's own examples: each `fire` example fires, each `pass` example does not. Examples are
tests, not a start-up step (a user's check does not run them): this file runs them for the national
pack and for the two province packs of this repository (their own tests run verify_ruleset too)."""
import os

import pytest

from checker.plugins import build_plugins
from checker.rules import load_ruleset
from checker.rules.selftest import run_examples

from .conftest import ROOT

_RS = load_ruleset(build_plugins())
PACKS = {"sichuan": "fazhi-lint-sichuan", "shenzhen": "fazhi-lint-shenzhen"}


def _pack(name):
    """The province pack from this source tree (no installed plugin), on top of national."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(os.path.join(ROOT, "plugins", PACKS[name], "src"))
        patch.setenv("FAZHI_LINT_NO_ENTRYPOINTS", "1")
        plugins = build_plugins([f"fazhi_lint_{name}"])
    ruleset = load_ruleset(plugins, name)
    assert not ruleset.errors and not plugins.failures
    return ruleset


_PACK_RULES = [(name, rule.id) for name in PACKS for rule in _pack(name).rules
               if rule.pack == name or rule.id not in {r.id for r in _RS.rules}]


def test_national_rules_load_without_errors():
    assert not _RS.errors
    assert len(_RS.rules) >= 15


@pytest.mark.parametrize("rule", _RS.rules, ids=[r.id for r in _RS.rules])
def test_rule_examples(rule):
    assert rule.examples_fire and rule.examples_pass
    failures = run_examples(rule, _RS.states[rule.id], _RS.kinds[rule.check])
    assert failures == [], "\n".join(map(str, failures))


@pytest.mark.parametrize("pack, rule_id", _PACK_RULES, ids=[f"{p}-{r}" for p, r in _PACK_RULES])
def test_province_pack_rule_examples(pack, rule_id):
    """A pack's own and overridden rules, against the definition their examples were written for."""
    ruleset = _pack(pack)
    rule = ruleset.by_id(rule_id)
    example_rule, state = ruleset.examples_from.get(rule_id, (rule, ruleset.states[rule_id]))
    assert example_rule.examples_fire and example_rule.examples_pass
    failures = run_examples(example_rule, state, ruleset.kinds[rule.check], ruleset.delete_patterns)
    assert failures == [], "\n".join(map(str, failures))


def test_a_failing_example_fails():
    import dataclasses

    rule = _RS.by_id("FZ-W01")
    broken = dataclasses.replace(rule, examples_pass=(*rule.examples_pass, rule.examples_fire[0]))
    failures = run_examples(broken, _RS.states[rule.id], _RS.kinds[rule.check])
    assert [f.which for f in failures] == [f"pass[{len(rule.examples_pass)}]"]


@pytest.mark.parametrize("rule", _RS.rules, ids=[r.id for r in _RS.rules])
def test_rule_has_basis_message_hint(rule):
    assert rule.basis.strip() and rule.message.strip() and rule.hint.strip()
