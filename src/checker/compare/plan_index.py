"""How ``plans.follow_up`` finds, for each item of last year's plan, the sentences of this year's
report worth scoring, without scoring every sentence for every item (which made ``compare``
quadratic in the size of the pair: 151 KB pairs took 18 s, 604 KB 193 s).

A sentence can score for an item only when its text holds terms of at least two of the item's term
groups (or of the item's most telling group, which may stand alone, or of its only group). Those
sentences are found through an index of character pairs: each term is looked up once per pair of
reports, at the cost of the sentences sharing its rarest pair. Within a sentence only the groups
whose terms it holds are matched. The scores are computed exactly as before (tests compare the
verdicts), so only the work changes.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Terms:
    """An item's term groups as every sentence is matched against them: by weight, most telling
    first (each with its full weight and its synonyms that are not the item's own words)."""

    ordered: tuple
    groups_of: dict      # term -> numbers of the groups in ``ordered`` it can be found for

    @classmethod
    def of(cls, groups, wide, weight):
        own = set().union(*groups)
        ordered = tuple((g, max(map(weight, g)) or 1.0, frozenset(wide[g] - g - own))
                        for g in sorted(groups, key=lambda g: -max(map(weight, g))))
        groups_of = {}
        for n, (g, _, extra) in enumerate(ordered):
            for t in g | extra:
                groups_of.setdefault(t, set()).add(n)
        return cls(ordered, groups_of)

    def active(self, present) -> list:
        """The groups (in order) a sentence holding the terms ``present`` can match: no other group
        can be found in it, so the others are not looked at."""
        numbers = set()
        for t in present:
            numbers |= self.groups_of.get(t, set())
        return [self.ordered[n] for n in sorted(numbers)]


class Occurrences:
    """The sentences holding each term (memoised) and, per item, the sentences that can score."""

    def __init__(self, texts):
        self.texts = texts
        self.pairs = {}
        for k, text in enumerate(texts):
            for pair in {text[i:i + 2] for i in range(len(text) - 1)}:
                self.pairs.setdefault(pair, []).append(k)
        self.found = {}

    def having(self, term: str) -> frozenset:
        known = self.found.get(term)
        if known is None:
            if len(term) < 2:
                pool = range(len(self.texts))
            else:
                pool = min((self.pairs.get(term[i:i + 2], ()) for i in range(len(term) - 1)), key=len)
            known = self.found[term] = frozenset(k for k in pool if term in self.texts[k])
        return known

    def candidates(self, groups, wide, top) -> list:
        """(sentence number, the item's terms its text holds), in order, for the sentences that may
        score for an item with term ``groups``."""
        present, count = {}, {}
        for g in groups:
            seen = set()
            for t in wide[g]:
                for k in self.having(t):
                    present.setdefault(k, set()).add(t)
                    seen.add(k)
            for k in seen:
                count[k] = count.get(k, 0) + (1 if g != top else 2)     # the top group may stand alone
        need = min(2, len(groups))
        return [(k, present[k]) for k in sorted(count) if count[k] >= need]
