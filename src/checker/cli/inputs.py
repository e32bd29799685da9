"""Which files a run checks: the paths given, folders expanded to the report files in them."""
from __future__ import annotations

import os

REPORT_SUFFIXES = (".txt",)


def find_reports(paths):
    """Expand folders into report files; return (files, missing paths, problems)."""
    files, missing, problems = [], [], []
    for path in paths:
        if os.path.isdir(path):
            found = []
            for root, dirs, names in os.walk(path):
                dirs.sort()
                found.extend(os.path.join(root, n) for n in sorted(names) if n.lower().endswith(REPORT_SUFFIXES))
            if not found:
                problems.append(f"{path}: 目录中没有报告文件（{', '.join(REPORT_SUFFIXES)}）")
            files.extend(found)
        elif os.path.exists(path):
            files.append(path)
        else:
            missing.append(path)
    return files, missing, problems
