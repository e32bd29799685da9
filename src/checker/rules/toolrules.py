"""The findings fazhi-lint itself reports (FZ-X…), which are not rules of any pack.

Outputs use this table to name them (JUnit testcase names, SARIF rule descriptors).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ToolRule:
    id: str
    title: str
    severity: str
    description: str
    is_error: bool          # True: a failure of the tool (JUnit <error>), False: a finding (JUnit <failure>)


TOOL_RULES = {
    "FZ-X01": ToolRule("FZ-X01", "检查出错", "error",
                       "某个检查类型（插件）在一条规则上抛出异常；其他规则的结果不受影响。", True),
    "FZ-X02": ToolRule("FZ-X02", "正则表达式超时", "error",
                       "某条规则的正则表达式运行超时，该规则被跳过。", True),
    "FZ-X03": ToolRule("FZ-X03", "抑制条目已过期", "warning",
                       "fazhi-lint-suppressions.yaml 中的条目已过有效期，它原先豁免的问题重新报告；请续期（重新审批）或删除。", False),
    "FZ-X04": ToolRule("FZ-X04", "抑制条目未被使用", "warning",
                       "fazhi-lint-suppressions.yaml 中的条目在本次检查的报告里没有匹配到任何问题（文字已改或问题已修正）；请删除。", False),
}
