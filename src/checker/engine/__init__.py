"""The engine room: run a rule set over reports (``evaluate``), score them, batch many in workers.

Above ``rules``, ``checks`` and ``document``; below ``waivers``, ``outputs`` and ``cli``.
"""
from .evaluate import check_path, check_text, evaluate, read_document, render
from .scoring import score, scored, subscores

__all__ = ["check_path", "check_text", "evaluate", "read_document", "render", "score", "scored", "subscores"]
