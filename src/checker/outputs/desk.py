"""The reviewer's desk: what an office needs from one batch run, worked out once for every
human-facing output (grouped text, HTML, workbook, feedback letters).

- ``ranking``: one row per report, best score first (unreadable reports last, without a rank); a
  file that is not an annual report (a cover letter, a notice) is not ranked: ``not_checked`` lists
  it with its reason, beside the files the run skipped;
- ``matrix``: which statutory part each report has (✓) or misses (✗);
- ``frequent_problems``: the rules whose errors and warnings reached the most reports;
- ``part_of``: the statutory part a finding belongs to, so a letter can group its fixes;
- ``in_review_order``: a report's findings as an office reads them: errors, then warnings, then
  hints, each in the order of the text; ``folded`` keeps the hints out of an office view (one line
  "另有 N 条提示") unless the run asked for them (``--min-severity info``).

The statutory parts' names are the rule pack's (its policy's ``parts``); words an output shows
(severities, who reports, "unit not identified") come in Chinese or, with ``--lang en``, English.
Every field of a record is read defensively (``getattr``/``dict.get``): other outputs and packs add
fields (a finding's ``location`` in a .docx/.pdf, a structured ``basis``, ``meta.subject``) and an
older record without them must still render.
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass

SEVERITY_ORDER = ("error", "warning", "info")
WORDS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示", "unknown_unit": "单位未识别",
           "general": "标题、用语与公开", "government": "政府", "department": "部门", "town": "乡镇（街道）",
           "zone": "开发区（园区）", "other": "其他", "report": "报告", "below_60": "60以下"},
    "en": {"error": "error", "warning": "warning", "info": "info", "unknown_unit": "unit not identified",
           "general": "title, wording and publication", "government": "government", "department": "department",
           "town": "town or street", "zone": "development zone", "other": "other", "report": "report",
           "below_60": "below 60"},
}
SEVERITY_ZH = {s: WORDS["zh"][s] for s in SEVERITY_ORDER}
UNKNOWN_UNIT = WORDS["zh"]["unknown_unit"]
NOT_A_REPORT_KIND = "not_report"       # document.kinds.NOT_A_REPORT: a cover letter, a notice, a scan


def word(key: str, lang: str = "zh") -> str:
    return WORDS["en" if lang == "en" else "zh"].get(key, key)


def severity_word(severity: str, lang: str = "zh") -> str:
    return word(severity, lang)


@dataclass(frozen=True)
class Rules:
    """A rule set as the outputs read it: its rules by id and its pack's policy (the parts' names,
    the checklist groups). Built once per output (``rules_of``), then passed along."""

    by_id: dict
    policy: object

    def get(self, rule_id):
        return self.by_id.get(rule_id)


def rules_of(ruleset) -> Rules:
    """The :class:`Rules` of a rule set (or of a {id: rule} dictionary; a Rules is returned as it is)."""
    if isinstance(ruleset, Rules):
        return ruleset
    from ..engine.scoring import policy_of

    if isinstance(ruleset, dict):
        return Rules(dict(ruleset), policy_of(None))
    return Rules({r.id: r for r in getattr(ruleset, "rules", None) or ()}, policy_of(ruleset))


rule_index = rules_of             # the older name


def parts_of(ruleset=None, lang: str = "zh") -> tuple:
    """``((element, name), ...)``: the statutory parts, in the regulation's order, named as the rule
    pack names them (``policy.parts``)."""
    policy = rules_of(ruleset).policy
    return tuple((p.element, policy.part_name(p.element, lang)) for p in policy.parts)


def general_part(lang: str = "zh") -> tuple:
    return ("general", word("general", lang))


def part_label(key: str, ruleset=None, lang: str = "zh") -> str:
    return dict(parts_of(ruleset, lang)).get(key) or word("general", lang)


def shown_findings(result) -> list:
    return [f for f in result.findings if getattr(f, "suppressed", None) is None]


def _rank(finding) -> int:
    return SEVERITY_ORDER.index(finding.severity) if finding.severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


def in_review_order(findings) -> list:
    """Errors first, then warnings, then hints; each in the order of the text."""
    return sorted(findings, key=lambda f: (_rank(f), f.line, f.column, f.rule))


def folded(findings, show_info: bool) -> tuple:
    """(findings shown, number of hints folded): the hints stay out of an office view unless asked for."""
    if show_info:
        return list(findings), 0
    shown = [f for f in findings if f.severity != "info"]
    return shown, len(findings) - len(shown)


def shows_info(context) -> bool:
    """Does this run list the hints in office views? Only when ``--min-severity info`` was given."""
    return (context or {}).get("min_severity") == "info"


def file_label(result) -> str:
    """The file's own name (never the folder it sits in on the checking machine)."""
    return os.path.basename(result.path or "") or "报告"


def unit_name(result, lang: str = "zh") -> str:
    """The unit the report names; ``单位未识别`` when none was found (never the title or a file name)."""
    return (result.meta or {}).get("unit") or word("unknown_unit", lang)


def has_unit(result) -> bool:
    return bool((result.meta or {}).get("unit"))


def level_of(result, lang: str = "zh") -> str:
    subject = (result.meta or {}).get("subject")
    if isinstance(subject, dict):
        subject = subject.get("kind") or subject.get("name")
    return word(subject, lang) if subject else ""


def is_not_a_report(result) -> bool:
    return getattr(result, "kind", "report") == NOT_A_REPORT_KIND


def location_words(finding, lang: str = "zh") -> str:
    """第12段 / 第3页第14行 when the reader gave a location, else 第N行 of the text file."""
    from ..records import location_label

    return location_label(getattr(finding, "location", None), lang) or (
        f"line {finding.line}" if lang == "en" else f"第{finding.line}行")


def basis_text(basis) -> str:
    """A rule's legal basis as one line, whether it is a string or structured data."""
    if basis is None:
        return ""
    if isinstance(basis, str):
        return basis
    if isinstance(basis, dict):
        for key in ("text", "citation", "title"):
            if basis.get(key):
                return str(basis[key]) + (f"{basis['article']}" if basis.get("article") and key == "title" else "")
        return "；".join(str(v) for v in basis.values() if v)
    if isinstance(basis, (list, tuple)):
        return "；".join(basis_text(b) for b in basis if b)
    return str(basis)


def counts(result) -> Counter:
    return Counter(f.severity for f in shown_findings(result))


def ranking(results, lang: str = "zh") -> list:
    """Rows ``rank, unit, level, year, score, errors, warnings, infos, file, error``; ties share a rank.
    Only annual reports: a file that is not one is in ``not_checked``."""
    rows = []
    for result in results:
        if not result.is_report:          # the suppressions file; a cover letter, a notice
            continue
        c = counts(result)
        rows.append({"unit": unit_name(result, lang), "known_unit": has_unit(result), "level": level_of(result, lang),
                     "year": (result.meta or {}).get("report_year"), "score": result.score,
                     "errors": c["error"], "warnings": c["warning"], "infos": c["info"],
                     "file": file_label(result), "path": result.path, "error": result.error, "rank": None})
    scored = sorted((r for r in rows if r["score"] is not None), key=lambda r: (-r["score"], r["errors"], r["unit"]))
    previous, rank = None, 0
    for position, row in enumerate(scored, 1):
        if row["score"] != previous:
            rank, previous = position, row["score"]
        row["rank"] = rank
    return scored + [r for r in rows if r["score"] is None]


def not_checked(results, skipped=()) -> list:
    """``[(path, reason)]`` of the files the run did not check as reports: those that are not an
    annual report (a cover letter, a notice, a header-only scan), then those it skipped."""
    out = [(r.path, r.error or "") for r in results if is_not_a_report(r)]
    return out + [(path, reason) for path, reason in skipped]


def part_presence(elements, ruleset=None) -> dict:
    """{part: present?} for a report's ``Result.elements``, as the score reads them
    (``engine.scoring.missing_parts``: a first-responsible-person part recorded as "none", the report
    saying nothing of the duty, is missing though the word is not empty); a report with no elements
    recorded misses every part. The one reading of the parts for every desk output, batch or served."""
    from ..engine.scoring import missing_parts as missing_elements

    missing = set(missing_elements(elements or {"_": None}))
    return {key: key not in missing for key, _ in parts_of(ruleset)}


def matrix(results, ruleset=None, lang: str = "zh") -> list:
    """Rows ``unit, file, parts {key: bool}, missing [labels]`` for every readable report."""
    rows, parts = [], parts_of(ruleset, lang)
    for result in results:
        if result.error or not result.is_report:
            continue
        present = part_presence(result.elements, ruleset)
        rows.append({"unit": unit_name(result, lang), "file": file_label(result), "path": result.path, "parts": present,
                     "missing": [label for key, label in parts if not present[key]]})
    return rows


def missing_parts(result, ruleset=None, lang: str = "zh") -> list:
    """The names of the statutory parts the report lacks (:func:`part_presence`), in the regulation's order."""
    present = part_presence(result.elements, ruleset)
    return [label for key, label in parts_of(ruleset, lang) if not present[key]]


def frequent_problems(results, ruleset=None, limit: int = 10, lang: str = "zh") -> list:
    """The rules whose errors and warnings reached the most reports: ``rule, title, severity, reports,
    findings``. Hints are not counted: a hint every report gets is not a problem of the batch."""
    reports, findings, severity = Counter(), Counter(), {}
    for result in results:
        if not result.is_report:
            continue
        seen = set()
        for f in shown_findings(result):
            if f.severity == "info":
                continue
            findings[f.rule] += 1
            if f.rule not in seen:
                reports[f.rule] += 1
                seen.add(f.rule)
            if f.rule not in severity or _rank(f) < SEVERITY_ORDER.index(severity[f.rule]):
                severity[f.rule] = f.severity
    order = sorted(reports, key=lambda rid: (-reports[rid], SEVERITY_ORDER.index(severity[rid]), -findings[rid], rid))[:limit]
    rules = rules_of(ruleset)
    return [{"rule": rid, "title": rule_title(rules, rid, lang), "severity": severity[rid],
             "reports": reports[rid], "findings": findings[rid]} for rid in order]


def rule_title(ruleset, rule_id: str, lang: str = "zh") -> str:
    """The rule's title (``ruleset``: a rule set or its :func:`rules_of`)."""
    rule = rules_of(ruleset).get(rule_id)
    if rule is not None:
        return (rule.title_en or rule.title) if lang == "en" else rule.title
    from ..toolrules import TOOL_RULES

    tool = TOOL_RULES.get(rule_id)
    return tool.title if tool else ""


def part_of(finding, ruleset=None) -> str:
    """The statutory part a finding is about: the rule's ``element`` parameter, else its checklist
    group's part in the pack's policy (``ruleset``: a rule set or its :func:`rules_of`)."""
    rules = rules_of(ruleset)
    rule = rules.get(finding.rule)
    if rule is None:
        return "general"
    known = {p.element for p in rules.policy.parts}
    element = (rule.params or {}).get("element")
    if element in known:
        return element
    if rule.check == "companion":
        return "causes"
    from ..engine.scoring import group_of

    group = rules.policy.group(group_of(rule, rules.policy))
    return group.part if group is not None and group.part in known else "general"


def findings_by_part(result, ruleset=None, min_rank: int = 0, lang: str = "zh") -> list:
    """``[(part key, label, [findings])]`` in the order of the report's parts, general last; in each
    part errors first, then warnings, then hints, each in the order of the text."""
    from ..records import SEVERITY_RANK

    groups, rules = {}, rules_of(ruleset)
    for f in shown_findings(result):
        if SEVERITY_RANK.get(f.severity, 0) >= min_rank:
            groups.setdefault(part_of(f, rules), []).append(f)
    order = [*parts_of(rules, lang), general_part(lang)]
    return [(key, label, in_review_order(groups[key])) for key, label in order if key in groups]


def score_distribution(results, lang: str = "zh") -> list:
    """``[(band label, count)]`` for bands 90-100, 80-89, 70-79, 60-69, below 60."""
    bands = [("90–100", 90, 101), ("80–89", 80, 90), ("70–79", 70, 80), ("60–69", 60, 70), (word("below_60", lang), -1, 60)]
    scores = [r.score for r in results if r.score is not None and not r.error and r.is_report]
    return [(label, sum(1 for s in scores if low <= s < high)) for label, low, high in bands]
