"""The one explanation of a rule and of a checker kind, rendered as terminal text or Markdown.

``fazhi-lint rule ID`` (and ``--explain ID``) prints :func:`rule_text`, ``docs/rules/ID.md`` is
:func:`rule_markdown`, and the SARIF rule descriptor's help is :func:`rule_help` /
:func:`rule_markdown` without the examples: the same sections in the same order everywhere, so a
change to what a rule's explanation says is made once, here.
"""
from __future__ import annotations

import os

import yaml

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def relative_source(source: str) -> str:
    """``file:line`` with the file relative to the repository (or its bare name when outside)."""
    path, _, line = source.rpartition(":")
    rel = os.path.relpath(path, REPO_ROOT) if os.path.isabs(path) else path
    return f"{rel}:{line}" if not rel.startswith("..") else f"{os.path.basename(path)}:{line}"


def rule_sections(rule) -> list:
    """(heading, body) pairs, in display order; a body is plain text."""
    sections = [("检查什么", rule.message)]
    if rule.rationale:
        sections.append(("为什么", rule.rationale.strip()))
    sections += [("依据", rule.basis), ("怎么改", rule.hint)]
    return sections


def rule_settings(rule) -> str:
    """The rule's ``when`` and ``params`` as YAML ('' when it has neither)."""
    body = {}
    if rule.when:
        body["when"] = rule.when
    if rule.params:
        body["params"] = dict(rule.params)
    if not body:
        return ""
    return yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None).rstrip()


def _example_note(example) -> str:
    extra = []
    if example.year:
        extra.append(f"报告年度 {example.year}")
    if example.published:
        extra.append(f"发布日期 {example.published}")
    return f"（{'，'.join(extra)}）" if extra else ""


EXAMPLE_GROUPS = (("应当触发的样例", "examples_fire"), ("不应触发的样例", "examples_pass"))


def _companions(example) -> list:
    """(label, text) of the reports a comparing rule's example is read against."""
    out = [("上一年度报告", example.previous)] if example.previous else []
    return out + [(f"同批次报告 {i + 1}", text) for i, text in enumerate(example.peers)]


# Where a rule looks, in words (``checks.base.SCOPES``); a statutory part is named as its pack names it.
SCOPE_ZH = {"report": "正文", "body": "正文", "all": "全文（含网页栏目信息）", "title": "标题",
            "chrome": "网页栏目信息", "headings": "各部分标题", "preamble": "开头（第一部分之前）",
            "review": "正文（下一年度安排除外）", "frp_text": "第一责任人职责履行情况（专门部分，或首次写到的段落）"}


def scope_words(scope: str, policy=None) -> str:
    """The scope of a rule in Chinese: a statutory part by its pack's name, else ``SCOPE_ZH``."""
    if policy is not None and any(p.element == scope for p in policy.parts):
        return policy.part_name(scope)
    return SCOPE_ZH.get(scope, scope)


def rule_text(rule, source: str = None, policy=None) -> str:
    """The terminal explanation (``fazhi-lint rule ID``); ``policy`` names the statutory parts."""
    lines = [f"{rule.id}  {rule.title}",
             f"级别：{SEVERITY_ZH.get(rule.severity, rule.severity)}    权重：{rule.weight:g}    检查类型：{rule.check}"
             f"    范围：{scope_words(rule.scope, policy)}",
             f"定义于：{source or rule.source}（规则包 {rule.pack}）"]
    for heading, body in rule_sections(rule):
        lines += ["", f"{heading}：", "  " + body.replace("\n", "\n  ")]
    settings = rule_settings(rule)
    if settings:
        lines += ["", "参数：", "  " + settings.replace("\n", "\n  ")]
    for heading, attr in EXAMPLE_GROUPS:
        lines += ["", f"{heading}："]
        for ex in getattr(rule, attr):
            for label, text in _companions(ex):
                lines.append(f"  （{label}）" + text.strip().replace("\n", "\n    "))
            lines.append("  · " + _example_note(ex) + ex.text.strip().replace("\n", "\n    "))
    return "\n".join(lines) + "\n"


def rule_markdown(rule, examples: bool = True) -> str:
    """The Markdown page (``docs/rules/ID.md``); without examples for a SARIF viewer's help pane."""
    out = [f"# {rule.id} {rule.title}", "",
           f"- 级别：{rule.severity}（{SEVERITY_ZH[rule.severity]}）",
           f"- 检查类型：`{rule.check}`；范围：`{rule.scope}`；权重：{rule.weight:g}",
           f"- 规则包：{rule.pack}；定义于 `{relative_source(rule.source)}`", ""]
    for heading, body in rule_sections(rule):
        out += [f"## {heading}", "", body, ""]
    settings = rule_settings(rule)
    if settings:
        out += ["## 参数", "", "```yaml", settings, "```", ""]
    for heading, attr in EXAMPLE_GROUPS if examples else ():
        out += [f"## {heading}", ""]
        for ex in getattr(rule, attr):
            note = _example_note(ex)
            if note:
                out.append(note)
            for label, text in _companions(ex):
                out += [f"{label}：", "", "```text", text.rstrip("\n"), "```", "", "受检的报告：", ""]
            out += ["```text", ex.text.rstrip("\n"), "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def rule_help(rule) -> str:
    """Plain help text for a SARIF descriptor: the sections after "what", one paragraph each."""
    return "\n".join(f"{heading}：{body}" for heading, body in rule_sections(rule)[1:])


def kind_parameters(kind) -> list:
    """(name, type, default, choices, required, description) of each parameter a kind accepts."""
    declared = getattr(kind, "declared", None)
    if declared is not None:
        return [(p.name, p.type_name, p.default_text, p.choices, p.required, p.description) for p in declared]
    required = set(getattr(kind, "required", ()) or ())
    return [(name, "", "", (), name in required, text) for name, text in (kind.params or {}).items()]


def kind_text(kind, summary: str = None) -> str:
    """The terminal explanation of a checker kind (``fazhi-lint kinds NAME``): ``summary`` (what it
    does, in the reader's language) in place of its docstring when given."""
    import inspect

    lines = [f"{kind.name}  （检查类型，插件 {getattr(kind, 'plugin_name', '?')}）", "",
             summary or inspect.getdoc(type(kind)) or "", "", "参数："]
    for name, type_name, default, choices, required, text in kind_parameters(kind):
        facts = [type_name] if type_name else []
        facts.append("必填" if required else (f"默认 {default}" if default != "" else "可选"))
        if choices:
            facts.append("可选值 " + " / ".join(map(str, choices)))
        lines.append(f"  {name}（{'，'.join(facts)}）：{text}")
    return "\n".join(lines) + "\n"
