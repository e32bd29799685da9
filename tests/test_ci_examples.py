"""The CI examples the README shows are the files the tests run; the pre-commit hook file is sound."""
import os
import re
import shlex
import xml.etree.ElementTree as ET
import json

import pytest
import yaml

from checker.cli.config import read_config
from checker.waivers.suppressions import load_suppressions
from tests.cli_helpers import ROOT, copy_seeds, run, write

EXAMPLES = os.path.join(ROOT, "examples", "ci")


def _read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as handle:
        return handle.read()


def _commands(doc) -> list:
    """Every shell line of a CI file that runs fazhi-lint."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("run", "script") and isinstance(value, str):
                    found.extend(line for line in value.splitlines() if line.strip().startswith("fazhi-lint"))
                elif key == "script" and isinstance(value, list):
                    found.extend(v for v in value if isinstance(v, str) and v.strip().startswith("fazhi-lint"))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(doc)
    return found


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_readme_shows_the_example_file_unchanged(name):
    text = _read("examples", "ci", name)
    assert f"```yaml\n{text}```" in _read("README.md")


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_example_runs_fazhi_lint_and_produces_its_reports(name, tmp_path, monkeypatch):
    doc = yaml.safe_load(_read("examples", "ci", name))
    (command,) = _commands(doc)
    argv = shlex.split(command)
    assert argv[:3] == ["fazhi-lint", "check", "reports/"]
    assert "junit:fazhi-lint-junit.xml" in argv and "sarif:fazhi-lint.sarif" in argv
    copy_seeds(tmp_path / "reports")
    monkeypatch.chdir(tmp_path)
    out = run(*argv[1:])
    assert out.exit_code == 1                               # the seeds have errors
    suites = ET.parse(tmp_path / "fazhi-lint-junit.xml").getroot().findall("testsuite")
    assert len(suites) == 5
    assert json.loads((tmp_path / "fazhi-lint.sarif").read_text("utf-8"))["version"] == "2.1.0"
    uploaded = json.dumps(doc)
    assert "fazhi-lint-junit.xml" in uploaded.replace(command, "") and "fazhi-lint.sarif" in uploaded.replace(command, "")


def test_gitlab_example_declares_the_junit_report():
    doc = yaml.safe_load(_read("examples", "ci", "gitlab-ci.yml"))
    job = doc["fazhi-lint"]
    assert job["artifacts"]["reports"]["junit"] == "fazhi-lint-junit.xml"
    assert job["artifacts"]["when"] == "always"


def test_github_example_uploads_sarif_and_junit_even_on_failure():
    doc = yaml.safe_load(_read("examples", "ci", "github-actions.yml"))
    steps = doc["jobs"]["reports"]["steps"]
    uploads = [s for s in steps if "upload-sarif" in s.get("uses", "") or "junit" in s.get("uses", "")]
    assert len(uploads) == 2 and all(s["if"] == "always()" for s in uploads)
    assert doc["permissions"]["security-events"] == "write"


def test_pre_commit_hook_definition():
    (hook,) = yaml.safe_load(_read(".pre-commit-hooks.yaml"))
    assert hook["id"] == "fazhi-lint" and hook["language"] == "python"
    assert hook["entry"] == "fazhi-lint check"
    assert re.search(hook["files"], "2023/清河县.txt") and not re.search(hook["files"], "notes.md")


def _readme_blocks(lang="yaml"):
    return re.findall(rf"```{lang}\n(.*?)```", _read("README.md"), re.S)


def test_readme_config_example_is_valid(tmp_path):
    (block,) = [b for b in _readme_blocks() if b.startswith("# .fazhi-lint.yaml")]
    path = write(tmp_path / ".fazhi-lint.yaml", block)
    values = read_config(path)
    assert values["thresholds"] == {"FZ-C02": {"max": 20}} and values["min-score"] == 80
    seeds = copy_seeds(tmp_path / "r")
    assert run("check", seeds, "--format", "text").exit_code == 1


def test_readme_suppressions_example_is_valid(tmp_path):
    (block,) = [b for b in _readme_blocks() if b.startswith("suppressions:")]
    sset = load_suppressions(write(tmp_path / "fazhi-lint-suppressions.yaml", block))
    assert [e.rule for e in sset.entries] == ["FZ-W02"] and sset.entries[0].line == 2
