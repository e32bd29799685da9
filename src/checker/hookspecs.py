"""The whole plugin contract of fazhi-lint.

A plugin is any module or object with functions decorated ``@checker.hookimpl`` whose names are
the hooks below. The built-in checker kinds, the national rule pack and the output formats are
registered through these same hooks (``checker.checks``, ``checker.outputs``), so a province
pack is written exactly like them. Third-party plugins are found through the entry-point group
``fazhi_lint`` or named with ``--plugin module.path``.

Hooks take no arguments unless stated; an implementation may accept fewer arguments than the
specification (pluggy's opt-in arguments).

Failure contract: every implementation is called on its own. If it raises, the run goes on
without what it would have returned, every report gets a finding ``FZ-X01`` naming the plugin
and the hook, and ``fazhi-lint`` exits 3. Raising ``checker.plugins.ConfigurationError`` instead
marks a mistake in the plugin's *data* (e.g. a broken ``pack.yaml``): it is printed as a
configuration error and the exit code is 2. "Raises" includes ``sys.exit()``/``SystemExit`` and a
self-raised ``KeyboardInterrupt``, returning the wrong type (a hook must return a list, or a dict
for output formats), and running past its time limit (``FAZHI_LINT_HOOK_TIMEOUT``, 30 s per
implementation). Output a plugin prints goes to standard error. A built-in output format cannot be
replaced (a plugin returning ``json`` is a configuration error).

Selecting plugins: ``FAZHI_LINT_PLUGINS=a,b`` loads only these entry points,
``FAZHI_LINT_DISABLE_PLUGINS=a`` leaves one out; ``fazhi-lint plugins`` lists what is loaded and
``fazhi-lint test-rules`` checks that every hook below is documented and every plugin hook exists.
"""
from __future__ import annotations

import pluggy

PROJECT = "fazhi_lint"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def fazhi_lint_checker_kinds():
    """Return a list of checker kinds: objects with ``name``, ``params`` (name -> description of
    every accepted parameter), ``required`` (the parameter names a rule must give; optional,
    default none), ``prepare(rule) -> state`` (compile patterns; raise ``checker.errors.RuleError``
    with a message naming what is wrong) and ``check(doc, rule, state) -> list[Hit]`` (raise
    ``checker.errors.NotApplicable(reason)`` to skip).

    Declare the parameters with types: subclass ``checker.checks.params.DeclaredKind`` and set
    ``declared = Parameters(name, Param(...), ...)`` (type, default, choices, description). Then
    ``params`` and ``required`` come from the declaration, a rule whose parameter is unknown,
    missing or of the wrong type does not load (``file:line``, the parameter, exit 2), ``prepare``
    and ``check`` read ``rule.config`` (frozen, defaults filled in), and the kind appears with its
    parameters in ``fazhi-lint kinds`` and in the JSON Schema for rule files. A kind without a
    declaration gets ``rule.config`` holding the raw values and must check them itself.

    A YAML rule's ``check:`` field names the kind. Kind names are global: two plugins that
    provide the same name are a configuration error. Give the kind class a docstring and describe
    every parameter in ``params`` (``test-rules`` checks both). ``check`` must not modify the
    document; an exception other than ``NotApplicable`` becomes an FZ-X01 finding for that rule
    and every other rule still runs.

    .. versionadded:: 0.1
    """


@hookspec
def fazhi_lint_rule_packs():
    """Return a list of ``checker.rules.RulePack`` records: a named folder of YAML rule files,
    optionally ``extends`` another pack and ``disable``s or ``override``s its rules.

    The built-in plugin returns the ``national`` pack. Province packs return theirs, usually
    ``checker.rules.manifest.pack_from_folder(__file__, "rules")``, which reads ``name``,
    ``extends``, ``disable`` and ``override`` from the folder's ``pack.yaml``. ``--province NAME``
    selects a pack by ``name``; pack names are global.

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
    of every report (for example a province's typical watermark). Strings are compiled with the
    ``regex`` module; compiled patterns are accepted as they are. Deletions are merged with the
    built-in ones and recorded in the offset map, so positions in findings still point at the
    file as given. Patterns apply to every report, whichever pack is selected: delete only text
    that can never be part of a report.

    .. versionadded:: 0.1
    """


@hookspec
def fazhi_lint_readers():
    """Return a list of readers, one per file format. A reader has ``name``, ``suffixes`` (the
    lower-case extensions it reads, e.g. ``(".ofd",)``), ``library`` (what it reads with, shown in
    the docs) and ``read(data: bytes, name: str) -> checker.readers.Reading``: the document text
    plus ``locations``, a sorted tuple of ``(text offset, place)`` such as ``{"page": 3, "line": 14}``
    that findings then carry as ``location``. Raise ``checker.readers.UnreadableInput(reason)``
    (reason in Chinese) for a file that cannot be read: the report gets that error, exit 2, and
    the batch goes on.

    The built-in readers (.txt/.md, .docx, .pdf, .html, .doc/.wps, .ofd) are registered first; where
    two readers claim an extension, the first registered keeps it. ``.zip`` is not a reader: a zip
    file's members are read each with the reader of their own extension.

    .. versionadded:: 0.2
    """
