"""Documentation stays true: generated rule pages are current; every hook is documented."""
import inspect
import os

from checker import docgen, hookspecs

from .conftest import ROOT


def test_rule_pages_are_up_to_date():
    assert docgen.main([os.path.join(ROOT, "docs", "rules"), "--check"]) == 0


def test_every_hook_has_a_docstring_with_versionadded():
    hooks = [f for name, f in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("fazhi_lint_")]
    assert hooks
    for hook in hooks:
        doc = inspect.getdoc(hook) or ""
        assert len(doc) > 40 and "versionadded" in doc, hook.__name__
