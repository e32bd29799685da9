"""A real pre-commit run: a repository of reports uses this project's .pre-commit-hooks.yaml.

pre-commit clones the hook repository at a revision and pip-installs it into its own virtualenv,
so the test snapshots this working tree (src, rules, pyproject.toml, README.md and the hook file)
into a temporary git repository and points ``repo:`` at it. Installing takes a while (tens of
seconds); the packages come from the package index, nothing else is fetched.
"""
import os
import shutil
import subprocess
import sys

import pytest

from tests.cli_helpers import ROOT, bad_text, good_text, write

pytest.importorskip("pre_commit")
pytestmark = pytest.mark.network
if shutil.which("git") is None:  # pragma: no cover
    pytest.skip("git is not installed", allow_module_level=True)

SNAPSHOT = ("src", "rules", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")


def _git(cwd, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    return subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                          cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def _snapshot(dest) -> str:
    """Copy the files a pip install of this project needs into a fresh git repo; return its commit."""
    os.makedirs(dest)
    for name in SNAPSHOT:
        source = os.path.join(ROOT, name)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(dest, name), ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(source, os.path.join(dest, name))
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "snapshot")
    return _git(dest, "rev-parse", "HEAD")


def _pre_commit(cwd, home, *args):
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    env.pop("PYTHONPATH", None)              # the hook must run the installed package, not this tree
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)


def test_pre_commit_fails_on_a_bad_report_and_passes_on_the_fixed_one(tmp_path):
    rev = _snapshot(tmp_path / "fazhi-lint")
    reports = tmp_path / "reports"
    os.makedirs(reports)
    _git(reports, "init", "-q")
    write(reports / ".pre-commit-config.yaml",
          f"repos:\n  - repo: {tmp_path / 'fazhi-lint'}\n    rev: {rev}\n    hooks:\n      - id: fazhi-lint\n")
    write(reports / "2023" / "清河县司法局.txt", bad_text())
    _git(reports, "add", "-A")
    failed = _pre_commit(reports, tmp_path / "cache", "run", "--all-files")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "FZ-W01" in failed.stdout and "Failed" in failed.stdout
    write(reports / "2023" / "清河县司法局.txt", good_text())
    _git(reports, "add", "-A")
    passed = _pre_commit(reports, tmp_path / "cache", "run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
