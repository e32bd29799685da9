"""The reviewer's desk: what an office needs from one batch run, worked out once for every
human-facing output (grouped text, HTML, workbook, feedback letters).

- ``ranking``: one row per report, best score first (unreadable reports last, without a rank);
- ``matrix``: which statutory part each report has (✓) or misses (✗);
- ``frequent_problems``: the rules that fired on the most reports;
- ``part_of``: the statutory part a finding belongs to, so a letter can group its fixes.

Every field of a record is read defensively (``getattr``/``dict.get``): other outputs and packs add
fields (a finding's ``location`` in a .docx/.pdf, a structured ``basis``, ``meta.subject``) and an
older record without them must still render.
"""
from __future__ import annotations

import os
from collections import Counter

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_ORDER = ("error", "warning", "info")

# The statutory parts of an annual report (《法治政府建设与责任落实督察工作规定》 年度报告内容 items
# (一)-(四); the causes are asked for together with the shortcomings).
PARTS = (
    ("measures_and_results", "主要举措和成效"),
    ("shortcomings", "存在的不足"),
    ("causes", "不足的原因"),
    ("first_responsible_person", "第一责任人履职"),
    ("next_year_plan", "下一年度安排"),
)
PART_LABEL = dict(PARTS)
GENERAL_PART = ("general", "标题、用语与公开")

SUBJECT_ZH = {"government": "政府", "department": "部门", "town": "乡镇（街道）", "zone": "开发区（园区）"}


def severity_word(severity: str, lang: str = "zh") -> str:
    return severity if lang == "en" else SEVERITY_ZH.get(severity, severity)


def shown_findings(result) -> list:
    return [f for f in result.findings if getattr(f, "suppressed", None) is None]


def file_label(result) -> str:
    """The file's own name (never the folder it sits in on the checking machine)."""
    return os.path.basename(result.path or "") or "报告"


def unit_name(result) -> str:
    meta = result.meta or {}
    return meta.get("unit") or meta.get("title") or file_label(result)


def level_of(result) -> str:
    subject = (result.meta or {}).get("subject")
    if isinstance(subject, dict):
        subject = subject.get("kind") or subject.get("name")
    return SUBJECT_ZH.get(subject, subject or "")


def location_words(finding) -> str:
    """第12段 / 第3页第14行 when the reader gave a location, else 第N行 of the text file."""
    from ..records import location_label

    return location_label(getattr(finding, "location", None)) or f"第{finding.line}行"


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


def ranking(results) -> list:
    """Rows ``rank, unit, level, year, score, errors, warnings, infos, file, error``; ties share a rank."""
    rows = []
    for result in results:
        if not result.is_report:          # the suppressions file
            continue
        c = counts(result)
        rows.append({"unit": unit_name(result), "level": level_of(result),
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


def matrix(results) -> list:
    """Rows ``unit, file, parts {key: bool}, missing [labels]`` for every readable report."""
    rows = []
    for result in results:
        if result.error or not result.is_report:
            continue
        elements = result.elements or {}
        parts = {key: bool(elements.get(key)) for key, _ in PARTS}
        rows.append({"unit": unit_name(result), "file": file_label(result), "path": result.path, "parts": parts,
                     "missing": [label for key, label in PARTS if not parts[key]]})
    return rows


def frequent_problems(results, ruleset=None, limit: int = 10) -> list:
    """Rules that fired on the most reports: ``rule, title, severity, reports, findings``."""
    reports, findings, severity = Counter(), Counter(), {}
    for result in results:
        seen = set()
        for f in shown_findings(result):
            findings[f.rule] += 1
            if f.rule not in seen:
                reports[f.rule] += 1
                seen.add(f.rule)
            if f.rule not in severity or SEVERITY_ORDER.index(f.severity) < SEVERITY_ORDER.index(severity[f.rule]):
                severity[f.rule] = f.severity
    order = sorted(reports, key=lambda rid: (-reports[rid], SEVERITY_ORDER.index(severity[rid]), -findings[rid], rid))[:limit]
    rules = rule_index(ruleset)
    return [{"rule": rid, "title": rule_title(rules, rid), "severity": severity[rid],
             "reports": reports[rid], "findings": findings[rid]} for rid in order]


def rule_index(ruleset) -> dict:
    """{rule id: rule} of a rule set; a dictionary given is returned as it is. Outputs ask once per
    finding: a caller looping over findings builds this once and passes it instead of the rule set."""
    if isinstance(ruleset, dict):
        return ruleset
    return {r.id: r for r in getattr(ruleset, "rules", None) or ()}


def rule_title(ruleset, rule_id: str) -> str:
    """The rule's title (``ruleset``: a rule set or its :func:`rule_index`)."""
    rule = rule_index(ruleset).get(rule_id)
    if rule is not None:
        return rule.title
    from ..toolrules import TOOL_RULES

    tool = TOOL_RULES.get(rule_id)
    return tool.title if tool else ""


def part_of(finding, ruleset=None) -> str:
    """The statutory part a finding is about: the rule's ``element`` parameter, else its checklist group
    (``ruleset``: a rule set or its :func:`rule_index`)."""
    rule = rule_index(ruleset).get(finding.rule)
    if rule is not None:
        element = (rule.params or {}).get("element")
        if element in PART_LABEL:
            return element
        if rule.check == "companion":
            return "causes"
        from ..engine.scoring import group_of, policy_of

        policy = policy_of(ruleset)       # the pack's checklist groups say which part a group is about
        group = policy.group(group_of(rule, policy))
        return group.part if group is not None and group.part in PART_LABEL else GENERAL_PART[0]
    return GENERAL_PART[0]


def findings_by_part(result, ruleset=None, min_rank: int = 0) -> list:
    """``[(part key, label, [findings])]`` in the order of the report's parts, general last."""
    from ..records import SEVERITY_RANK

    groups, rules = {}, rule_index(ruleset)
    for f in shown_findings(result):
        if SEVERITY_RANK.get(f.severity, 0) >= min_rank:
            groups.setdefault(part_of(f, rules), []).append(f)
    order = [*PARTS, GENERAL_PART]
    return [(key, label, sorted(groups[key], key=lambda f: (f.line, f.column))) for key, label in order if key in groups]


def score_distribution(results) -> list:
    """``[(band label, count)]`` for bands 90-100, 80-89, 70-79, 60-69, below 60."""
    bands = [("90–100", 90, 101), ("80–89", 80, 90), ("70–79", 70, 80), ("60–69", 60, 70), ("60以下", -1, 60)]
    scores = [r.score for r in results if r.score is not None and not r.error]
    return [(label, sum(1 for s in scores if low <= s < high)) for label, low, high in bands]
