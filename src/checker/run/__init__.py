"""The run pipeline, as an API a caller can use without click: ``run(RunRequest(...)) -> RunResult``.

Above ``compare`` (companions), ``waivers`` and ``engine``; below ``cli`` (and the served desk).
"""
from .pipeline import build_waivers, collect_inputs, load, run
from .request import FIX_MODES, FixReport, RunRequest, RunResult

__all__ = ["FIX_MODES", "FixReport", "RunRequest", "RunResult", "build_waivers", "collect_inputs", "load", "run"]
