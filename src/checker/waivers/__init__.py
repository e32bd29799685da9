"""The CI gate: what a run's findings come to after the engine.

Per-file ignores, supervisor suppressions (``suppressions``), the baseline (``baseline``) and the
text fingerprints both use (``fingerprint``) are applied by ``gate.apply_waivers``; ``gate.exit_code``
turns the results into the exit code a CI relies on.
"""
