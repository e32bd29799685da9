import os

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

    rs = load_ruleset(build_plugins())
    verify_ruleset(rs)
    assert not rs.errors, rs.errors
    return rs


def seed_path(name):
    return os.path.join(SEEDS, name)
