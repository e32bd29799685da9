"""The engine room: run a rule set over reports (``evaluate``), score them, batch many in workers.

Above ``rules``, ``checks`` and ``document``; below ``waivers``, ``outputs`` and ``cli``.
"""
from .evaluate import INTERNAL_ERROR_RULE, TIMEOUT_RULE, check_path, check_text, evaluate, render
from .scoring import score, subscores

__all__ = ["INTERNAL_ERROR_RULE", "TIMEOUT_RULE", "check_path", "check_text", "evaluate", "render", "score",
           "subscores"]
