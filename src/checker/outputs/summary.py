"""Counts shared by the output formats."""
from __future__ import annotations


def summarise(results, skipped=()) -> dict:
    """Counts over the reports; ``skipped`` are the (path, reason) pairs of files not checked."""
    active = [f for r in results for f in r.findings if f.suppressed is None]
    scores = [r.score for r in results if r.error is None and r.score is not None]
    return {
        "files": sum(1 for r in results if r.is_report),   # not the suppressions file
        "unreadable": sum(1 for r in results if r.error),
        "errors": sum(1 for f in active if f.severity == "error"),
        "warnings": sum(1 for f in active if f.severity == "warning"),
        "infos": sum(1 for f in active if f.severity == "info"),
        "mean_score": round(sum(scores) / len(scores), 1) if scores else None,
        "skipped": len(skipped),
    }
