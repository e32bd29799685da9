"""Dates that bound a rule or a term (``valid_from``, ``valid_until``, ``terms_from``): ``2020-11``,
``2025-11-01`` or ``2021``, read as the first day of that month or year."""
from __future__ import annotations

import datetime
import re

from ..errors import RuleError

_ERA_RE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def parse_era(value, key: str) -> str:
    """``2020-11``, ``2025-11-01`` or ``2021`` -> ISO date (the first day of the month or year)."""
    if value is None or value == "":
        return ""
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    m = _ERA_RE.match(text.strip())
    try:
        if not m:
            raise ValueError
        return datetime.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)).isoformat()
    except ValueError:
        raise RuleError(f"{key} 必须是日期 YYYY-MM 或 YYYY-MM-DD，而不是 {value!r}") from None


def ended_before(year: int, since) -> bool:
    """True when report year ``year`` (to 31 December) ended before the date ``since``."""
    return bool(since) and f"{year}-12-31" < parse_era(since, "date")
