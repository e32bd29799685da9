"""Documentation stays true: generated rule pages are current; every hook is documented."""
import inspect
import os

from checker import hookspecs
from checker.rules import docgen

from .conftest import ROOT


def test_rule_pages_are_up_to_date():
    assert docgen.main([os.path.join(ROOT, "docs", "rules"), "--check"]) == 0


def test_every_hook_has_a_docstring_with_versionadded():
    hooks = [f for name, f in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("fazhi_lint_")]
    assert hooks
    for hook in hooks:
        doc = inspect.getdoc(hook) or ""
        assert len(doc) > 40 and "versionadded" in doc, hook.__name__


def test_accuracy_page_matches_golden_files_and_output(ruleset):
    from .accuracy_doc import PAGE, render

    assert open(PAGE, encoding="utf-8").read() == render(ruleset), "run: python -m tests.accuracy_doc"


def _shipped_rule_files():
    import glob

    patterns = ("rules/national/*.yaml", "plugins/*/src/*/rules/*.yaml")
    from checker.rules.loader import rule_files

    found = [f for p in patterns for f in sorted(glob.glob(os.path.join(ROOT, p)))]
    return [f for f in found if f in rule_files(os.path.dirname(f))]      # not pack.yaml / policy.yaml


def test_every_shipped_rule_file_validates_against_the_generated_schema():
    import json

    import jsonschema

    from checker.helpers.yamlio import load_yaml_file

    with open(os.path.join(ROOT, "docs", "rules.schema.json"), encoding="utf-8") as handle:
        schema = json.load(handle)
    validator = jsonschema.Draft202012Validator(schema)
    files = _shipped_rule_files()
    assert len(files) >= 10 and any("shenzhen" in f for f in files)
    for path in files:
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(load_yaml_file(path))]
        assert errors == [], (path, errors[:3])
    # the schema knows each kind's parameters: a number written as text, or an unknown parameter, fails
    rule = load_yaml_file(files[0])["rules"][0]
    bad = {"rules": [{**rule, "check": "density", "params": {"patterns": ["x"], "max": 1, "min_chars": "150"}}]}
    assert any("min_chars" in "/".join(map(str, e.absolute_path)) for e in validator.iter_errors(bad))
    unknown = {"rules": [{**rule, "check": "count", "params": {"pattern": "x", "max": 1, "colour": "red"}}]}
    assert list(validator.iter_errors(unknown))


def test_kinds_section_lists_every_builtin_kind_and_parameter():
    from checker.plugins import build_plugins

    text = open(os.path.join(ROOT, "docs", "rules.md"), encoding="utf-8").read()
    kinds = docgen.builtin_kinds(build_plugins())
    assert len(kinds) >= 15
    for name, kind in kinds.items():
        assert f"### `{name}`" in text
        for param in kind.params:
            assert f"| `{param}` |" in text, (name, param)


def _plugins_guide() -> str:
    with open(os.path.join(ROOT, "docs", "plugins.md"), encoding="utf-8") as handle:
        return handle.read()


def test_plugin_guide_counts_match_the_code(ruleset, monkeypatch):
    import re

    from checker.plugins import build_plugins
    from tests.cli_helpers import run

    guide = _plugins_guide()
    hooks = len([n for n in dir(hookspecs) if n.startswith("fazhi_lint_")])
    kinds = docgen.builtin_kinds(build_plugins())
    assert set(re.findall(r"(\d+) 个钩子都有说明", guide)) == {str(hooks)}
    assert set(re.findall(r"(\d+) 个检查类型都有说明", guide)) == {str(len(kinds))}
    assert re.findall(r"`fazhi-lint kinds` 列出 (\d+) 个", guide) == [str(len(kinds))]
    # the weihai example adds one rule to the national pack
    assert re.findall(r"# 规则包 weihai（national → weihai），共 (\d+) 条规则", guide) == [str(len(ruleset.rules) + 1)]
    monkeypatch.setenv("FAZHI_LINT_NO_ENTRYPOINTS", "1")
    listing = run("plugins").stdout
    assert listing and listing in guide, "the built-in part of `fazhi-lint plugins` in docs/plugins.md is stale"


def test_plugin_guide_example_kind_runs():
    import re
    import types

    from checker.document import build_document
    from checker.rules.loader import prepare_rule
    from checker.rules.schema import Rule

    code = re.search(r"```python\n(from checker import hookimpl\nfrom checker.checks.base.*?)```", _plugins_guide(), re.S)
    module = types.ModuleType("long_paragraph_example")
    exec(compile(code.group(1), "docs/plugins.md", "exec"), module.__dict__)
    (kind,) = module.fazhi_lint_checker_kinds()
    rule = Rule(id="XX-P01", title="t", severity="info", check=kind.name, scope="report", params={"max_chars": 20},
                message="m", hint="h", basis="b", weight=1.0, examples_fire=(), examples_pass=())
    rule, state = prepare_rule(rule, kind)
    doc = build_document("XX县2023年法治政府建设年度报告\n一、主要工作\n全年开展普法宣传活动十二场，覆盖群众一万余人次。\n短句。\n")
    (hit,) = kind.check(doc, rule, state)
    assert doc.text[hit.start:hit.end].startswith("全年开展") and hit.values["chars"] > 20
