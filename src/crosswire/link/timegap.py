"""How much a gap between publication dates lowers a similarity: not at all within a few days,
then growing with the logarithm of the gap, to ``depth`` at a year and beyond (two reports a day
apart are closer than two on one topic months apart, but a story can run for months)."""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache

_YEAR_DAYS = 365.0


@lru_cache(maxsize=65_536)
def _day(published: str) -> date | None:
    """The day of an ISO date or datetime at any precision ('2022', '2022-02', '2022-02-15T10:00')."""
    parts = published[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


def gap_days(a: str | None, b: str | None) -> float | None:
    """Days between two publication dates, None when either is missing or unreadable."""
    if not a or not b:
        return None
    day_a, day_b = _day(a), _day(b)
    if day_a is None or day_b is None:
        return None
    return abs((day_a - day_b).days)


def time_factor(gap: float | None, grace: float, scale: float, depth: float) -> float:
    """Multiplier in [1 - depth, 1] for a gap of ``gap`` days."""
    if gap is None or gap <= grace:
        return 1.0
    share = math.log1p((gap - grace) / scale) / math.log1p((_YEAR_DAYS - grace) / scale)
    return 1.0 - depth * min(1.0, share)
