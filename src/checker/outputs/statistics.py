"""``--statistics``: how many findings each rule produced in this run (most frequent first).

The level column is the severity of the findings actually reported, not the rule's declared one: a
warning rule whose kind reports a weaker case at info level (FZ-L01 "not mentioned") is counted
as 提示; a rule that reported at two levels shows both with their counts.
"""
from __future__ import annotations

from collections import Counter

from ..toolrules import TOOL_RULES
from .desk import SEVERITY_ORDER, severity_word


def render_statistics(results, ruleset, lang: str = "zh") -> str:
    active, waived, levels = Counter(), Counter(), {}
    for result in results:
        for f in result.findings:
            if f.suppressed is not None:
                waived[f.rule] += 1
                continue
            active[f.rule] += 1
            levels.setdefault(f.rule, Counter())[f.severity] += 1
    titles = {r.id: r.title for r in ruleset.rules}
    titles.update({k: v.title for k, v in TOOL_RULES.items()})
    rows = sorted(set(active) | set(waived), key=lambda rid: (-active[rid], rid))
    lines = ["# 按规则统计（条数  规则  级别  名称）" if lang != "en" else "# per rule (count  rule  level  title)"]
    for rule_id in rows:
        seen = levels.get(rule_id, Counter())
        words = [severity_word(s, lang) for s in SEVERITY_ORDER if seen[s]]
        if len(words) > 1:
            words = [f"{severity_word(s, lang)}{seen[s]}" for s in SEVERITY_ORDER if seen[s]]
        level = "/".join(words) or "-"
        line = f"{active[rule_id]:>5}  {rule_id:<8}  {level:<6}  {titles.get(rule_id, '')}"
        if waived[rule_id]:
            line += f"（另有 {waived[rule_id]} 条已豁免）"
        lines.append(line)
    lines.append(f"{sum(active.values()):>5}  合计")
    return "\n".join(lines) + "\n"
