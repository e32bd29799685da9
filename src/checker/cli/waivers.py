"""Build the run's waivers from the settings: per-file ignores, the suppressions file, the baseline."""
from __future__ import annotations

from ..errors import BaselineError
from ..rules.selection import ignoring
from ..waivers import baseline as baseline_mod
from ..waivers import suppressions as suppressions_mod
from ..waivers.gate import Waivers
from .config import start_folder


def build_waivers(settings, paths, no_suppressions: bool, write_baseline_path) -> Waivers:
    """Waivers for this run; a broken suppressions or baseline file raises its FazhiError (exit 2),
    except a baseline that is about to be written anew."""
    waivers = Waivers(root=settings.root, write_baseline=write_baseline_path,
                      per_file_ignores=[(glob, ignoring(ids).ignores)
                                        for glob, ids in settings["per-file-ignores"].items()])
    if not no_suppressions:
        path = settings["suppressions"] or suppressions_mod.find_suppressions(start_folder(paths))
        if path:
            waivers.suppressions = suppressions_mod.load_suppressions(path)
    if settings["baseline"]:
        try:
            waivers.baseline = baseline_mod.load_baseline(settings["baseline"])
        except BaselineError:
            if not write_baseline_path:
                raise
    return waivers
