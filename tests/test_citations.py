"""Citations are data, and users see only what was verified: no 待核对, no article number that
was not checked, no reference to the project's internal files (design notes, seeds)."""
import os
import re

import pytest

from checker.plugins import build_plugins
from checker.rules import load_ruleset
from checker.rules.citations import parse_basis, render_basis
from checker.errors import RuleError

from .cli_helpers import run
from .conftest import ROOT, SEED_FILES, seed_path

UNVERIFIED = re.compile(r"待核对|待核实|条号待|原文待")
INTERNAL = re.compile(r"seed\s*\d|目录\s*§|§\s*\d|domain\.md|legal-basis|anchors\.md|architecture\.md|seed_labels")
FILE_REF = re.compile(r"[\w./-]+\.(?:md|py|yaml|yml|txt|json|toml)\b")
# files a user has or writes: the tool's own configuration and suppression files
USER_FILES = {"fazhi-lint-suppressions.yaml", ".fazhi-lint.yaml", "pyproject.toml", "fazhi-lint-baseline.json"}


class _Raw:
    """A rule or override of a province pack's YAML, read from the repository (the plugin may not
    be installed in this environment)."""

    def __init__(self, rid, raw):
        self.id = rid
        self.title, self.message, self.hint = (raw.get(k, "") for k in ("title", "message", "hint"))
        self.rationale = raw.get("rationale", "")
        self.basis = render_basis(parse_basis(raw["basis"])) if "basis" in raw else ""


def _plugin_rules():
    import glob

    import yaml

    for path in sorted(glob.glob(os.path.join(ROOT, "plugins", "*", "src", "*", "rules", "*.yaml"))):
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        for raw in data.get("rules") or ():
            yield _Raw(raw["id"], raw)
        for rid, raw in (data.get("override") or {}).items():
            yield _Raw(rid, raw)


def _packs():
    yield "national", load_ruleset(build_plugins(), "national").rules
    yield "plugins", list(_plugin_rules())


def user_facing(rule):
    return {"title": rule.title, "message": rule.message, "hint": rule.hint, "basis": rule.basis,
            "rationale": rule.rationale}


def _bad_file_refs(text):
    return [ref for ref in FILE_REF.findall(text) if os.path.basename(ref) not in USER_FILES]


@pytest.mark.parametrize("pack,rules", list(_packs()), ids=lambda v: v if isinstance(v, str) else "")
def test_no_rule_text_cites_the_unverified_or_the_internal(pack, rules):
    assert rules
    for rule in rules:
        for field, text in user_facing(rule).items():
            assert not UNVERIFIED.search(text), (pack, rule.id, field, text)
            assert not INTERNAL.search(text), (pack, rule.id, field, text)
            assert not _bad_file_refs(text), (pack, rule.id, field, _bad_file_refs(text))


def test_an_unverified_article_is_left_out_and_its_document_named():
    entries = parse_basis([
        {"doc": "《甲规定》", "article": "第二十四条", "verified": True},
        {"doc": "《甲规定》", "article": "第二十五条", "verified": False},
        {"doc": "《乙意见》", "article": "第六条", "verified": False},
        {"note": "阈值为经验值"},
    ])
    assert render_basis(entries) == "《甲规定》第二十四条；《乙意见》；阈值为经验值"


@pytest.mark.parametrize("bad", [
    [], [{"article": "第一条", "verified": True}], [{"doc": "《甲》", "article": "第一条"}],
    [{"doc": "《甲》", "pages": 3}], [{"doc": ""}], "",
])
def test_a_malformed_basis_is_an_error(bad):
    with pytest.raises(RuleError):
        parse_basis(bad)


def test_every_national_rule_states_its_basis_as_data():
    for rule in load_ruleset(build_plugins(), "national").rules:
        assert rule.citations and all("doc" in c or "note" in c for c in rule.citations), rule.id
        for citation in rule.citations:
            if "article" in citation:
                assert isinstance(citation.get("verified"), bool), rule.id


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif", "github"])
def test_no_output_line_cites_the_unverified_or_the_internal(fmt):
    args = ["--format", fmt, "--output-format", "full"] if fmt == "text" else ["--format", fmt]
    out = run(*args, *[seed_path(n) for n in SEED_FILES]).stdout
    assert out.strip()
    for line in out.splitlines():
        assert not UNVERIFIED.search(line), line
        assert not INTERNAL.search(line.replace(os.path.join(ROOT, "seeds"), "")), line
