"""What a caller asks of a run (``RunRequest``) and what it gets back (``RunResult``): plain values.

The command line builds a RunRequest from its options and the project's config file; the served
desk builds one from a form. Neither needs the other: ``checker.run.run(request)`` is the whole
pipeline, and nothing in it reads click, the terminal or the environment beyond the time limits.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Mapping, Optional

from ..errors import Problem
from ..toolrules import MAX_BYTES
from ..waivers.gate import exit_code

FIX_MODES = ("none", "write", "diff")


@dataclass(frozen=True)
class RunRequest:
    """Everything that decides a run's results. Paths are as the caller gave them."""

    paths: tuple = ()
    province: str = "national"
    plugins: tuple = ()                       # module names loaded as plugins (--plugin)
    rule_paths: tuple = ()                    # extra rule files or folders (--rules)
    thresholds: Mapping = field(default_factory=dict)     # {rule id: {param: value}}
    select: tuple = ()                        # rule ids or prefixes shown (empty: all)
    ignore: tuple = ()
    per_file_ignores: Mapping = field(default_factory=dict)   # {glob: (ids or prefixes)}
    root: str = "."                           # folder the per-file globs are relative to
    suppressions: Optional[str] = None        # the suppressions file; None: look upward from the paths
    no_suppressions: bool = False
    baseline: Optional[str] = None
    write_baseline: Optional[str] = None
    year: Optional[int] = None                # --year / --published / --subject override what is read
    published: Optional[str] = None
    subject: Optional[str] = None
    lang: str = "zh"
    max_bytes: int = MAX_BYTES
    jobs: int = 0                             # worker processes; 0: one per CPU for a large batch
    include: tuple = ()
    exclude: tuple = ()
    stdin_name: Optional[str] = None          # a path "-" is standard input, shown under this name
    previous: Optional[str] = None            # last year's reports (a folder): FZ-Y01/Y02/Y04
    copies: bool = False                      # compare the batch's reports with each other: FZ-Y03
    fix: str = "none"                         # "write" (--fix) or "diff" (--diff)
    outputs: tuple = ()                       # files the caller will write: refused when one is an input

    def replace(self, **changes) -> "RunRequest":
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class FixReport:
    """What ``--fix`` / ``--diff`` did: edits per file, files it could not fix (and why), diffs."""

    fixed: Mapping = field(default_factory=dict)      # path -> number of edits made (or to make)
    failed: Mapping = field(default_factory=dict)     # path -> why not
    diffs: tuple = ()
    notes: tuple = ()                                 # one line per file, as said on standard error

    @property
    def total(self) -> int:
        return sum(self.fixed.values())


@dataclass(frozen=True)
class RunResult:
    """A run's outcome: the results as the gate shows them, the rule set that made them, and every
    problem of the run as a value (each knows its exit code)."""

    request: RunRequest
    results: tuple                            # Result per report (then the suppressions file's)
    ruleset: object                           # rules.RuleSet
    plugins: object                           # plugins.PluginSet (output formats, their owners)
    problems: tuple = ()                      # Problem: config, input and plugin problems of the run
    skipped: tuple = ()                       # ((path, reason)): files found but not checked
    missing: tuple = ()                       # ((path, reason)): paths named that could not be read
    inputs: tuple = ()                        # inputs.Input of every report read
    pairs: Mapping = field(default_factory=dict)      # report path -> last year's report it was read against
    notes: tuple = ()                         # lines for standard error (pairing, baseline written)
    fixes: Optional[FixReport] = None
    baseline_written: Optional[int] = None
    texts: object = None                      # inputs.Texts: each report's text as the run read it

    @property
    def reports(self) -> tuple:
        return tuple(r for r in self.results if r.is_report)

    def exit_code(self, fail_on: str = "error", min_score=None) -> int:
        """The gate's exit code (``waivers.gate.exit_code``) over the results and the run's problems."""
        return exit_code(self.results, fail_on, min_score, self.problems)


def problems_of(messages, kind: str) -> tuple:
    return tuple(Problem(kind, str(m)) for m in messages)
