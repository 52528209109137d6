"""The story page's "How outlets covered it": the framing view (crosswire.service.framing) with
the user's outlets file joined, and the geometry of its coverage-over-time chart (an inline SVG
drawn by the template from numbers only; every label goes through autoescape)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Request

from crosswire.outlets import OutletsFileError, load_outlets
from crosswire.service.framing import Framing, story_framing
from crosswire.store.base import Store
from crosswire.types import StorySummary
from crosswire.web.memo import remembered

CHART_WIDTH = 320  # viewBox units; the SVG scales to the column, 360 px phones included
CHART_HEIGHT = 120
MAX_DAYS = 60  # the latest days drawn; earlier ones are summed into the first bar's note


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: str
    articles: int
    languages: str  # "uk 3, ru 1": the bar's tooltip


@dataclass(frozen=True, slots=True)
class Chart:
    bars: tuple[Bar, ...]
    first_day: str
    last_day: str
    peak: int
    earlier: int  # articles on days before those drawn


def chart(framing: Framing) -> Chart | None:
    """Bars of articles per day, the latest ``MAX_DAYS`` days with articles."""
    days = framing.days[-MAX_DAYS:]
    if not days:
        return None
    earlier = sum(n for _, counts in framing.days[:-MAX_DAYS] for _, n in counts) if len(framing.days) > MAX_DAYS else 0
    totals = [sum(n for _, n in counts) for _, counts in days]
    peak = max(totals)
    step = CHART_WIDTH / len(days)
    bars = tuple(
        Bar(
            round(i * step + step * 0.1, 2),
            round(CHART_HEIGHT - CHART_HEIGHT * total / peak, 2),
            round(step * 0.8, 2),
            round(CHART_HEIGHT * total / peak, 2),
            day,
            total,
            ", ".join(f"{lang} {n}" for lang, n in counts),
        )
        for i, ((day, counts), total) in enumerate(zip(days, totals, strict=True))
    )
    return Chart(bars, days[0][0], days[-1][0], peak, earlier)


def framing_context(request: Request, store: Store, story: StorySummary) -> dict[str, object]:
    """What ``_framing.html`` needs. A broken outlets file does not break the page: the view is
    shown without it, with the file's error."""
    outlets_file = request.app.state.web.settings.outlets_file
    try:
        outlets, problem = load_outlets(outlets_file), None
    except OutletsFileError as err:
        outlets, problem = {}, str(err)
    framing = remembered(
        store, story, ("framing", outlets_file, _changed(outlets_file)), lambda: story_framing(store, story.id, outlets)
    )
    return {
        "framing": framing,
        "framing_chart": chart(framing),
        "framing_countries": [(country or "not listed", n) for country, n in framing.by_country],
        "outlets_problem": problem,
    }


def _changed(path: str | None) -> int | None:
    """When the outlets file last changed (None: no file, or none set)."""
    try:
        return Path(path).stat().st_mtime_ns if path and path.strip() else None
    except OSError:
        return None
