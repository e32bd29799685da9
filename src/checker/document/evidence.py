"""Who reports and for which year, from all the evidence a report carries.

A report often lacks a title, or its opening mentions an earlier year ("2018年，在全市考评中名列
第二"). One guess must not cascade into several findings, so the report year is weighed from
independent pieces of evidence: the title, the "现将…年…报告如下" sentence, the year the work part
mostly names, the next-year plan's year, the signature date and the page's publish date. Each
piece is kept (``Meta.year_evidence``) so a finding can name it, and the chosen value records
its source. A title's year settles the matter; without one, when the pieces disagree,
``Meta.year_conflict`` is set: one rule reports the disagreement and the rules that need the year
stand aside.

The reporting subject (县级以上人民政府, 政府部门, 乡镇·街道, 开发区·园区, other) is read from the unit's
name: the organisational word it ends with decides (区政府办公室 is a department, 马喇镇人民政府 a town);
the words are the rule pack's (its policy's ``subjects``).
"""
from __future__ import annotations

import re
from collections import Counter

from .meta import closing_lines, parse_date, years_in

# Weights of the independent pieces of evidence for the report year.
WEIGHTS = {"标题": 10, "报告如下": 4, "下一年度安排": 3, "工作情况": 3, "落款日期": 2, "发布日期": 1}
_REPORTED = re.compile(r"现将[^。\n]{0,30}?(20\d\d)\s*年度?[^。\n]{0,40}?(?:报告|汇报)如下")
# The lookahead names the characters a match starts with, so re skips the others quickly.
_COMPARISON = re.compile(r"(?=[较比与同相对截2])(?:(?:较|比|与|同|相比|对比|截至|截止)\s*20\d\d\s*年度?|20\d\d\s*年(?:以来|底前|前))")
_UNIT_LINE = re.compile(
    r"^[\u4e00-\u9fff（）()·]{2,40}?(?:人民政府|政府|办公室|办公厅|管理委员会|管委会|委员会|街道办事处|局|委|办|中心|厅|院|署)$")
_SENTENCE = re.compile(r"[。；;，,：:！!？?]")


def signature(lines, chrome_lines, body_last):
    """(unit, ISO date, line of the unit) of the closing signature among the last body lines."""
    unit = date = where = None
    for seen, (i, text) in enumerate(closing_lines(lines, chrome_lines, body_last), 1):
        if len(text) <= 24 and date is None:
            date = parse_date(text)
            if date:
                continue
        if len(text) <= 40 and unit is None and not _SENTENCE.search(text) and _UNIT_LINE.match(text):
            unit, where = text, i
        if seen >= 4:
            break
    return unit, date, where


# Where a unit's name was read, most trusted first: the title names the unit that reports; the line
# above a "关于…" title is the title's first line; the signature and the page's 发布机构 field
# name the unit that signed or published it, which may be the office that drafted it.
UNIT_SOURCES = ("标题", "标题上方一行", "落款", "网页发布机构")
_PLACE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,12}?(?:省|自治区|市|自治州|州|盟|地区|区|县|自治县|旗|新区)$")
_PLACE_END = re.compile(r"(?:镇|乡|街道|区|县|市|旗|苏木)$")
_BODY_SUFFIX = ("人民政府", "政府", "办事处", "街道办事处", "管理委员会", "管委会")


_SHORT_FORMS = (("管委会", "管理委员会"), ("高新区", "高新技术产业开发区"), ("经开区", "经济技术开发区"))
# a 街道办事处 is the 派出机关 of its district's government: 云溪区桂花街道办事处 is 云溪区人民政府桂花街道办事处
_AGENCY_OF = re.compile(r"(?<=[区县市旗])人民政府(?=[\u4e00-\u9fff]{2,12}办事处$)")


def fuller_name(short: str, long: str):
    """``long`` completed from ``short`` when they name the same unit and ``long`` is the fuller form,
    else None. Only a place before the name (琼北市 + 海湾区退役军人事务局), after a bare place name its
    government body (塔布敖包镇 + 人民政府; the title's 德溪县梅洋镇 and the signature's 梅洋镇人民政府 make
    德溪县梅洋镇人民政府), a short form written out (管委会 → 管理委员会, 高新区 → 高新技术产业开发区) and, for a
    街道办事处, the government it is the agency of (云溪区桂花街道办事处 → 重庆市云溪区人民政府桂花街道办事处) may be
    added: 某县人民政府办公室 is another unit than 某县人民政府."""
    if not short or not long or short == long:
        return None
    written_out = short
    for brief, full in _SHORT_FORMS:
        if short.replace(brief, full) == long:
            return long
        written_out = written_out.replace(brief, full)
    if written_out == long:
        return long
    if written_out != short:
        return long if fuller_name(written_out, long) else None
    bare = _AGENCY_OF.sub("", long, count=1)
    if bare != long and (bare == short or fuller_name(short, bare)):
        return long
    if short in long:
        before, _, after = long.partition(short)
        if (not before or _PLACE_PREFIX.match(before)) and (
                not after or (after in _BODY_SUFFIX and _PLACE_END.search(short))):
            return long
        return None
    body = next((b for b in sorted(_BODY_SUFFIX, key=len, reverse=True) if long.endswith(b)), None)
    place = long[: -len(body)] if body else ""
    if body and len(place) >= 2 and short.endswith(place) and _PLACE_END.search(short) \
            and _PLACE_PREFIX.match(short[: -len(place)] or "区"):
        return short + body
    return None


def settle_unit(candidates):
    """(unit, source) from ``[(source, name)]`` (sources of ``UNIT_SOURCES``): the most trusted name;
    where another source names the same unit in full, that fuller name, with both sources."""
    found = [(source, re.sub(r"\s+", "", name)) for source, name in candidates if name and name.strip()]
    if not found:
        return None, None
    found.sort(key=lambda c: UNIT_SOURCES.index(c[0]) if c[0] in UNIT_SOURCES else len(UNIT_SOURCES))
    source, unit = found[0]
    sources = [source]
    for other_source, other in found[1:]:
        fuller = fuller_name(unit, other)
        if fuller:
            unit = fuller
            sources.append(other_source)
        elif other == unit and other_source not in sources:
            sources.append(other_source)
    return unit, "、".join(sources)


def subject_of(*names, vocabulary=None):
    """(subject, the name it was read from) from the first name that tells: the unit, the title.
    The words of each category are the rule pack's (``vocabulary.subjects``, see document/vocabulary.py;
    the national pack's when None)."""
    if vocabulary is None:
        from .vocabulary import default_vocabulary

        vocabulary = default_vocabulary()
    words = vocabulary.subjects
    for name in names:
        if not name:
            continue
        name = re.sub(r"\s+", "", name)
        head = re.split(r"关于|20\d\d\s*年", name, maxsplit=1)[0] or name
        if words["joint"].search(head):
            return "government", name
        if words["zone_body"].search(head) and (words["zone_words"].search(head) or head.endswith("管委会")):
            return "zone", name
        if words["town"].search(head):
            return "town", name
        if words["government"].search(head):
            return "government", name
        if words["department"].search(head):
            return "department", name
        if words["zone_words"].search(head):
            return "zone", name
        if words["place"].match(head):
            return "government", name
    return None, None


def _year_of_date(iso):
    """The report year a date suggests: January–June -> previous year, October–December -> same."""
    if not iso:
        return None
    year, month = int(iso[:4]), int(iso[5:7])
    if month <= 6:
        return year - 1
    if month >= 10:
        return year
    return None


def _dominant(text):
    counts = Counter(years_in(_COMPARISON.sub(" ", text)))
    if not counts:
        return None
    ranked = counts.most_common(2)
    top, n = ranked[0]
    if n < 2 or (len(ranked) > 1 and ranked[1][1] * 2 > n):
        return None
    return top


def year_evidence(doc, title_year, signed, published, published_source):
    """[(source, year, what was read)] for every piece of evidence the report carries."""
    found = []
    if title_year:
        found.append(("标题", title_year, f"标题写{title_year}年"))
    body = "\n".join(doc.text[s:e] for s, e in doc.scope_spans("report"))
    m = _REPORTED.search(body)
    if m:
        found.append(("报告如下", int(m.group(1)), f"“现将{m.group(1)}年…报告如下”"))
    measures = "\n".join(doc.text[s:e] for s, e in doc.element_spans("measures_and_results"))
    top = _dominant(measures)
    if top:
        found.append(("工作情况", top, f"工作情况主要写{top}年"))
    if doc.plan_year:
        found.append(("下一年度安排", doc.plan_year - 1, f"下一年度安排写{doc.plan_year}年"))
    year = _year_of_date(signed)
    if year:
        found.append(("落款日期", year, f"落款日期{signed}"))
    if published and published_source != "落款":
        year = _year_of_date(published)
        if year:
            found.append(("发布日期", year, f"{published_source or '发布日期'}{published}"))
    return found


def settle_year(evidence):
    """(year, source, conflict) from the weighed evidence.

    A title's year settles it: the report says which year it reports, and a plan or a date that
    disagrees is the defect the year rules name (FZ-N01, FZ-T01, FZ-T02). Without a title the
    heaviest year wins; when it does not weigh at least 1.5 times the next, the evidence conflicts
    (two agreeing pieces outweigh one: body and signature against the plan settle it)."""
    if not evidence:
        return None, None, False
    titled = next((year for source, year, _ in evidence if source == "标题"), None)
    if titled is not None:
        return titled, "标题", False
    weight = Counter()
    for source, year, _ in evidence:
        weight[year] += WEIGHTS[source]
    ranked = weight.most_common()
    top, w = ranked[0]
    conflict = len(ranked) > 1 and w < 1.5 * ranked[1][1]
    sources = "、".join(source for source, year, _ in evidence if year == top)
    return top, sources, conflict
