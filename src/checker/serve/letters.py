"""Letters from decisions: a filing's feedback letter (``outputs/letters.py``) as the reviewer left
it, one by one or as a .zip of every filing marked 已审 with an index; and the struck findings as
the CI gate's suppressions file.

The desk reaches the letter writer through ``render_letter`` alone, so a change of the writer's
signature is one change here. A letter lists the confirmed and undecided findings (the reviewer's
wording where it was edited), the reviewer's remarks after them, the reviewed score and parts; never a struck
finding.
"""
from __future__ import annotations

import datetime
import io
import re
import zipfile

from .records import reviewed_result


def render_letter(result, ruleset, remarks=(), office: str = "", date: str = "", min_rank: int = 1) -> bytes:
    """The .docx letter of ``result`` (a Result as reviewed) with the reviewer's ``remarks`` added
    before the legal bases: the one adapter between the desk and ``outputs.letters``."""
    from ..outputs.letter_docx import render_docx
    from ..outputs.letters import NO_OFFICE, letter, paragraphs

    content = letter(result, ruleset, min_rank, office, date)
    body = paragraphs(content)
    if remarks:                         # after the problems, before the signature's blank lines
        at = next((i for i, (kind, _) in enumerate(body) if kind == "signature"), len(body))
        while at > 0 and body[at - 1][0] == "blank":
            at -= 1
        body[at:at] = [("heading", "审查意见")] + [("body", f"{n}. {text}") for n, text in enumerate(remarks, 1)]
    return render_docx(body, content["office"] if content["office"] != NO_OFFICE else "", content["heading"])


def today_words(day=None) -> str:
    day = day or datetime.date.today()
    return f"{day.year}年{day.month}月{day.day}日"


def _decisions(conn, t, filing_id) -> dict:
    from sqlalchemy import select

    d = t["decisions"]
    return {row.fingerprint: row for row in conn.execute(select(d).where(d.c.filing_id == filing_id))}


def _remarks(conn, t, filing_id) -> list:
    from sqlalchemy import select

    m = t["remarks"]
    return [row.text for row in conn.execute(select(m.c.text).where(m.c.filing_id == filing_id).order_by(m.c.id))]


def safe_file_name(text: str, limit: int = 40) -> str:
    return re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", text or "").strip("._")[:limit] or "报告"


def letter_of(store, ruleset, report_id, office="", date="") -> tuple:
    """(file name, .docx bytes) of a report's letter, or None when the report cannot be read."""
    from sqlalchemy import select

    t = store.t
    with store.read() as conn:
        filing_id = conn.execute(select(t["reports"].c.filing_id).where(t["reports"].c.id == report_id)).scalar()
        if filing_id is None:
            return None
        result, row = reviewed_result(conn, t, report_id, _decisions(conn, t, filing_id))
        remarks = _remarks(conn, t, filing_id)
    if result.error:
        return None
    unit = (result.meta or {}).get("unit") or row.file_name
    year = (result.meta or {}).get("report_year") or ""
    name = f"反馈意见_{safe_file_name(unit)}_{year}.docx".replace("__", "_")
    return name, render_letter(result, ruleset, remarks, office, date or today_words())


def letters_zip(store, ruleset, report_ids, office="", date="") -> bytes:
    """A .zip of the letters of ``report_ids`` and ``目录.docx``, the index (序号, 单位, 年度, 得分, 文件)."""
    from ..outputs.letter_docx import render_docx

    buffer, index, used = io.BytesIO(), [], set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for n, report_id in enumerate(report_ids, 1):
            found = letter_of(store, ruleset, report_id, office, date)
            if found is None:
                continue
            name, data = found
            name = f"{len(index) + 1:03d}_{name}"
            while name in used:
                name = "_" + name
            used.add(name)
            package.writestr(name, data)
            index.append(name)
        lines = [("title", "审查反馈意见目录"), ("blank", ""), ("body", f"共 {len(index)} 份（状态为“已审”的报告）")]
        lines += [("body", f"{n}. {name}") for n, name in enumerate(index, 1)]
        if office:
            lines += [("blank", ""), ("signature", office)]
        if date:
            lines.append(("date", date))
        package.writestr("000_目录.docx", render_docx(lines, office, "审查反馈意见目录"))
    return buffer.getvalue()


def _quote(context: str, excerpt: str) -> str:
    """The words a suppressions entry quotes: the finding's excerpt with a little of its paragraph
    around it (an excerpt alone, 法制政府, would silence the rule in every paragraph saying it)."""
    from ..waivers.fingerprint import normalise_text

    line, words = normalise_text(context), normalise_text(excerpt)
    at = line.find(words) if words else -1
    if at < 0:
        return line[:40] or words
    return line[max(0, at - 12): at + len(words) + 12]


def suppressions_yaml(store, report_id, expires=None) -> str:
    """The struck findings of a report as ``fazhi-lint-suppressions.yaml`` (rule, the quoted text,
    reason, approver, expiry): the unit's own check before it submits then agrees with the office."""
    import yaml
    from sqlalchemy import select

    t = store.t
    f, d = t["findings"], t["decisions"]
    expires = expires or (datetime.date.today() + datetime.timedelta(days=365))
    with store.read() as conn:
        filing_id = conn.execute(select(t["reports"].c.filing_id).where(t["reports"].c.id == report_id)).scalar()
        if filing_id is None:
            return None
        rows = conn.execute(select(f.c.rule, f.c.context, f.c.excerpt, d.c.reason, d.c.reviewer).join(
            d, (d.c.fingerprint == f.c.fingerprint) & (d.c.filing_id == filing_id))
            .where(f.c.report_id == report_id, d.c.decision == "dismissed").order_by(f.c.position)).all()
    entries, seen = [], set()
    for row in rows:
        entry = {"rule": row.rule, "text": _quote(row.context or "", row.excerpt or ""), "reason": row.reason or "",
                 "approved_by": row.reviewer or "未署名", "expires": expires}
        key = (entry["rule"], entry["text"])
        if entry["text"] and key not in seen:
            seen.add(key)
            entries.append(entry)
    head = ("# fazhi-lint 抑制文件：审查人不采纳的问题（由审查台导出）。放在报告所在目录或其上级目录，\n"
            "# fazhi-lint 检查时自动读取；到期后这些问题重新报告。\n")
    return head + yaml.safe_dump({"suppressions": entries}, allow_unicode=True, sort_keys=False)


def write_from_store(db, folder, letter_format, office, date, province, plugins, rule_paths, say) -> int:
    """``fazhi-lint feedback --db``: the letters of the filings marked 已审, written into ``folder``
    exactly as the desk offers them; the exit code."""
    import os

    from ..errors import FazhiError
    from ..run import RunRequest, load
    from .queries import reports_with_status
    from .store import Store

    if letter_format != "docx":
        say("--db 只写 Word 反馈意见（--format docx）")
        return 2
    try:
        store = Store(db, create=False)
        ruleset = load(RunRequest(province=province or "national", plugins=tuple(plugins),
                                  rule_paths=tuple(rule_paths))).ruleset
    except FazhiError as exc:
        say(str(exc))
        return exc.exit_code
    with store.read() as conn:
        ids = reports_with_status(conn, store.t, "reviewed")
    from ..outputs.targets import OutputProblem, write_file

    written, failed = 0, 0
    for n, report_id in enumerate(ids, 1):
        found = letter_of(store, ruleset, report_id, office, date)
        if found is not None:
            try:                      # the output layer: atomic, never through a link, one line if it fails
                write_file(os.path.join(folder, f"{n:03d}_{found[0]}"), found[1])
            except OutputProblem as exc:
                say(str(exc))
                failed += 1
                continue
            written += 1
    store.close()
    say(f"已写入 {written} 份反馈意见到 {folder}（数据库中状态为“已审”的报告）" + (f"，{failed} 份未能写入" if failed else ""))
    return 2 if failed else 0
