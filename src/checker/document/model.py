"""The Document: a report as text as given, its matching view, and what the outline found in it."""
from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field
from typing import Optional

from ..records import ELEMENTS
from .normalise import NormalisedText

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Part:
    """A part of the report body: a headed section or an unheaded closing paragraph run.

    ``start``/``end`` are offsets into the normalised text; ``heading_end`` marks where the
    heading text stops (equal to ``start`` for unheaded parts).
    """

    elements: frozenset
    level: int                 # 1 for 一、 parts, 2 for （一） sub-parts, 0 for preamble/unheaded
    title: str                 # heading text (normalised); "" when unheaded
    start: int
    heading_end: int
    end: int
    first_line: int            # 0-based line index
    unheaded: bool = False


@dataclass(frozen=True)
class Outline:
    """What the outline found in a report (``outline.build_outline``): a value a Document holds."""

    parts: tuple = ()                  # level-1 parts and unheaded parts, in order
    subparts: tuple = ()               # level-2 parts
    causes_spans: tuple = ()           # normalised spans of the cause analysis
    frp_form: str = "none"             # "section" | "mention" | "none"
    frp_mention: Optional[tuple] = None  # normalised span of the first mention
    frp_mentions: tuple = ()           # starts of every mention in the first mention's part (the first included)
    plan_year: Optional[int] = None


@dataclass(frozen=True)
class Meta:
    title: Optional[str] = None
    unit: Optional[str] = None
    report_year: Optional[int] = None
    published: Optional[str] = None            # ISO date
    published_source: Optional[str] = None     # which field or the closing signature
    encoding: str = "utf-8"
    script: str = "simplified"
    title_line: Optional[int] = None           # 0-based; the last line of a title set on two lines
    subject: Optional[str] = None              # government | department | town | zone | other
    signed: Optional[str] = None               # ISO date of the closing signature
    sources: dict = field(default_factory=dict)        # meta field -> where its value was read
    year_evidence: tuple = ()                  # ((source, year, what was read), ...)
    year_conflict: bool = False                # the evidence disagrees and no title settles it
    title_first_line: Optional[int] = None     # 0-based first line of the title (= title_line on one line)

    def to_json(self) -> dict:
        return {"title": self.title, "unit": self.unit, "report_year": self.report_year,
                "published": self.published, "subject": self.subject, "signed": self.signed,
                "encoding": self.encoding, "script": self.script, "sources": dict(self.sources),
                "year_evidence": [{"source": s, "year": y, "text": t} for s, y, t in self.year_evidence],
                "year_conflict": self.year_conflict}


@dataclass(frozen=True, eq=False)
class Document:
    """A report read and analysed: a value. ``with_outline`` / ``with_companions`` / ``with_meta``
    return new Documents; the caches below (init=False) belong to one Document and start empty in
    each new one, so nothing derived from an old outline or year can leak into a new one."""

    path: str
    original: str
    encoding: str
    norm: NormalisedText
    line_spans: tuple                           # normalised (start, end) per line, without "\n"
    chrome_lines: frozenset = frozenset()
    chrome_blocks: tuple = ()                   # ((first_line, last_line), ...) 0-based
    header_end_line: int = 0                    # first line of the body
    meta: Meta = field(default_factory=Meta)
    outline: Outline = field(default_factory=Outline)
    # Other reports this one is read against (compare/): {"previous": Document, "peers": PeerIndex}
    companions: dict = field(default_factory=dict)
    reading: Optional[object] = None            # checker.readers.Reading: places in a .docx/.pdf/…
    vocabulary: Optional[object] = None         # document.vocabulary.Vocabulary: the rule pack's words
    _memo: dict = field(default_factory=dict, init=False, repr=False)

    def with_outline(self, outline: Outline) -> "Document":
        return dataclasses.replace(self, outline=outline)

    def with_meta(self, meta: Meta) -> "Document":
        return dataclasses.replace(self, meta=meta)

    def with_companions(self, **companions) -> "Document":
        """This report read against ``companions`` (``previous=`` last year's Document, ``peers=`` a
        ``compare.companions.PeerIndex``); the ones given replace those of the same name."""
        return dataclasses.replace(self, companions={**self.companions, **companions})

    def _cached(self, name: str, build):
        if name not in self._memo:
            self._memo[name] = build()
        return self._memo[name]

    parts = property(lambda self: self.outline.parts)
    subparts = property(lambda self: self.outline.subparts)
    causes_spans = property(lambda self: self.outline.causes_spans)
    frp_form = property(lambda self: self.outline.frp_form)
    frp_mention = property(lambda self: self.outline.frp_mention)
    plan_year = property(lambda self: self.outline.plan_year)

    # ------------------------------------------------------------------ facts
    @property
    def facts(self) -> list:
        """The quantified facts (``checker.facts.FoundFact``), read once on first use."""
        from .facts import extract_facts

        return self._cached("facts", lambda: extract_facts(self))

    # ------------------------------------------------------------------ text access
    @property
    def text(self) -> str:
        """The normalised matching view."""
        return self.norm.text

    def line_text(self, index: int) -> str:
        start, end = self.line_spans[index]
        return self.norm.text[start:end]

    def line_of_offset(self, offset: int) -> int:
        """0-based line index of a normalised offset."""
        starts = self._cached("norm_line_starts", lambda: [start for start, _ in self.line_spans])
        return max(0, bisect.bisect_right(starts, offset) - 1)

    # ------------------------------------------------------------------ positions
    def _line_starts(self) -> list:
        return self._cached("orig_line_starts",
                            lambda: [0] + [m.end() for m in _LINE_BREAK.finditer(self.original)])

    def position(self, orig_offset: int) -> tuple:
        """1-based (line, column) of an offset into the original text."""
        starts = self._line_starts()
        i = bisect.bisect_right(starts, orig_offset) - 1
        return i + 1, orig_offset - starts[i] + 1

    def locate(self, start: int, end: int, view: str = "normalised") -> dict:
        """Line/column range and excerpt (from the original text) of a span in ``view``."""
        if view == "normalised":
            o_start, o_end = self.norm.offsets.span_to_original(start, end)
        else:
            o_start, o_end = start, end
        line, column = self.position(o_start)
        end_line, end_column = self.position(max(o_start, o_end))
        excerpt = self.original[o_start:o_end]
        first_line = _LINE_BREAK.search(excerpt)
        if first_line:                       # the excerpt quotes the first line of a longer span
            excerpt = excerpt[:first_line.start()] + "…"
        if len(excerpt) > 80:
            excerpt = excerpt[:78] + "…"
        where = {"line": line, "column": column, "end_line": end_line, "end_column": end_column,
                 "excerpt": excerpt}
        if self.reading is not None and self.reading.locations:
            where["location"] = self.reading.location_at(o_start)
        return where

    # ------------------------------------------------------------------ scopes
    def element_spans(self, element: str) -> list:
        if element == "causes":
            return list(self.causes_spans)
        spans = [(p.start, p.end) for p in self.parts if element in p.elements]
        spans += [(p.start, p.end) for p in self.subparts if element in p.elements]
        return _merge(spans)

    def scope_spans(self, scope: str) -> list:
        """Normalised spans a rule with this scope looks at (chrome is never part of the body).

        Computed once per scope: the outline does not change after the document is built."""
        return list(self._cached(("scope", scope), lambda: tuple(self._compute_scope(scope))))

    def _compute_scope(self, scope: str) -> list:
        if scope in ("report", "body"):
            return self._body_segments()
        if scope == "all":
            return [(0, len(self.norm.text))]
        if scope == "title":
            if self.meta.title_line is None:
                return []
            first = self.meta.title_first_line if self.meta.title_first_line is not None else self.meta.title_line
            return [(self.line_spans[first][0], self.line_spans[self.meta.title_line][1])]
        if scope == "chrome":
            return [(self.line_spans[a][0], self.line_spans[b][1]) for a, b in self.chrome_blocks]
        if scope == "headings":
            return [(p.start, p.heading_end) for p in (*self.parts, *self.subparts) if not p.unheaded]
        if scope in ELEMENTS:
            return self.element_spans(scope)
        if scope == "preamble":
            return [(p.start, p.end) for p in self.parts if "preamble" in p.elements]
        if scope == "review":
            return _subtract(self._body_segments(), self.element_spans("next_year_plan"))
        if scope == "frp_text":
            return self.frp_text_spans()
        raise KeyError(scope)

    def frp_text_spans(self) -> list:
        """Where the first-responsible-person duties are written: the dedicated part(s), else the
        sub-part (or, without one, the line) holding the first mention, and those holding the other
        mentions in the same part (the 书记's duties in one paragraph, the 县长's in the next); [] when
        not reported."""
        if self.frp_form == "section":
            return self.element_spans("first_responsible_person")
        if self.frp_form != "mention" or self.frp_mention is None:
            return []
        spans = []
        for at in self.outline.frp_mentions or (self.frp_mention[0],):
            holder = [p for p in self.subparts if p.start <= at < p.end]
            span = (holder[0].start, holder[0].end) if holder else self.line_spans[self.line_of_offset(at)]
            if span not in spans:
                spans.append(span)
        return spans

    def _body_segments(self) -> list:
        return list(self._cached("body", self._body_spans))

    def _body_spans(self) -> tuple:
        spans, current = [], None
        for i, (start, end) in enumerate(self.line_spans):
            if i in self.chrome_lines:
                if current:
                    spans.append(current)
                    current = None
                continue
            current = (current[0], end) if current else (start, end)
        if current:
            spans.append(current)
        return tuple(spans)

    def elements_summary(self) -> dict:
        return {
            "measures_and_results": bool(self.element_spans("measures_and_results")),
            "shortcomings": bool(self.element_spans("shortcomings")),
            "causes": bool(self.causes_spans),
            "first_responsible_person": self.frp_form,
            "next_year_plan": bool(self.element_spans("next_year_plan")),
            "next_year_plan_year": self.plan_year,
        }


def _subtract(spans: list, holes: list) -> list:
    """The parts of ``spans`` not covered by ``holes``."""
    out = []
    for start, end in spans:
        cur = start
        for h_start, h_end in sorted(holes):
            if h_end <= cur or h_start >= end:
                continue
            if h_start > cur:
                out.append((cur, h_start))
            cur = max(cur, h_end)
        if cur < end:
            out.append((cur, end))
    return out


def _merge(spans: list) -> list:
    out = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
