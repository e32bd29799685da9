"""``--statistics``: how many findings each rule produced in this run (most frequent first)."""
from __future__ import annotations

from collections import Counter

from ..toolrules import TOOL_RULES


def render_statistics(results, ruleset) -> str:
    active, waived = Counter(), Counter()
    for result in results:
        for f in result.findings:
            (waived if f.suppressed is not None else active)[f.rule] += 1
    severities = {r.id: (r.severity, r.title) for r in ruleset.rules}
    severities.update({k: (v.severity, v.title) for k, v in TOOL_RULES.items()})
    rows = sorted(set(active) | set(waived), key=lambda rid: (-active[rid], rid))
    lines = ["# 按规则统计（条数  规则  级别  名称）"]
    for rule_id in rows:
        severity, title = severities.get(rule_id, ("?", ""))
        line = f"{active[rule_id]:>5}  {rule_id:<8}  {severity:<7}  {title}"
        if waived[rule_id]:
            line += f"（另有 {waived[rule_id]} 条已豁免）"
        lines.append(line)
    lines.append(f"{sum(active.values()):>5}  合计")
    return "\n".join(lines) + "\n"
