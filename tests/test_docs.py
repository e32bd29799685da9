"""Documentation stays true: generated rule pages are current; every hook is documented."""
import inspect
import os

from checker import hookspecs
from checker.rules import docgen

from .conftest import ROOT


def test_rule_pages_are_up_to_date():
    assert docgen.main([os.path.join(ROOT, "docs", "rules"), "--check"]) == 0


def test_every_hook_has_a_docstring_with_versionadded():
    hooks = [f for name, f in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("fazhi_lint_")]
    assert hooks
    for hook in hooks:
        doc = inspect.getdoc(hook) or ""
        assert len(doc) > 40 and "versionadded" in doc, hook.__name__


def test_accuracy_page_matches_golden_files_and_output(ruleset):
    from .accuracy_doc import PAGE, render

    assert open(PAGE, encoding="utf-8").read() == render(ruleset), "run: python -m tests.accuracy_doc"
