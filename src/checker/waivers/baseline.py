"""Baselines: record today's findings, later report only the new ones.

``--write-baseline FILE`` stores each active finding as (report path relative to FILE's folder,
rule, text fingerprint). ``--baseline FILE`` then marks findings that match a stored entry as
suppressed ("基线中已有"), so a unit can adopt the tool without first fixing last year's report.
The fingerprint is taken from the text of the finding's line(s), never its line number, so
inserting or deleting paragraphs elsewhere does not turn old findings into new ones; editing the
paragraph itself does. Each stored entry absorbs one finding: a second identical problem is new.
"""
from __future__ import annotations

import dataclasses
import json
import os
from collections import Counter

from ..errors import BaselineError

FORMAT_VERSION = 1


def _key_path(path: str, root: str) -> str:
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")


def write_baseline(path: str, results, reader) -> int:
    """Write the active findings of ``results`` to ``path``; return how many were written."""
    root = os.path.dirname(os.path.abspath(path))
    entries = []
    for result in results:
        if result.error or not result.is_report:
            continue
        for f in result.findings:
            if f.suppressed is None:
                entries.append({"file": _key_path(result.path, root), "rule": f.rule,
                                "fingerprint": reader.fingerprint(result.path, f),
                                "line": f.line, "excerpt": f.excerpt})
    data = {"tool": "fazhi-lint", "format": FORMAT_VERSION,
            "note": "由 fazhi-lint --write-baseline 生成；line 仅供阅读，匹配只看 file、rule 和 fingerprint",
            "findings": entries}
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    # backslashreplace: a file name that is not valid UTF-8 is kept as a \udcXX escape (valid JSON
    # that reads back as the same name)
    with open(path, "w", encoding="utf-8", errors="backslashreplace") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return len(entries)


@dataclasses.dataclass(frozen=True)
class Baseline:
    path: str
    counts: Counter

    @property
    def root(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))


def load_baseline(path: str) -> Baseline:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise BaselineError(f"{path}: 无法读取基线文件：{exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: 基线文件不是有效的 JSON：{exc}") from None
    except RecursionError:
        raise BaselineError(f"{path}: 基线文件嵌套过深，不是 fazhi-lint 的基线文件") from None
    if not isinstance(data, dict) or data.get("tool") != "fazhi-lint" or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: 不是 fazhi-lint 的基线文件（应由 --write-baseline 生成）")
    counts = Counter()
    for entry in data["findings"]:
        try:
            counts[(entry["file"], entry["rule"], entry["fingerprint"])] += 1
        except (KeyError, TypeError):
            raise BaselineError(f"{path}: 基线条目缺少 file、rule 或 fingerprint：{entry!r}") from None
    return Baseline(path, counts)


def apply(baseline: Baseline, result, reader, remaining: Counter):
    """The result with the findings the baseline already holds marked ``suppressed``. Each stored
    entry absorbs one finding: ``remaining`` counts what is left of each entry over the run."""
    file_key = _key_path(result.path, baseline.root)
    reason = f"基线中已有（{os.path.basename(baseline.path)}）"
    updated = []
    for f in result.findings:
        if f.suppressed is None:
            key = (file_key, f.rule, reader.fingerprint(result.path, f))
            if remaining[key] > 0:
                remaining[key] -= 1
                f = dataclasses.replace(f, suppressed=reason)
        updated.append(f)
    return dataclasses.replace(result, findings=tuple(updated))
