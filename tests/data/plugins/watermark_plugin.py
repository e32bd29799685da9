"""A test plugin that deletes a watermark through the normaliser hook and declares a test pack
(tests/data/packs/city) that overrides a national rule and disables another."""
import os

from checker import hookimpl
from checker.rules.manifest import pack_from_folder

HERE = os.path.dirname(os.path.abspath(__file__))


@hookimpl
def fazhi_lint_normalise_patterns():
    return [r"【测试水印[^】]*】"]


@hookimpl
def fazhi_lint_rule_packs():
    return [pack_from_folder(os.path.join(HERE, "..", "packs", "city"))]
