"""Install from anywhere: the wheel the CI examples build, and the repository URL, each into a
fresh virtual environment; then ``fazhi-lint --version`` and ``echo … | fazhi-lint -`` there.

Nothing is downloaded: the wheel is built with ``--no-isolation`` (hatchling from the running
environment) and installed with ``--no-deps --no-index``; the child environment sees the running
one's site-packages for the dependencies through a ``.pth`` file, after its own site-packages, so the
installed copy of fazhi-lint is the one that runs (tests/venvs.py).
"""
import glob
import os
import shlex
import shutil
import subprocess
import sys

import pytest
import yaml

from .conftest import ROOT, seed_path
from .venvs import make_venv

SEED_004 = seed_path("004_b0c9e18cd6c6e394.txt")


def _build_command(name: str) -> list:
    """The ``python -m build`` line of a CI example, as argv."""
    with open(os.path.join(ROOT, "examples", "ci", name), encoding="utf-8") as handle:
        text = yaml.safe_load(handle)
    lines = []

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            lines.extend(line.strip() for line in node.splitlines() if line.strip().startswith("python -m build"))
    walk(text)
    (line,) = lines
    return shlex.split(line)


def _env():
    return {k: v for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "FAZHI_LINT_NO_ENTRYPOINTS", "FAZHI_LINT_PLUGINS", "FAZHI_LINT_DISABLE_PLUGINS")}


def _pip_install(pip, *what):
    done = subprocess.run([*pip, "install", "--quiet", "--no-deps", "--no-index", "--no-build-isolation",
                           "--disable-pip-version-check", *what], capture_output=True, text=True, timeout=300, env=_env())
    assert done.returncode == 0, done.stdout + done.stderr


def _works(bindir, home):
    """The installed fazhi-lint is the child's, names its rule pack and reads a report on stdin."""
    probe = subprocess.run([os.path.join(bindir, "python"), "-c", "import checker; print(checker.__file__)"],
                           capture_output=True, text=True, check=True, cwd=str(home), env=_env())
    assert probe.stdout.strip().startswith(str(home)), probe.stdout
    exe = os.path.join(bindir, "fazhi-lint")
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, cwd=str(home), env=_env(), timeout=120)
    assert version.returncode == 0 and "fazhi-lint 0.1.0" in version.stdout and "national 0.1.0" in version.stdout
    with open(SEED_004, encoding="utf-8") as handle:
        report = handle.read()
    piped = subprocess.run(f"cat {shlex.quote(SEED_004)} | {shlex.quote(exe)} - --select FZ-W01",
                           shell=True, capture_output=True, text=True, cwd=str(home), env=_env(), timeout=120)
    assert piped.returncode == 1, piped.stderr
    assert "-:23:9: FZ-W01" in piped.stdout and "法制政府" in report
    echoed = subprocess.run([exe, "-", "--stdin-filename", "报告.txt", "--select", "FZ-W01"], input="2023年法制政府建设工作。\n",
                            capture_output=True, text=True, cwd=str(home), env=_env(), timeout=120)
    assert echoed.returncode == 1 and "报告.txt:1:6: FZ-W01" in echoed.stdout, echoed.stdout + echoed.stderr


def test_both_ci_examples_build_the_wheel_the_same_way():
    assert _build_command("github-actions.yml") == _build_command("gitlab-ci.yml")
    assert _build_command("github-actions.yml")[:4] == ["python", "-m", "build", "--wheel"]


def test_the_wheel_the_ci_example_builds_installs_into_a_fresh_venv(tmp_path):
    pytest.importorskip("build", reason="the 'build' package (test extra) runs the CI examples' python -m build")
    pytest.importorskip("hatchling")
    argv = _build_command("github-actions.yml")
    argv = [sys.executable, *argv[1:]]
    argv = [ROOT if a == "fazhi-lint-src" else str(tmp_path / "dist") if a == "dist" else a for a in argv]
    built = subprocess.run([*argv, "--no-isolation"], capture_output=True, text=True, timeout=300, env=_env())
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = glob.glob(str(tmp_path / "dist" / "fazhi_lint-*-py3-none-any.whl"))
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "checker/rules_data/national/fz-w-wording.yaml" in names and "checker/checks/segmenter.py" in names
    home = tmp_path / "venv"
    bindir, pip = make_venv(home)
    _pip_install(pip, wheel)
    _works(bindir, home)


def test_installs_from_the_repository_url(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pytest.importorskip("hatchling")
    head = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    home = tmp_path / "venv"
    bindir, pip = make_venv(home)
    _pip_install(pip, f"git+file://{ROOT}@{head.stdout.strip()}")
    _works(bindir, home)
