"""Suppressions a supervisor controls: ``fazhi-lint-suppressions.yaml``.

A report cannot carry ``# noqa`` comments, so exceptions live in a separate file kept by the
supervising office. Each entry names a rule and quotes the text it silences::

    suppressions:
      - rule: FZ-W02
        text: 原区政府法制办            # quoted from the report; matched in its normalised form
        file: reports/*.txt             # optional glob (relative to this file's folder)
        reason: 回顾2018年机构改革，属历史表述
        approved_by: 区司法局 张三
        expires: 2025-06-30

An entry silences a finding of that rule when the quoted text occurs in the line(s) the finding
sits on (compared after NFKC and removing whitespace), so it survives edits elsewhere in the
report. An entry past ``expires`` silences nothing (the finding is reported again) and is itself
reported as FZ-X03; an entry that matched nothing in the reports it applies to is FZ-X04. Both are
findings located in the suppressions file, at the entry's line.
"""
from __future__ import annotations

import datetime
import fnmatch
import os
from dataclasses import dataclass

from ..errors import SuppressionError, YamlError
from ..helpers.yamlio import load_yaml_file
from ..records import Finding, Result
from ..toolrules import EXPIRED_RULE, TOOL_RULES, UNUSED_RULE
from .fingerprint import normalise_text

FILE_NAME = "fazhi-lint-suppressions.yaml"
ENTRY_FIELDS = {
    "rule": (True, "规则编号，如 FZ-W02"),
    "text": (True, "被豁免的原文（引用报告中的文字）"),
    "reason": (True, "豁免理由"),
    "approved_by": (True, "批准人"),
    "expires": (True, "有效期至（YYYY-MM-DD，含当天）"),
    "file": (False, "只对这些报告生效（glob，相对于本文件所在目录）"),
}


@dataclass(frozen=True)
class Suppression:
    rule: str
    text: str
    reason: str
    approved_by: str
    expires: datetime.date
    file: str = None
    line: int = 0
    key: str = ""                              # normalised text

    def label(self) -> str:
        return f"{self.reason}（批准人：{self.approved_by}，有效期至 {self.expires.isoformat()}）"


@dataclass(frozen=True)
class SuppressionSet:
    path: str
    entries: tuple

    @property
    def root(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))


def find_suppressions(start: str):
    """The first ``fazhi-lint-suppressions.yaml`` from ``start`` (a folder) upward, or None."""
    folder = os.path.abspath(start)
    while True:
        candidate = os.path.join(folder, FILE_NAME)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _entry_lines(path: str) -> list:
    import yaml  # only when there is a suppressions file

    try:
        with open(path, encoding="utf-8") as handle:
            root = yaml.compose(handle.read(), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "suppressions" and isinstance(value, yaml.SequenceNode):
                return [item.start_mark.line + 1 for item in value.value]
    return []


def _date(value, where):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise SuppressionError(f"{where}: expires 应是 YYYY-MM-DD 格式的日期，而不是 {value!r}") from None


def load_suppressions(path: str) -> SuppressionSet:
    """Read and validate a suppressions file."""
    if not os.path.isfile(path):
        raise SuppressionError(f"{path}:0: 抑制文件不存在")
    try:
        data = load_yaml_file(path)
    except YamlError as exc:
        raise SuppressionError(str(exc)) from None
    if data is None:
        return SuppressionSet(path, ())
    if not isinstance(data, dict) or set(data) - {"suppressions"}:
        extra = ", ".join(sorted(map(str, set(data) - {"suppressions"}))) if isinstance(data, dict) else ""
        raise SuppressionError(f"{path}:1: 文件应只有一个顶层键 suppressions" + (f"（多出：{extra}）" if extra else ""))
    items = data.get("suppressions") or []
    if not isinstance(items, list):
        raise SuppressionError(f"{path}:1: suppressions 应是条目列表")
    lines = _entry_lines(path)
    entries = []
    for i, item in enumerate(items):
        line = lines[i] if i < len(lines) else 0
        where = f"{path}:{line}"
        if not isinstance(item, dict):
            raise SuppressionError(f"{where}: 条目应是映射（rule、text、reason、approved_by、expires）")
        unknown = set(item) - set(ENTRY_FIELDS)
        if unknown:
            raise SuppressionError(f"{where}: 未知的字段 {', '.join(sorted(map(str, unknown)))}（可用：{', '.join(ENTRY_FIELDS)}）")
        missing = [name for name, (required, _) in ENTRY_FIELDS.items() if required and item.get(name) in (None, "")]
        if missing:
            raise SuppressionError(f"{where}: 缺少字段 {', '.join(missing)}")
        for name in ("rule", "text", "reason", "approved_by", "file"):
            if name in item and not isinstance(item[name], str):
                raise SuppressionError(f"{where}: {name} 应是字符串")
        key = normalise_text(item["text"])
        if not key:
            raise SuppressionError(f"{where}: text 不能为空白")
        entries.append(Suppression(rule=item["rule"].strip(), text=item["text"], reason=item["reason"].strip(),
                                   approved_by=item["approved_by"].strip(),
                                   expires=_date(item["expires"], where), file=item.get("file"),
                                   line=line, key=key))
    return SuppressionSet(path, tuple(entries))


def _relative(path: str, root: str) -> str:
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")


def covers(glob: str, path: str, root: str) -> bool:
    """Does a glob (relative to ``root``) cover a report path? A glob without '/' also matches the file name."""
    if glob is None:
        return True
    rel = _relative(path, root)
    if fnmatch.fnmatchcase(rel, glob):
        return True
    return "/" not in glob and fnmatch.fnmatchcase(os.path.basename(path), glob)


@dataclass(frozen=True)
class Use:
    """How the entries were used on a run: which fell on a checked report, which matched a finding."""

    in_scope: frozenset = frozenset()          # entry numbers some checked report falls under
    matched: frozenset = frozenset()           # entry numbers that matched a finding (silenced or expired)

    def __or__(self, other: "Use") -> "Use":
        return Use(self.in_scope | other.in_scope, self.matched | other.matched)


def apply(sset: SuppressionSet, result: Result, reader, today: datetime.date):
    """(the result with the findings an unexpired entry silences marked ``suppressed``, the Use)."""
    import dataclasses

    entries = [(n, e) for n, e in enumerate(sset.entries) if covers(e.file, result.path, sset.root)]
    if not entries:
        return result, Use()
    updated, matched = [], set()
    for finding in result.findings:
        if finding.suppressed is None:
            context = normalise_text(reader.context(result.path, finding))
            for n, entry in entries:
                if entry.rule == finding.rule and entry.key in context:
                    matched.add(n)
                    if entry.expires >= today:
                        finding = dataclasses.replace(finding, suppressed=entry.label())
                        break
        updated.append(finding)
    return dataclasses.replace(result, findings=tuple(updated)), Use(frozenset(n for n, _ in entries), frozenset(matched))


def problems(sset: SuppressionSet, today: datetime.date, use: Use):
    """A Result for the suppressions file holding FZ-X03 (expired) and FZ-X04 (unused), or None."""
    findings = []
    for n, entry in enumerate(sset.entries):
        where = f"{entry.rule}“{entry.text.strip()[:30]}”"
        if entry.expires < today:
            rule = TOOL_RULES[EXPIRED_RULE]
            message = f"抑制条目 {where} 已于 {entry.expires.isoformat()} 过期（批准人：{entry.approved_by}），其豁免的问题已重新报告"
            if n not in use.matched:
                message += "；本次也没有匹配到任何问题"
            hint = "由批准人重新审批并更新 expires，或删除该条目"
        elif n in use.in_scope and n not in use.matched:
            rule = TOOL_RULES[UNUSED_RULE]
            message = f"抑制条目 {where} 没有匹配到任何问题（引用的文字已改动，或问题已修正）"
            hint = "删除该条目；如文字已改动，按新的原文重新引用"
        else:
            continue
        findings.append(Finding(rule=rule.id, severity=rule.severity, message=message, hint=hint,
                                basis="fazhi-lint 抑制文件审查", line=max(entry.line, 1), column=1,
                                end_line=max(entry.line, 1), end_column=1, excerpt=entry.text.strip()[:80]))
    if not findings:
        return None
    return Result(path=sset.path, kind="suppressions", findings=tuple(findings))
