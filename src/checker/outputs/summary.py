"""Counts shared by the output formats."""
from __future__ import annotations


def summarise(results, skipped=()) -> dict:
    """Counts over the reports; ``skipped`` are the (path, reason) pairs of files not checked. A file
    that is not an annual report (a cover letter, a notice) is counted apart, not as a report."""
    active = [f for r in results for f in r.findings if f.suppressed is None]
    scores = [r.score for r in results if r.error is None and r.score is not None and r.is_report]
    return {
        "files": sum(1 for r in results if r.is_report),   # not the suppressions file, not a cover letter
        "unreadable": sum(1 for r in results if r.error and r.is_report),
        "not_reports": sum(1 for r in results if getattr(r, "kind", "report") == "not_report"),
        "errors": sum(1 for f in active if f.severity == "error"),
        "warnings": sum(1 for f in active if f.severity == "warning"),
        "infos": sum(1 for f in active if f.severity == "info"),
        "mean_score": round(sum(scores) / len(scores), 1) if scores else None,
        "skipped": len(skipped),
    }


def run_report(written, results, skipped=(), lang: str = "zh") -> list:
    """What a run whose outputs all went to files says on standard error at its end: each file
    written, each file not checked with why (unreadable, not an annual report, skipped), and the
    summary line of the text output."""
    from .escape import one_line
    from .text import summary_line

    en = lang == "en"
    out = [f"{'wrote' if en else '已写入'} {one_line(path)}" for path in written]
    for result in results:
        if result.error:
            not_report = getattr(result, "kind", "report") == "not_report"
            label = ("not an annual report: " if not_report else "cannot be checked: ") if en else (
                "" if not_report else "无法检查：")
            out.append(f"{one_line(result.path)}: {label}{one_line(result.error)}")
    out += [f"{one_line(path)}: {'skipped' if en else '已跳过'}: {one_line(reason)}" for path, reason in skipped]
    out.append(summary_line(summarise(results, skipped), lang))
    return out
