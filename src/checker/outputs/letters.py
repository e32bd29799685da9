"""Feedback letters (反馈意见): one per report, addressed to the unit that wrote it.

A letter lists the fixes in plain Chinese grouped by statutory part, each with the excerpt and
where it is (第12段 / 第3页第14行 / 第N行), then a summary line (得分, missing parts), and the legal
bases cited once at the end. It never shows the office's file paths: the report is named by its
title, the unit by the name the report gives.

``letter`` builds the content as plain data; ``to_docx`` (python-docx) and ``to_markdown`` render it.
"""
from __future__ import annotations

import re

from . import desk

_CHINESE_NUMBERS = "一二三四五六七八九十"


def letter(result, ruleset=None, min_rank: int = 1, office: str = "", date: str = "") -> dict:
    """The letter's content for one readable report; ``min_rank`` 1 lists warnings and errors."""
    meta = result.meta or {}
    unit = meta.get("unit") or "报送单位"          # never the file name: it may say where the office keeps it
    title = meta.get("title") or f"{meta.get('report_year') or ''}年度法治政府建设情况报告".lstrip("年")
    sections, bases, total = [], [], {"error": 0, "warning": 0, "info": 0}
    for n, (_key, label, findings) in enumerate(desk.findings_by_part(result, ruleset, min_rank)):
        items = []
        for f in findings:
            total[f.severity] = total.get(f.severity, 0) + 1
            whole_report = (f.excerpt or "").strip() in (meta.get("title") or "", "")   # anchored on the title
            items.append({"rule": f.rule, "severity": desk.severity_word(f.severity), "message": f.message,
                          "excerpt": "" if whole_report else _one_line(f.excerpt),
                          "where": "全文" if whole_report else desk.location_words(f), "hint": f.hint})
            basis = desk.basis_text(f.basis)
            if basis and basis not in bases:
                bases.append(basis)
        sections.append({"heading": f"{_CHINESE_NUMBERS[n] if n < 10 else n + 1}、{label}", "items": items})
    missing = [label for key, label in desk.PARTS if not (result.elements or {}).get(key)]
    score = f"{result.score:g}" if result.score is not None else "—"
    summary = (f"审查得分 {score} 分；法定要素" + (f"缺少：{'、'.join(missing)}" if missing else "齐全")
               + f"；需修改的问题 {total['error'] + total['warning']} 条（错误 {total['error']} 条，警告 {total['warning']} 条）"
               + (f"，提示 {total['info']} 条" if total["info"] else "") + "。")
    return {
        "heading": "法治政府建设年度报告审查反馈意见",
        "unit": unit,
        "opening": (f"你单位报送的《{title}》已收悉。经对照《法治政府建设与责任落实督察工作规定》关于年度报告内容的要求"
                    "逐项审查，现将审查意见反馈如下，请对照修改完善，并按规定重新公开。"),
        "summary": summary,
        "sections": sections,
        "none": "经审查，未发现需要修改的问题。" if not sections else "",
        "bases": bases,
        "office": office,
        "date": date,
    }


def _one_line(text: str, limit: int = 80) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sentence(text: str) -> str:
    text = (text or "").strip()
    return text if not text or text[-1] in "。！？；.!?" else text + "。"


def _item_text(n: int, item: dict) -> str:
    if item["excerpt"]:
        excerpt = f"原文“{item['excerpt']}”（{item['where']}）。"
    else:
        excerpt = "" if item["where"] == "全文" else f"位置：{item['where']}。"
    return f"{n}. 【{item['severity']}】{_sentence(item['message'])}{excerpt}修改建议：{_sentence(item['hint'])}"


def to_markdown(content: dict) -> str:
    esc = _md_escape
    out = [f"# {content['heading']}", "", f"{esc(content['unit'])}：", "", esc(content["opening"]), "",
           f"**{esc(content['summary'])}**", ""]
    for section in content["sections"]:
        out += [f"## {esc(section['heading'])}", ""]
        out += [esc(_item_text(n, item)) for n, item in enumerate(section["items"], 1)]
        out.append("")
    if content["none"]:
        out += [content["none"], ""]
    if content["bases"]:
        out += ["## 审查依据", ""] + [f"- {esc(b)}" for b in content["bases"]] + [""]
    out += [x for x in (esc(content["office"]), esc(content["date"])) if x]
    return "\n".join(out).rstrip() + "\n"


def _md_escape(text: str) -> str:
    """Report text shown literally in Markdown (no HTML, links or emphasis from a report's words)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]#|])", r"\\\1", text)


def paragraphs(content: dict) -> list:
    """The letter as (kind, text) paragraphs for ``letter_docx.render_docx``."""
    out = [("title", content["heading"]), ("plain", f"{content['unit']}："), ("indent", content["opening"]),
           ("bold", content["summary"])]
    for section in content["sections"]:
        out.append(("bold", section["heading"]))
        out.extend(("indent", _item_text(n, item)) for n, item in enumerate(section["items"], 1))
    if content["none"]:
        out.append(("plain", content["none"]))
    if content["bases"]:
        out.append(("bold", "审查依据"))
        out.extend(("bullet", basis) for basis in content["bases"])
    out.extend(("right", closing) for closing in (content["office"], content["date"]) if closing)
    return out


def to_docx(content: dict) -> bytes:
    from .letter_docx import render_docx

    return render_docx(paragraphs(content), content["office"] or "", content["heading"])


def letter_file_name(result, index: int, suffix: str) -> str:
    """``001_单位.docx``: the position in the batch keeps two reports of one unit apart."""
    unit = re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", desk.unit_name(result)).strip("._") or "报告"
    return f"{index:03d}_{unit[:40]}{suffix}"
