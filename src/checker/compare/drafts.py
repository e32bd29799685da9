"""A resubmitted draft against the one before it: which findings were fixed, which are new, which
are still open.

Findings are matched by their words, never their line numbers (a paragraph added at the top moves
every line). Two passes:

1. the text fingerprint of ``fingerprint.py`` (rule + the text of the finding's line(s) + its
   excerpt): the paragraph is unchanged, so the finding is the same one;
2. for what is left, the same rule with the same excerpt, in the paragraph that resembles the old
   one most (difflib ratio >= ``MIN_CONTEXT_RATIO``): the unit edited the paragraph (fixed one
   problem in it, say) and this finding stayed. Ties go to the nearest column, so that of two
   identical slips in one paragraph the one that disappeared is the one reported fixed.

3. a rule with exactly one finding left on each side and the same message (a finding about the
   whole report, anchored on a title that was reworded).

What is still unmatched is *fixed* (old draft only) or *new* (new draft only).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

MIN_CONTEXT_RATIO = 0.5


@dataclass
class DraftDiff:
    old_path: str
    new_path: str
    fixed: list = field(default_factory=list)        # Findings of the old draft
    new: list = field(default_factory=list)          # Findings of the new draft
    still_open: list = field(default_factory=list)   # (old Finding, new Finding)
    errors: list = field(default_factory=list)       # why a draft could not be checked

    def summary(self) -> dict:
        return {"fixed": len(self.fixed), "new": len(self.new), "still_open": len(self.still_open)}


def _active(result) -> list:
    return [f for f in result.findings if f.suppressed is None]


def diff_results(old_result, new_result, reader) -> DraftDiff:
    """Match the findings of two checked drafts; ``reader`` is a fingerprint ``ContextReader``."""
    from ..waivers.fingerprint import normalise_text

    out = DraftDiff(old_result.path, new_result.path)
    for result in (old_result, new_result):
        if result.error:
            out.errors.append(f"{result.path}: {result.error}")
    if out.errors:
        return out
    old, new = _active(old_result), _active(new_result)
    old_keys = [reader.fingerprint(old_result.path, f) for f in old]
    new_keys = [reader.fingerprint(new_result.path, f) for f in new]
    old_left, new_left = set(range(len(old))), set(range(len(new)))
    pairs = []
    # 1. identical fingerprints, in document order
    by_key = {}
    for j in sorted(new_left):
        by_key.setdefault((new[j].rule, new_keys[j]), []).append(j)
    for i in sorted(old_left):
        bucket = by_key.get((old[i].rule, old_keys[i]))
        if bucket:
            j = bucket.pop(0)
            pairs.append((i, j))
            old_left.discard(i)
            new_left.discard(j)
    # 2. same rule and excerpt in a paragraph that was edited
    context = {}

    def ctx(side, k):
        if (side, k) not in context:
            path, finding = (old_result.path, old[k]) if side == "old" else (new_result.path, new[k])
            context[(side, k)] = normalise_text(reader.context(path, finding))
        return context[(side, k)]

    candidates = []
    for i in old_left:
        for j in new_left:
            if old[i].rule != new[j].rule or normalise_text(old[i].excerpt) != normalise_text(new[j].excerpt):
                continue
            matcher = difflib.SequenceMatcher(None, ctx("old", i), ctx("new", j), autojunk=False)
            if matcher.real_quick_ratio() < MIN_CONTEXT_RATIO or matcher.quick_ratio() < MIN_CONTEXT_RATIO:
                continue
            ratio = matcher.ratio()
            if ratio >= MIN_CONTEXT_RATIO:
                candidates.append((-ratio, abs(old[i].column - new[j].column), i, j))
    for _, _, i, j in sorted(candidates):
        if i in old_left and j in new_left:
            pairs.append((i, j))
            old_left.discard(i)
            new_left.discard(j)
    # 3. a finding about the report as a whole (anchored on the title, which was edited): the one
    #    remaining finding of a rule on each side, with the very same message
    for rule in {old[i].rule for i in old_left}:
        o = [i for i in old_left if old[i].rule == rule]
        n = [j for j in new_left if new[j].rule == rule]
        if len(o) == 1 and len(n) == 1 and old[o[0]].message == new[n[0]].message:
            pairs.append((o[0], n[0]))
            old_left.discard(o[0])
            new_left.discard(n[0])
    out.still_open = [(old[i], new[j]) for i, j in sorted(pairs, key=lambda p: p[1])]
    out.fixed = [old[i] for i in sorted(old_left)]
    out.new = [new[j] for j in sorted(new_left)]
    return out


SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def _line(path, f) -> str:
    return f"{path}:{f.line}:{f.column}: {f.rule} {SEVERITY_ZH.get(f.severity, f.severity)} {f.message}"


def render_diff_text(diff: DraftDiff) -> str:
    """The diff as lines for a person; report text and file names in them are escaped as in
    ``check``'s text output (a CR, a terminal escape or a bidi control cannot forge a line)."""
    from ..outputs.escape import one_line
    from ..outputs.targets import shown_name

    return "".join(one_line(shown_name(line)) + "\n" for line in _diff_lines(diff))


def _diff_lines(diff: DraftDiff) -> list:
    if diff.errors:
        return list(diff.errors)
    s = diff.summary()
    out = [f"{diff.old_path} → {diff.new_path}：已改正 {s['fixed']} 条，新增 {s['new']} 条，仍未改正 {s['still_open']} 条"]
    if diff.fixed:
        out.append("已改正：")
        out.extend("  " + _line(diff.old_path, f) for f in diff.fixed)
    if diff.new:
        out.append("新增：")
        out.extend(f"  {_line(diff.new_path, f)} (修改建议: {f.hint}) [依据: {f.basis}]" for f in diff.new)
    if diff.still_open:
        out.append("仍未改正：")
        out.extend(f"  {_line(diff.new_path, new)}（原第 {old.line} 行）" for old, new in diff.still_open)
    return out


def render_diff_json(diff: DraftDiff, version: str) -> str:
    import json

    from ..outputs.targets import shown_name

    data = {"tool": {"name": "fazhi-lint", "version": version}, "old": shown_name(diff.old_path),
            "new": shown_name(diff.new_path), "errors": [shown_name(e) for e in diff.errors], "summary": diff.summary(),
            "fixed": [f.to_json() for f in diff.fixed],
            "new_findings": [f.to_json() for f in diff.new],
            "still_open": [{**new.to_json(), "old_line": old.line, "old_column": old.column}
                           for old, new in diff.still_open]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def render_diff_html(diff: DraftDiff) -> str:
    """A self-contained page (Jinja2, autoescape on: report text is never markup)."""
    import os

    import jinja2

    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    sections = [
        ("fixed", "已改正", [(f, f"旧稿第 {f.line} 行") for f in diff.fixed]),
        ("new", "新增", [(f, f"新稿第 {f.line} 行") for f in diff.new]),
        ("open", "仍未改正", [(new, f"新稿第 {new.line} 行（旧稿第 {old.line} 行）") for old, new in diff.still_open]),
    ]
    from ..outputs.targets import shown_name

    return env.get_template("diff.html.j2").render(
        old_path=shown_name(diff.old_path), new_path=shown_name(diff.new_path), fixed=diff.fixed, new=diff.new,
        still_open=diff.still_open, sections=sections, severity_zh=SEVERITY_ZH)
