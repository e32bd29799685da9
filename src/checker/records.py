"""Small immutable records that cross rooms (document -> engine -> outputs).

Every position in a record is an offset into the *original* decoded text of the file, or a
1-based line/column in it, never an offset into the normalised matching view.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Optional

SEVERITIES = ("info", "warning", "error")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}

# The canonical elements of a report (《督察工作规定》 年度报告内容 items (一)-(四) plus causes).
ELEMENTS = (
    "measures_and_results",
    "shortcomings",
    "causes",
    "first_responsible_person",
    "next_year_plan",
)


@dataclass(frozen=True)
class Position:
    """A 1-based line and column (in characters) in the file as given."""

    line: int
    column: int


@dataclass(frozen=True)
class Finding:
    """One problem a rule found in one report."""

    rule: str
    severity: str
    message: str
    hint: str
    basis: str
    line: int
    column: int
    end_line: int
    end_column: int
    excerpt: str
    suppressed: Optional[str] = None   # reason, when a suppression silenced the finding
    # Where the finding is in the original file when that is not a text file: {"paragraph": 12}
    # for .docx/.doc/.wps, {"page": 3, "line": 14} for .pdf/.ofd, {"line": 80} (source line) for
    # .html. None for plain text, where line/column already point into the file as given.
    location: Optional[dict] = field(default=None, hash=False, compare=False)
    fix: Optional[tuple] = field(default=None, hash=False, compare=False)  # fixing.edits.Edit (--fix)

    def to_json(self) -> dict:
        return {
            "rule": self.rule, "severity": self.severity, "message": self.message,
            "hint": self.hint, "basis": self.basis, "line": self.line, "column": self.column,
            "end_line": self.end_line, "end_column": self.end_column, "excerpt": self.excerpt,
            "location": dict(self.location) if self.location else None,
        }

    def location_label(self, lang: str = "zh") -> str:
        """The location in words (第3页第14行, 第12段, page 3 line 14); "" without a location."""
        return location_label(self.location, lang)


_LABEL_PARTS = (("page", "第{}页", "page {}"), ("paragraph", "第{}段", "paragraph {}"),
                ("line", "第{}行", "line {}"))


def location_label(location: Optional[dict], lang: str = "zh") -> str:
    """第3页第14行 / 第12段 / 第80行 (``lang`` "en": page 3 line 14) for a ``Finding.location``."""
    if not location:
        return ""
    words = [(en if lang == "en" else zh).format(location[key])
             for key, zh, en in _LABEL_PARTS if location.get(key) is not None]
    return (" " if lang == "en" else "").join(words)


@dataclass(frozen=True)
class Fact:
    """A quantified statement read from the report (e.g. 全年开展集体学习12次)."""

    kind: str
    label: str
    count: float
    unit: str
    approx: bool
    line: int
    column: int
    text: str

    def to_json(self) -> dict:
        count = int(self.count) if float(self.count).is_integer() else self.count
        return {"kind": self.kind, "label": self.label, "count": count, "unit": self.unit,
                "approx": self.approx, "line": self.line, "column": self.column, "text": self.text}


class RuleOutcome(NamedTuple):
    """What one rule did to one report: passed, failed (with findings) or skipped (with why).

    A NamedTuple rather than a dataclass: a batch carries one per rule per report between worker
    processes, and tuples pickle several times faster."""

    rule_id: str
    status: str            # "passed" | "failed" | "skipped"
    reason: str = ""       # for skipped: why the rule did not apply
    severity: str = ""     # for failed: the most severe of its findings (a kind may lower it per hit)


@dataclass(frozen=True)
class Result:
    """Everything the engine learned about one report file. A value: a later stage (waivers, a
    comparison, the shown name of a path) returns a new Result with ``dataclasses.replace``."""

    path: str
    error: Optional[str] = None
    score: Optional[float] = None
    meta: dict = field(default_factory=dict)
    elements: dict = field(default_factory=dict)
    findings: tuple = ()
    facts: tuple = ()
    subscores: dict = field(default_factory=dict)     # checklist group -> 0-100 or None
    breakdown: tuple = ()                             # ((what, points lost), ...): why the score is what it is
    outcomes: tuple = ()
    problems: tuple = ()          # errors.Problem: checker/plugin failures and timeouts (FZ-X01/X02/X05)
    # What was checked: "report", or "suppressions" (the suppressions file, whose findings FZ-X03/X04
    # are about its own entries). Only reports are counted, scored, ranked and written to a baseline.
    kind: str = "report"

    @property
    def is_report(self) -> bool:
        return self.kind == "report"

    @property
    def internal_errors(self) -> tuple:
        """The problems that are failures of the tool or a plugin (exit 3)."""
        return tuple(p for p in self.problems if p.exit_code == 3)

    def __reduce__(self):
        # A batch sends every Result from a worker to the parent. The rule outcomes (one per rule)
        # travel as plain tuples: unpickling a NamedTuple runs its Python __new__ once per
        # outcome, which cost the parent about a third of its unpickling time.
        state = dict(self.__dict__)
        state["outcomes"] = tuple(tuple(o) for o in self.outcomes)
        return _rebuild_result, (state,)

    def to_json(self) -> dict:
        return {
            "path": self.path, "error": self.error, "score": self.score,
            # the JSON contract marks the suppressions file by meta.kind, as it always has
            "meta": self.meta if self.is_report else {**self.meta, "kind": self.kind}, "elements": self.elements,
            "findings": [f.to_json() for f in self.findings if f.suppressed is None],
            "facts": [f.to_json() for f in self.facts],
            "subscores": self.subscores,
            "score_breakdown": [{"what": what, "points": round(points, 1)} for what, points in self.breakdown],
        }


def _rebuild_result(state: dict) -> "Result":
    result = Result.__new__(Result)
    make = RuleOutcome._make
    state["outcomes"] = tuple(make(o) for o in state["outcomes"])
    result.__dict__.update(state)
    return result


@dataclass
class RulePack:
    """A named set of YAML rule files; a pack may extend another and disable/override its rules.

    ``override`` maps a rule id to the fields to change, e.g. ``{"FZ-L01": {"params": {"min": 24}}}``;
    ``params`` are merged into the inherited ones, other fields replace. ``origin`` says where the
    pack was declared (its ``pack.yaml``, or the plugin), ``lines`` the ``file:line`` of each
    ``disable``/``override`` entry when known (for ``--list-rules``).
    """

    name: str
    paths: list
    extends: Optional[str] = None
    disable: list = field(default_factory=list)
    override: dict = field(default_factory=dict)
    description: str = ""
    version: str = ""
    origin: str = ""
    lines: dict = field(default_factory=dict)      # rule id -> "file:line" of its disable/override
    plugin: str = ""                                # set by the plugin manager
    # The pack's policy (rules/policy.py: part names, scoring, checklist groups, subject words, fact
    # labels), as its YAML gives it; merged along the chain of packs it extends.
    policy: dict = field(default_factory=dict)
    policy_source: str = ""                         # the file it was read from
