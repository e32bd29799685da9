"""fazhi-lint 深圳市规则包：只有 YAML 规则（rules/），用内置的 coverage 检查类型。"""
from checker import hookimpl
from checker.rules.manifest import pack_from_folder

__version__ = "0.1.0"


@hookimpl
def fazhi_lint_rule_packs():
    return [pack_from_folder(__file__, "rules")]
