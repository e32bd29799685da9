"""Word's automatic paragraph numbering, rendered as the text a reader of the page sees.

Chinese reports number their parts 一、二、三、 and （一）（二）; when the author used Word's list
numbering instead of typing them, the numbers are not in the paragraph text at all, and without
them the outline would not see the parts. Only the common formats are rendered; any other format
falls back to Arabic digits, which the outline still reads as a numbered heading.
"""
from __future__ import annotations

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一, 105 -> 一百零五 (counting form)."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if not rest else ("零" + _DIGITS[rest] if rest < 10 else chinese_number(rest) if rest >= 20 else "一" + chinese_number(rest))
    return _DIGITS[n // 100 % 10] + "百" + tail if n < 1000 else str(n)


def _letters(n: int, upper: bool) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr((65 if upper else 97) + r) + out
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
               "ideographTraditional", "japaneseCounting", "taiwaneseCounting", "ideographDigital"):
        return chinese_number(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt in ("upperLetter", "lowerLetter"):
        return _letters(n, fmt == "upperLetter")
    if fmt == "none":
        return ""
    return str(n)


class Numbering:
    """Counters per list, advanced paragraph by paragraph in document order."""

    def __init__(self, root):
        self.levels = {}          # abstractNumId -> {ilvl: (fmt, lvlText, start)}
        self.nums = {}            # numId -> abstractNumId
        self.counters = {}        # abstractNumId -> {ilvl: current}
        for abstract in root.iter(W + "abstractNum"):
            levels = {}
            for lvl in abstract.iter(W + "lvl"):
                fmt = lvl.find(W + "numFmt")
                text = lvl.find(W + "lvlText")
                start = lvl.find(W + "start")
                levels[int(lvl.get(W + "ilvl", "0"))] = (
                    fmt.get(W + "val", "decimal") if fmt is not None else "decimal",
                    text.get(W + "val", "") if text is not None else "",
                    int(start.get(W + "val", "1")) if start is not None else 1)
            self.levels[abstract.get(W + "abstractNumId")] = levels
        for num in root.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            if ref is not None:
                self.nums[num.get(W + "numId")] = ref.get(W + "val")

    @classmethod
    def of(cls, document):
        """The numbering of a python-docx Document, or None when it has no numbering part."""
        try:
            part = document.part.numbering_part
        except (NotImplementedError, KeyError, AttributeError):
            return None
        return cls(part.element)

    def label(self, paragraph) -> str:
        """The rendered number of a ``w:p`` with direct ``w:numPr`` ("一、", "（二）"), else ""."""
        num_pr = paragraph.find(f"{W}pPr/{W}numPr")
        if num_pr is None:
            return ""
        num_id = num_pr.find(W + "numId")
        ilvl = num_pr.find(W + "ilvl")
        abstract = self.nums.get(num_id.get(W + "val") if num_id is not None else None)
        levels = self.levels.get(abstract)
        if not levels:
            return ""
        level = int(ilvl.get(W + "val", "0")) if ilvl is not None else 0
        if level not in levels:
            return ""
        counters = self.counters.setdefault(abstract, {})
        counters[level] = counters.get(level, levels[level][2] - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        text = levels[level][1]
        for i in range(level + 1):
            if f"%{i + 1}" in text:
                fmt, _, start = levels.get(i, ("decimal", "", 1))
                text = text.replace(f"%{i + 1}", format_number(counters.get(i, start), fmt))
        return text
