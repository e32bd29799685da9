import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "seeds")
SEED_FILES = sorted(f for f in os.listdir(SEEDS) if f.endswith(".txt"))


@pytest.fixture(scope="session")
def ruleset():
    """The national rule set, loaded and verified once."""
    from checker.plugins import build_plugins
    from checker.rules import load_ruleset
    from checker.rules.selftest import verify_ruleset

    rs, failures = verify_ruleset(load_ruleset(build_plugins()))
    assert not rs.errors and not failures, (rs.errors, failures)
    return rs


def prepared(ruleset, rule_id, kind, params):
    """(rule, state): the rule ``rule_id`` of ``ruleset`` with ``params`` instead of its own, loaded as
    the loader loads it (typed config validated, then the kind's ``prepare``); RuleError when wrong."""
    import dataclasses

    from checker.rules.loader import prepare_rule

    return prepare_rule(dataclasses.replace(ruleset.by_id(rule_id), params=params), kind)


def seed_path(name):
    return os.path.join(SEEDS, name)


@functools.lru_cache(maxsize=None)
def package_index_reachable() -> bool:
    """True when pip can download from its configured index (a tiny, dependency-free package)."""
    with tempfile.TemporaryDirectory() as dest:
        try:
            done = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-cache-dir",
                                   "--disable-pip-version-check", "--no-input", "--dest", dest, "iniconfig"],
                                  capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return done.returncode == 0


def pytest_configure(config):
    config.addinivalue_line("markers", "network: needs the package index; skipped with a reason when it is unreachable")
    # fazhi-lint's user cache (``$XDG_CACHE_HOME/fazhi-lint``) is the suite run's own: a run neither reads
    # what another run or another checkout left in ~/.cache nor writes there, and it starts as a fresh CI
    # machine does. The pytest-xdist workers share the run's folder (made here in the controller before
    # they start; they inherit the environment), as a batch's worker processes share the cache: it is
    # written atomically and merged, for concurrent processes. Tests of the cache itself set their own
    # folder. pip (pre-commit's install) keeps the user's cache: on Linux it follows XDG_CACHE_HOME too,
    # so it is named before that moves.
    if os.environ.get("FAZHI_LINT_TESTS_CACHE_HOME"):
        os.environ["XDG_CACHE_HOME"] = os.environ["FAZHI_LINT_TESTS_CACHE_HOME"]
        return
    if sys.platform.startswith("linux") and "PIP_CACHE_DIR" not in os.environ:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        os.environ["PIP_CACHE_DIR"] = os.path.join(base, "pip")
    folder = tempfile.mkdtemp(prefix="fazhi-lint-tests-cache-")
    os.environ["FAZHI_LINT_TESTS_CACHE_HOME"] = os.environ["XDG_CACHE_HOME"] = folder
    # Removed at exit, not in pytest_unconfigure: fazhi-lint writes some cache tables back when the
    # process exits (atexit), which would make the folder again. Handlers run last registered first, and
    # fazhi-lint's are registered after this one (its modules are imported while tests are collected).
    atexit.register(shutil.rmtree, folder, True)


def pytest_collection_modifyitems(config, items):
    marked = [item for item in items if item.get_closest_marker("network")]
    if marked and not package_index_reachable():
        skip = pytest.mark.skip(reason="the package index is unreachable (offline): this test installs packages from it")
        for item in marked:
            item.add_marker(skip)
