"""Spans of text: a set of [start, end) spans with a fast overlap test, and the first line of a span."""
from __future__ import annotations

import bisect


class SpanSet:
    """A growing set of [start, end) spans with an overlap test in O(log n)."""

    def __init__(self, spans=()):
        self._starts, self._ends = [], []
        for s, e in sorted(spans):
            self.add(s, e)

    def add(self, start: int, end: int) -> None:
        """Add a span, merging it with the spans it touches (keeps the lists sorted and disjoint)."""
        i = bisect.bisect_left(self._ends, start)
        j = i
        while j < len(self._starts) and self._starts[j] <= end:
            start, end = min(start, self._starts[j]), max(end, self._ends[j])
            j += 1
        self._starts[i:j] = [start]
        self._ends[i:j] = [end]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._ends, start)
        return i < len(self._starts) and self._starts[i] < end


def first_line(text: str, start: int, end: int) -> tuple:
    """(start, end) of the first line of the span [start, end): where a finding about a whole part
    is anchored, so that it points at the part's heading or opening line rather than all of it."""
    line_end = text.find("\n", start, end)
    return start, (line_end if line_end > start else end)
