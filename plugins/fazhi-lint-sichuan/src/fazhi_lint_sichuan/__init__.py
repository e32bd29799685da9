"""fazhi-lint 四川省规则包：规则全部在 rules/（YAML），本模块只声明规则包。"""
from checker import hookimpl
from checker.rules.manifest import pack_from_folder

__version__ = "0.1.0"


@hookimpl
def fazhi_lint_rule_packs():
    return [pack_from_folder(__file__, "rules")]
