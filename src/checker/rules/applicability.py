"""Whether a rule applies to a report: who reports (``applies_to``) and when (``valid_from``/``valid_until``).

Several duties bind only some reporting subjects (述法 and the training classes bind county-level-
and-above governments; a town attends, it does not organise), and some requirements exist only
from a date (习近平法治思想 from November 2020). A rule says so in its YAML, a province pack may
override it, and a rule that does not apply is *skipped* (JUnit shows it as skipped; the score
leaves it out), never passed or failed.
"""
from __future__ import annotations

from ..errors import RuleError
from ..helpers.eras import parse_era  # noqa: F401  (re-exported: the rule loader reads eras here)
from ..records import SEVERITIES

# Reporting subjects, in the order a reviewer thinks of them.
SUBJECTS = {
    "government": "县级以上人民政府",
    "department": "政府部门",
    "town": "乡镇人民政府、街道办事处",
    "zone": "开发区、园区管理机构",
    "other": "其他单位",
}
SKIP = "skip"


def parse_applies_to(value, rule_severity: str) -> dict:
    """``[government, department]`` (listed subjects at the rule's severity) or
    ``{government: error, town: info, zone: skip}`` -> {subject: severity or "skip"} for every subject."""
    if value is None:
        return {}
    if isinstance(value, list):
        value = {name: rule_severity for name in value}
    if not isinstance(value, dict) or not value:
        raise RuleError("applies_to 必须是主体列表或 {主体: 级别} 映射")
    unknown = [str(k) for k in value if k not in SUBJECTS]
    if unknown:
        raise RuleError(f"applies_to 中未知的主体：{', '.join(unknown)}；可用：{', '.join(SUBJECTS)}")
    for name, severity in value.items():
        if severity not in SEVERITIES and severity != SKIP:
            raise RuleError(f"applies_to.{name} 必须是 error、warning、info 或 skip，而不是 {severity!r}")
    return {name: value.get(name, SKIP) for name in SUBJECTS}


def applicability(rule, subject, year):
    """(severity for this report, None) when the rule applies, else (None, why it is skipped).

    ``subject`` None (unknown) applies the rule at its own severity; ``year`` None leaves the era open.
    A report year applies when it overlaps the rule's validity: a 2020 report (work up to
    2020-12-31) is judged by a rule valid from 2020-11."""
    if year is not None:
        if rule.valid_from and f"{year}-12-31" < rule.valid_from:
            return None, f"{year}年度不适用（自{_shown(rule.valid_from)}起适用）"
        if rule.valid_until and f"{year}-01-01" > rule.valid_until:
            return None, f"{year}年度不适用（适用至{_shown(rule.valid_until)}）"
    if not rule.applies_to or subject is None:
        return rule.severity, None
    severity = rule.applies_to.get(subject, SKIP)
    if severity == SKIP:
        return None, f"不适用于报告主体“{SUBJECTS.get(subject, subject)}”"
    return severity, None


def _shown(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月" + (f"{int(d)}日" if d != "01" else "")
