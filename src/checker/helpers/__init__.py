"""Low-level helpers any room may import: rule patterns with time limits, span sets, safe YAML,
the user cache folder. They import nothing of fazhi-lint above ``errors``, ``records`` and ``numbers``."""
