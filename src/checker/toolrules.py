"""The findings fazhi-lint itself reports (FZ-X…), which are not rules of any pack, and the limits
every room shares: each is defined here once.

Outputs use ``TOOL_RULES`` to name them (JUnit testcase names, SARIF rule descriptors); the engine,
the batch and the waivers use the ids below rather than writing them out.
"""
from __future__ import annotations

from dataclasses import dataclass

INTERNAL_ERROR_RULE = "FZ-X01"     # a checker kind or plugin raised
TIMEOUT_RULE = "FZ-X02"            # a rule (or reading a report) ran out of time
EXPIRED_RULE = "FZ-X03"            # a suppression entry past its expiry
UNUSED_RULE = "FZ-X04"             # a suppression entry that matched nothing
WORKER_DIED_RULE = "FZ-X05"        # the process checking a report died
DECODE_RULE = "FZ-X06"             # the file was read leniently (damaged bytes)
CAPPED_RULE = "FZ-X07"             # a rule found more problems than are listed

MAX_BYTES = 64 * 1024 * 1024       # default largest file read (--max-size), in bytes
MAX_FINDINGS_PER_RULE = 1000       # findings listed per rule and report; the rest counted in FZ-X07


@dataclass(frozen=True)
class ToolRule:
    id: str
    title: str
    severity: str
    description: str
    is_error: bool          # True: a failure of the tool (JUnit <error>), False: a finding (JUnit <failure>)


TOOL_RULES = {
    INTERNAL_ERROR_RULE: ToolRule(INTERNAL_ERROR_RULE, "检查出错", "error",
                                  "某个检查类型（插件）在一条规则上抛出异常；其他规则的结果不受影响。", True),
    TIMEOUT_RULE: ToolRule(TIMEOUT_RULE, "运行超时", "error",
                           "某条规则（或读取整理某个报告）超过时间上限，该规则（或该报告）被跳过。", True),
    EXPIRED_RULE: ToolRule(EXPIRED_RULE, "抑制条目已过期", "warning",
                           "fazhi-lint-suppressions.yaml 中的条目已过有效期，它原先豁免的问题重新报告；请续期（重新审批）或删除。", False),
    UNUSED_RULE: ToolRule(UNUSED_RULE, "抑制条目未被使用", "warning",
                          "fazhi-lint-suppressions.yaml 中的条目在本次检查的报告里没有匹配到任何问题（文字已改或问题已修正）；请删除。", False),
    WORKER_DIED_RULE: ToolRule(WORKER_DIED_RULE, "检查进程异常退出", "error",
                               "检查这个报告的工作进程意外退出（插件调用 os._exit、被系统结束或内存不足）或超时未结束；"
                               "该报告没有结果，其他报告不受影响。", True),
    DECODE_RULE: ToolRule(DECODE_RULE, "编码有损坏，已容错读取", "warning",
                          "文件几乎全是有效的 UTF-8（或 UTF-16），只有少数字节无效或部分行是 GB18030：已容错读取，"
                          "消息说明替换了多少字符、在哪些行。", False),
    CAPPED_RULE: ToolRule(CAPPED_RULE, "同类问题过多，未逐条列出", "info",
                          f"一条规则在一份报告中找到超过 {MAX_FINDINGS_PER_RULE} 处问题：列出前 {MAX_FINDINGS_PER_RULE} 处，"
                          "其余只计数（内存和输出保持有界）。", False),
}
