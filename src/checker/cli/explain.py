"""``fazhi-lint rule ID``, ``fazhi-lint rules`` and ``fazhi-lint kinds [KIND]``: what a rule is, which
rules a run would use, what a checker kind accepts. The text comes from ``checker.rules.explain``
(the same source as docs/rules/ and the SARIF rule help); ``check --list-rules`` and ``check
--explain`` are aliases of these.
"""
from __future__ import annotations

import sys

import click

from ..errors import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from .common import err, load_rules, ruleset_options, shown_path
from ..toolrules import INTERNAL_ERROR_RULE


# What each built-in checker kind does, in Chinese (its docstring is the English description; a
# plugin's kind may give its own in a ``summary_zh`` attribute).
KIND_SUMMARIES = {
    "companion": "某部分存在时，其中还须有相伴的要素或说法（如写了不足，就要写原因）",
    "copied_parts": "报告某部分大半是别的报告的文字（不计数字、年份、单位名称和通用提法）：上一年度的本单位报告，或同批次其他单位的报告",
    "count": "数出匹配的次数（或 {N} 取出的数字合计），少于 min 或多于 max 时报告；absent 规定一处也没有时怎么算",
    "coverage": "在范围内逐项查找（名称 → 说法），提到的项目少于 min_covered（默认全部）或数字少于 min_facts 时报告，列出缺了什么",
    "date_deadline": "发布日期（网页字段、落款或 --published）与按报告年度算出的期限比较：deadline 最晚、not_before 最早",
    "density": "每 per_chars 个字中匹配的次数，与 min/max 比较；unless 给出另一组说法，达到它的比例时不报告",
    "element": "报告必须有某项法定内容（有标题或无标题均可）",
    "existence": "forbid：每处匹配都报告；require：范围内必须出现这些说法（任一或全部），否则报告一次",
    "fact_threshold": "把相关事项的数字合计，低于 min 或高于 max 时报告；没有数字时按 unquantified、absent 的规定报告",
    "item_share": "某部分的各条中，至少 min_share 的比例要含有这些说法之一",
    "part_size": "某部分要写得充实：字数、条目数和占全文的比例都不能太少",
    "plan_answers": "每条不足都要在下一年度安排中有对应措施：安排中要出现这条不足的关键词（几条不足共有的词不单独算）",
    "plan_follow_up": "上一年度报告安排的每一项，本年度报告都要说明落实（已完成，或写明结转）",
    "repeated_shortcomings": "上一年度的不足原样重写（不计数字和名称）",
    "stock_items": "某部分（默认“存在的不足”）逐条判断：含具体内容（数字、文件、时间）的为具体，每个分句都是评判套话或引导语的为套话；套话条目超过 max_share 时报告并引出这些条目",
    "substitution": "错误提法与规范提法：每处错误提法都报告，例外情形除外；规则的 fix 使所选替换可以自动修复",
    "year_evidence": "报告年度的各项依据（标题、工作部分、安排、落款、发布日期）互相矛盾时报告一次并列出各项，依赖年度的规则不再各自判断",
    "year_relation": "某部分写的年份（标题或开头）与报告年度要有规定的关系：下一年（Y+1）、同年（Y）或上一年（Y-1）",
}


def kind_summary(kind, lang: str = "zh") -> str:
    """One line saying what a checker kind does (Chinese, or its docstring's first line with ``en``)."""
    english = " ".join(((type(kind).__doc__ or "").strip().split("\n\n") or [""])[0].split())
    if lang == "en":
        return english
    return getattr(kind, "summary_zh", None) or KIND_SUMMARIES.get(kind.name) or english


def print_rules(ruleset) -> None:
    """The effective rule set, one rule a line: id, severity (错误/警告/提示), kind, pack, file:line, origin, title."""
    from ..rules.explain import SEVERITY_ZH

    click.echo(f"# 规则包 {ruleset.pack}（{' → '.join(ruleset.chain) or '无'}），共 {len(ruleset.rules)} 条规则")
    for rule in ruleset.rules:
        prov = ruleset.provenance.get(rule.id)
        pack, source, label = (prov.pack, prov.source, prov.label(shown_path)) if prov else (rule.pack, rule.source, "")
        click.echo("\t".join([rule.id, SEVERITY_ZH.get(rule.severity, rule.severity), rule.check, pack, shown_path(source),
                               label or "-", rule.title]))
    for rule_id, pack, where in ruleset.disabled:
        click.echo(f"# 已停用 {rule_id}（规则包 {pack}，{shown_path(where)}）")
    for failure in ruleset.plugin_failures:
        click.echo(f"# {INTERNAL_ERROR_RULE} {failure}")


def explain_name(ruleset, name: str):
    """Print the explanation of a rule id or a checker kind name; EXIT_USAGE when neither exists."""
    from ..rules.explain import kind_text, rule_text
    from ..rules.selection import closest

    rule = ruleset.by_id(name)
    if rule is not None:
        from ..engine.scoring import policy_of

        click.echo(rule_text(rule, shown_path(rule.source), policy_of(ruleset)), nl=False)
        return None
    kind = ruleset.kinds.get(name)
    if kind is not None:
        click.echo(kind_text(kind, kind_summary(kind)), nl=False)
        return None
    near = closest(name, [r.id for r in ruleset.rules] + list(ruleset.kinds))
    err(f"没有规则或检查类型 {name}" + (f"；最接近的是：{', '.join(near)}" if near else ""))
    return EXIT_USAGE


def _status(plugins, ruleset) -> int:
    """Exit code of a listing: 3 when a plugin failed (its rules may be missing from the list),
    2 for configuration problems, else 0."""
    for problem in [*plugins.errors, *ruleset.errors]:
        err(problem)
    if plugins.failures or getattr(ruleset, "plugin_failures", ()):
        return EXIT_INTERNAL
    return EXIT_USAGE if plugins.errors or ruleset.errors else EXIT_OK


@click.command("rule")
@click.argument("rule_id")
@ruleset_options
def rule_command(rule_id, plugin_modules, province, rules_paths):
    """解释一条规则：说明、依据、参数和样例（检查类型名也可以）。"""
    plugins, ruleset = load_rules(plugin_modules, province, rules_paths)
    status = _status(plugins, ruleset)
    sys.exit(explain_name(ruleset, rule_id) or status)


@click.command("rules")
@ruleset_options
def rules_command(plugin_modules, province, rules_paths):
    """列出生效的规则：编号、级别、检查类型、规则包、定义位置、继承/覆盖、名称。"""
    plugins, ruleset = load_rules(plugin_modules, province, rules_paths)
    status = _status(plugins, ruleset)
    print_rules(ruleset)
    sys.exit(status)


@click.command("kinds")
@click.argument("name", required=False)
@click.option("--plugin", "plugin_modules", multiple=True, help="同时加载插件模块（如 mypkg.plugin）")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="说明的语言")
def kinds_command(name, plugin_modules, lang):
    """列出检查类型；给出名称时显示它的参数（类型、默认值、可选值、说明）。"""
    from ..plugins import build_plugins
    from ..rules.explain import kind_text

    plugins = build_plugins(plugin_modules)
    kinds = plugins.kinds()
    if name is None:
        for kind in sorted(kinds.values(), key=lambda k: k.name):
            click.echo(f"{kind.name}\t{kind.plugin_name}\t{kind_summary(kind, lang)}")
        sys.exit(EXIT_OK)
    if name not in kinds:
        from ..rules.selection import closest

        near = closest(name, list(kinds))
        err(f"没有检查类型 {name}" + (f"；最接近的是：{', '.join(near)}" if near else f"；可用：{', '.join(sorted(kinds))}"))
        sys.exit(EXIT_USAGE)
    click.echo(kind_text(kinds[name], None if lang == "en" else kind_summary(kinds[name])), nl=False)
    sys.exit(EXIT_OK)


COMMANDS = [rule_command, rules_command, kinds_command]
