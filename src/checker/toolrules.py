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
    "FZ-X05": ToolRule("FZ-X05", "检查进程异常退出", "error",
                       "检查这个报告的工作进程意外退出（插件调用 os._exit、被系统结束或内存不足）或超时未结束；"
                       "该报告没有结果，其他报告不受影响。", True),
    "FZ-X06": ToolRule("FZ-X06", "编码有损坏，已容错读取", "warning",
                       "文件几乎全是有效的 UTF-8（或 UTF-16），只有少数字节无效或部分行是 GB18030：已容错读取，"
                       "消息说明替换了多少字符、在哪些行。", False),
    "FZ-X07": ToolRule("FZ-X07", "同类问题过多，未逐条列出", "info",
                       "一条规则在一份报告中找到超过 1000 处问题：列出前 1000 处，其余只计数（内存和输出保持有界）。", False),
}
