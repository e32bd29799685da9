"""A deliberately broken plugin for the tests: it raises in a hook and in a checker kind."""
from checker import hookimpl


class ExplodingKind:
    """Raises on every report."""

    name = "exploding"
    params = {}

    def prepare(self, rule):
        return None

    def check(self, doc, rule, state):
        raise RuntimeError("boom in check")


@hookimpl
def fazhi_lint_rule_packs():
    raise ValueError("boom in rule_packs")


@hookimpl
def fazhi_lint_checker_kinds():
    return [ExplodingKind()]
