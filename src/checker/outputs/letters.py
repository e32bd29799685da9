"""Feedback letters (反馈意见): one per report, addressed to the unit that wrote it, fit to be signed.

A letter is addressed to the unit the report names (主送机关); when no unit could be found it says
so (``单位未识别``) instead of inventing one, and it names the report by its own title only (a report
without a title is not given one). It lists the fixes grouped by statutory part, errors first, then
warnings, each with what is wrong, where (第12段 / 第3页第14行 / 第N行), what to change, and its basis
beside it. Only a basis checked against its source (``verified: true`` with an article) is cited to
a unit; a rule whose basis is a note (a research finding, an empirical threshold) or an unverified
article gives its reasoning in plain words instead, marked as the reviewer's advice. The hints are
folded into one line unless asked for. Then the score and the missing parts, the office's name
(发文机关署名) and the date (成文日期, today unless given). It never shows the office's file paths.

``letter`` builds the content as plain data; ``letter_docx.render_docx`` (a 公文 after GB/T
9704-2012) and ``to_markdown`` render it.
"""
from __future__ import annotations

import datetime
import re

from . import desk

_CHINESE_NUMBERS = "一二三四五六七八九十"
HEADING = "法治政府建设年度报告审查反馈意见"
UNKNOWN_ADDRESSEE = f"{desk.UNKNOWN_UNIT}（请核对报送单位后填写）"
NO_OFFICE = "（发文机关署名）"

# What a unit is not given as a basis: research findings and the reviewer's own rules of thumb.
_RESEARCH = re.compile(r"明天|社科院|社会科学院|政法大学|CUPL|第三方评估|评估文献|文献|经验(?:规则|值|归纳)|阈值|实践")
# Sentences of a rule's rationale that speak of the tool rather than of the report.
_TECHNICAL = re.compile(r"默认|规则包|本规则|规则|按(?:警告|错误|提示)|作为提示|门槛|匹配方法|jieba|fazhi-lint|不报告|"
                        r"即通过|检查范围|跳过|FZ-[A-Z]\d")
_PARENTHESIS = re.compile(r"（[^（）]*）|\([^()]*\)")
ADVICE = "审查建议，不是法规条文的要求"


def today() -> str:
    """成文日期 as GB/T 9704-2012 writes it: 2025年3月10日."""
    day = datetime.date.today()
    return f"{day.year}年{day.month}月{day.day}日"


def citation(rule) -> str:
    """The verified provisions a rule rests on, as they are cited to a unit; "" when it has none. A
    document marked ``local`` (one province's or city's rule quoted by the national pack) binds only
    there and is never cited to a unit as its basis."""
    if rule is None:
        return ""
    order, articles = [], {}
    for entry in getattr(rule, "citations", ()) or ():
        doc, article = entry.get("doc"), entry.get("article")
        if doc and article and entry.get("verified") is True and not entry.get("local"):
            if doc not in articles:
                order.append(doc)
                articles[doc] = []
            if article not in articles[doc]:
                articles[doc].append(article)
    return "；".join(doc + "、".join(articles[doc]) for doc in order)


def plain_reason(rule) -> str:
    """The reasoning of a rule that has no verified provision, in plain words: the first sentence of
    its rationale that names no research finding and speaks of the report, not of the tool."""
    text = (getattr(rule, "rationale", "") or "").strip()
    for sentence in re.split(r"(?<=[。！？])", text):
        kept = _PARENTHESIS.sub(lambda m: "" if _RESEARCH.search(m.group(0)) or re.search(r"\d{4}", m.group(0))
                                else m.group(0), sentence).strip()
        if kept and len(kept) >= 8 and not _RESEARCH.search(kept) and not _TECHNICAL.search(kept):
            return kept
    return ""


def basis_of(finding, rules) -> dict:
    """``{"cite": …}`` for a rule with a verified provision, else ``{"reason": …}`` (the plain-words
    reasoning, which may be empty) marked as advice."""
    rule = rules.get(finding.rule)
    cited = citation(rule)
    if cited:
        return {"cite": cited}
    return {"reason": plain_reason(rule)}


def letter(result, ruleset=None, min_rank: int = 1, office: str = "", date: str = "") -> dict:
    """The letter's content for one readable report; ``min_rank`` 1 lists warnings and errors (the
    hints are counted in one line), 0 lists the hints too."""
    from ..records import SEVERITY_RANK

    meta = result.meta or {}
    rules = desk.rules_of(ruleset)
    unit = meta.get("unit") or None            # never the file name: it may say where the office keeps it
    title = (meta.get("title") or "").strip()
    year = meta.get("report_year")
    sections, total = [], {"error": 0, "warning": 0, "info": 0}
    for n, (_key, label, findings) in enumerate(desk.findings_by_part(result, ruleset=rules, min_rank=min_rank)):
        items = []
        for f in findings:
            total[f.severity] = total.get(f.severity, 0) + 1
            whole_report = (f.excerpt or "").strip() in (title, "")          # anchored on the title
            items.append({"rule": f.rule, "severity": desk.severity_word(f.severity), "message": f.message,
                          "excerpt": "" if whole_report else _one_line(f.excerpt),
                          "where": "全文" if whole_report else desk.location_words(f), "hint": f.hint,
                          "basis": basis_of(f, rules)})
        sections.append({"heading": f"{_CHINESE_NUMBERS[n] if n < 10 else n + 1}、{label}", "items": items})
    folded = sum(1 for f in desk.shown_findings(result) if SEVERITY_RANK.get(f.severity, 0) < min_rank)
    missing = desk.missing_parts(result, rules)
    score = f"{result.score:g}" if result.score is not None else "—"
    summary = (f"审查得分 {score} 分；法定要素" + (f"缺少：{'、'.join(missing)}" if missing else "齐全")
               + f"；需修改的问题 {total['error'] + total['warning']} 条（错误 {total['error']} 条，警告 {total['warning']} 条）"
               + (f"，提示 {total['info']} 条" if total["info"] else "") + "。")
    named = f"《{title}》" if title else (f"{year}年度法治政府建设情况报告（报告没有标题）" if year
                                          else "法治政府建设年度报告（报告没有标题）")
    return {
        "heading": HEADING,
        "unit": unit,
        "addressee": unit or UNKNOWN_ADDRESSEE,
        "opening": (f"你单位报送的{named}已收悉。经对照《法治政府建设与责任落实督察工作规定》关于年度报告内容的要求"
                    "逐项审查，现将审查意见反馈如下，请对照修改完善，并按规定重新公开。"),
        "summary": summary,
        "sections": sections,
        "folded": (f"另有 {folded} 条提示（不影响合规，供完善报告时参考），未在本意见中列出。" if folded else ""),
        "none": "经审查，未发现需要修改的问题。" if not sections else "",
        "office": office or NO_OFFICE,
        "date": date or today(),
    }


def _one_line(text: str, limit: int = 80) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sentence(text: str) -> str:
    text = (text or "").strip()
    return text if not text or text[-1] in "。！？；.!?" else text + "。"


def basis_words(basis: dict) -> str:
    if basis.get("cite"):
        return f"依据：{_sentence(basis['cite'])}"
    reason = basis.get("reason")
    return f"说明：{reason[:-1] if reason.endswith('。') else reason}（{ADVICE}）。" if reason else f"说明：{ADVICE}。"


def item_text(n: int, item: dict) -> str:
    if item["excerpt"]:
        where = f"原文“{item['excerpt']}”（{item['where']}）。"
    else:
        where = "" if item["where"] == "全文" else f"位置：{item['where']}。"
    return (f"{n}. 【{item['severity']}】{_sentence(item['message'])}{where}修改：{_sentence(item['hint'])}"
            f"{basis_words(item['basis'])}")


def to_markdown(content: dict) -> str:
    esc = _md_escape
    out = [f"# {content['heading']}", "", f"{esc(content['addressee'])}：", "", esc(content["opening"]), "",
           f"**{esc(content['summary'])}**", ""]
    for section in content["sections"]:
        out += [f"## {esc(section['heading'])}", ""]
        out += [esc(item_text(n, item)) for n, item in enumerate(section["items"], 1)]
        out.append("")
    for extra in (content["folded"], content["none"]):
        if extra:
            out += [esc(extra), ""]
    out += [esc(content["office"]), esc(content["date"])]
    return "\n".join(out).rstrip() + "\n"


def _md_escape(text: str) -> str:
    """Report text shown literally in Markdown (no HTML, links or emphasis from a report's words)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]#|])", r"\\\1", text)


def paragraphs(content: dict) -> list:
    """The letter as (kind, text) paragraphs for ``letter_docx.render_docx``."""
    out = [("title", content["heading"]), ("blank", ""), ("addressee", f"{content['addressee']}："),
           ("body", content["opening"]), ("body", content["summary"])]
    for section in content["sections"]:
        out.append(("heading", section["heading"]))
        out.extend(("body", item_text(n, item)) for n, item in enumerate(section["items"], 1))
    out.extend(("body", extra) for extra in (content["folded"], content["none"]) if extra)
    out += [("blank", ""), ("blank", ""), ("signature", content["office"]), ("date", content["date"])]
    return out


def to_docx(content: dict) -> bytes:
    from .letter_docx import render_docx

    return render_docx(paragraphs(content), content["office"] if content["office"] != NO_OFFICE else "",
                       content["heading"])


def letter_file_name(result, index: int, suffix: str) -> str:
    """``001_单位.docx``: the position in the batch keeps two reports of one unit apart."""
    unit = re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", desk.unit_name(result)).strip("._") or "报告"
    return f"{index:03d}_{unit[:40]}{suffix}"
