"""fazhi-lint 深圳市规则包：一个 Python 检查类型（area_coverage）加 YAML 规则（rules/）。"""
from checker import hookimpl
from checker.rules.manifest import pack_from_folder

from .coverage import CoverageKind

__version__ = "0.1.0"


@hookimpl
def fazhi_lint_checker_kinds():
    return [CoverageKind()]


@hookimpl
def fazhi_lint_rule_packs():
    return [pack_from_folder(__file__, "rules")]
