"""The companions a report is read against: last year's report of the same unit (``--previous``)
and the other reports of the batch (``--copies``).

Nothing here evaluates a rule. The run pairs each report with last year's through a
``PreviousIndex`` and attaches it (``Document.with_companions(previous=…)``), and gives every report
the batch's ``copy_index.PeerIndex`` (``peers=…``); the comparing rules (FZ-Y…) then go through the
engine like every other rule (subjects, eras, conditions, caps, message context).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Optional

COMPANION_NAMES = ("previous", "peers")


def unit_key(unit) -> str:
    return re.sub(r"\s+", "", unit or "")


def name_key(path) -> str:
    """A file's name without folder, extension, digits and separators: 2023/hedong.docx and
    2024年/hedong-2024.txt are the same unit's reports filed the same way."""
    stem = os.path.splitext(os.path.basename(str(path)))[0]
    return re.sub(r"[\d\s_\-.年度（）()]+", "", stem)


@dataclass(frozen=True)
class Described:
    """What pairing needs of one report: where it is, its unit and year (and, for ``--copies``, its sketch)."""

    item: object                      # checker.inputs.Input
    unit: Optional[str]
    year: Optional[int]
    sketch: object = None             # copy_index.ReportSketch

    @property
    def display(self) -> str:
        return getattr(self.item, "display", self.item)


@dataclass
class PreviousIndex:
    """Last year's reports of a folder, by (unit, report year), and by file name as a fallback."""

    by_key: dict = field(default_factory=dict)
    by_name: dict = field(default_factory=dict)       # name_key -> [Described]
    problems: list = field(default_factory=list)

    def find(self, unit, year, path=None) -> Optional[Described]:
        """Last year's report of the same unit: same unit name, the year before; else the one
        report filed under the same name (digits aside) that is not known to be of another year.
        Never the report itself."""
        found = None
        if unit and year and (unit_key(unit), year - 1) in self.by_key:
            found = self.by_key[(unit_key(unit), year - 1)]
        else:
            same_name = [d for d in self.by_name.get(name_key(path), ()) if path is not None and
                         (not year or not d.year or d.year == year - 1)]
            found = same_name[0] if len(same_name) == 1 and name_key(path) else None
        if found is not None and path is not None and _same_file(found.display, path):
            return None
        return found

    def reports(self) -> list:
        return [d for described in self.by_name.values() for d in described]


def _same_file(a, b) -> bool:
    return os.path.abspath(str(a)) == os.path.abspath(str(b))


def index_previous(described, problems=()) -> PreviousIndex:
    """The PreviousIndex of last year's reports (``Described`` values; ``problems``: those not read)."""
    index = PreviousIndex(problems=list(problems))
    for d in described:
        index.by_name.setdefault(name_key(d.display), []).append(d)
        if d.unit and d.year:
            index.by_key.setdefault((unit_key(d.unit), d.year), d)
    return index
