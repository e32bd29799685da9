"""The whole plugin contract of fazhi-lint.

A plugin is any module or object with functions decorated ``@checker.hookimpl`` whose names are
the hooks below. The built-in checker kinds, the national rule pack and the output formats are
registered through these same hooks (``checker.checks``, ``checker.outputs``), so a province
pack is written exactly like them. Third-party plugins are found through the entry-point group
``fazhi_lint`` or named with ``--plugin module.path``.

Hooks take no arguments unless stated; an implementation may accept fewer arguments than the
specification (pluggy's opt-in arguments).
"""
from __future__ import annotations

import pluggy

PROJECT = "fazhi_lint"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def fazhi_lint_checker_kinds():
    """Return a list of checker kinds: objects with ``name``, ``params`` (name -> description),
    ``prepare(rule) -> state`` (validate parameters and compile patterns; raise
    ``checker.checks.base.RuleError`` with a message naming what is wrong) and
    ``check(doc, rule, state) -> list[Hit]`` (raise ``NotApplicable(reason)`` to skip).

    A YAML rule's ``check:`` field names the kind. Kind names are global: two plugins that
    provide the same name are a configuration error.

    .. versionadded:: 0.1
    """


@hookspec
def fazhi_lint_rule_packs():
    """Return a list of ``checker.rules.RulePack`` records: a named folder of YAML rule files,
    optionally ``extends`` another pack and ``disable``s or ``override``s its rules.

    The built-in plugin returns the ``national`` pack. Province packs return theirs.

    .. versionadded:: 0.1
    """


@hookspec
def fazhi_lint_output_formats():
    """Return a mapping ``{name: formatter}``; ``formatter(results, context) -> str`` renders
    a list of ``checker.records.Result`` (``context`` holds the rule set and run options).

    .. versionadded:: 0.1
    """


@hookspec
def fazhi_lint_normalise_patterns():
    """Return a list of regular expressions whose matches are removed from the matching view
    of every report (for example a province's typical watermark). Positions in findings still
    point at the file as given.

    .. versionadded:: 0.1
    """
