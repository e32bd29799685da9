"""Rule records, rule-file loading and pack resolution."""
from .loader import LoadedRules, load_rule_file, rule_files
from .packs import RuleSet, load_ruleset
from .schema import Rule, RulePack

__all__ = ["LoadedRules", "Rule", "RulePack", "RuleSet", "load_rule_file", "load_ruleset", "rule_files"]
