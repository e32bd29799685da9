"""A test plugin whose checker kind raises on reports containing 触发崩溃 (for exit code 3)."""
from checker import hookimpl
from checker.checks.base import Hit


class CrashingKind:
    name = "crashing"
    params = {}

    def prepare(self, rule):
        return None

    def check(self, doc, rule, state):
        if "触发崩溃" in doc.text:
            raise RuntimeError("boom")
        return [Hit(values={})] if "示例触发" in doc.text else []


@hookimpl
def fazhi_lint_checker_kinds():
    return [CrashingKind()]
