"""Every exception fazhi-lint raises on purpose, each carrying the exit code it ends a run with.

One floor below everything else: any room may import it. ``str(exc)`` is always the message a
user reads (in Chinese, ``file:line: what is wrong`` where there is a file). The command line
turns a ``FazhiError`` that reaches it into that message and ``exc.exit_code``; no traceback.

Exit codes (the README's table):
  0  nothing at or above --fail-on, every report read, no score below --min-score
  1  findings at or above --fail-on, or a score below --min-score
  2  usage, configuration or rule error, or a report that could not be read
  3  internal error: a plugin or checker kind raised, or a pattern timed out
"""
from __future__ import annotations

from dataclasses import dataclass

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

# What went wrong, as data: the kind decides the exit code (and, for a report, the tool finding).
TIMEOUT, PLUGIN, INTERNAL, WORKER = "timeout", "plugin", "internal", "worker"   # the tool or a plugin failed: exit 3
INPUT, CONFIG, OUTPUT = "input", "config", "output"              # the user's files or settings: exit 2
EXIT_BY_KIND = {TIMEOUT: EXIT_INTERNAL, PLUGIN: EXIT_INTERNAL, INTERNAL: EXIT_INTERNAL, WORKER: EXIT_INTERNAL,
                INPUT: EXIT_USAGE, CONFIG: EXIT_USAGE, OUTPUT: EXIT_USAGE}


@dataclass(frozen=True)
class Problem:
    """Something that went wrong in a run, carried as a value: its ``kind`` (one of the constants
    above), the message a user reads, and what it is about (a rule id, a plugin, a path)."""

    kind: str
    message: str
    subject: str = ""

    @property
    def exit_code(self) -> int:
        return EXIT_BY_KIND.get(self.kind, EXIT_INTERNAL)

    def __str__(self) -> str:
        return self.message


class FazhiError(Exception):
    """Base class: a problem fazhi-lint reports in words, ending the run with ``exit_code``."""

    exit_code = EXIT_USAGE
    kind = CONFIG

    def problem(self, subject: str = "") -> Problem:
        return Problem(self.kind, str(self), subject)


class UsageError(FazhiError):
    """The command line asks for something that cannot be done (a bad option value, no paths)."""


class ConfigError(FazhiError, ValueError):
    """A setting is wrong: a config file key, a command-line value, a pack's ``pack.yaml``, or a
    plugin's data. Plugins raise it (also spelt ``ConfigurationError``) for a mistake in their data
    rather than their code: it is printed as a configuration error (exit 2), not FZ-X01 (exit 3)."""


ConfigurationError = ConfigError      # the name the plugin contract has always documented


class SelectionError(ConfigError):
    """``--select``/``--ignore``/``per-file-ignores`` name a rule id or prefix that no rule has."""


class YamlError(ConfigError):
    """A YAML file could not be read or parsed; ``str()`` is ``file:line: what is wrong``."""


class RuleError(FazhiError):
    """A rule is invalid (unknown or wrongly typed parameter, bad regex, missing field). The loader
    prefixes the message with the rule's ``file:line`` and id and leaves the rule out."""


class SuppressionError(ConfigError):
    """The suppressions file is malformed; ``str()`` is ``file:line: what is wrong``."""


class BaselineError(ConfigError):
    """The baseline file cannot be read; ``str()`` says why."""


class TargetError(ConfigError):
    """A ``--format`` value cannot be used; ``str()`` says why."""


class UnreadableInput(FazhiError):
    """A file cannot be read as a text report (empty, binary, undecodable, too large); the
    message says why. The report gets a Result with ``error`` set; the run exits 2."""

    kind = INPUT


class FixError(FazhiError):
    """``--fix`` cannot write a file back exactly as planned (unsupported format, re-encoding would
    change other bytes, the file changed since it was checked); that file is left untouched."""


class PatternTimeout(FazhiError):
    """A rule pattern ran longer than the regex time limit on one span (finding FZ-X02)."""

    exit_code = EXIT_INTERNAL
    kind = TIMEOUT


class NotApplicable(Exception):
    """Not an error: a checker kind's signal that a rule does not apply to this report (e.g. no
    shortcomings part to look for causes in). The rule is recorded as skipped with the reason."""
