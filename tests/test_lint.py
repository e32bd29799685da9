"""The code passes the linter: `ruff check src tests` exits 0, with the rule selection of pyproject.toml."""
import subprocess
import sys

import pytest

from .cli_helpers import ROOT


def test_ruff_check_src_and_tests_is_clean():
    pytest.importorskip("ruff", reason="ruff is not installed (it comes with the test extra: pip install -e '.[test]')")
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "src", "tests"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
