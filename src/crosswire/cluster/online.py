"""Online clustering: each arriving article joins an event, or opens one; events belong to
stories.

Ids derive from the article that opened the cluster, so they stay stable across incremental
runs. The candidate source is abstract so the same logic runs over the SQLite inverted index
today and over other indexes later.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from crosswire.types import Assignment, Representation, Similarity


@dataclass(frozen=True, slots=True)
class Candidate:
    representation: Representation
    assignment: Assignment


class CandidateSource(Protocol):
    def candidates(self, rep: Representation) -> Sequence[Candidate]: ...


@dataclass(frozen=True, slots=True)
class ClusterPolicy:
    event_threshold: float
    story_threshold: float
    event_window_days: float
    # Margin linking (off at 0): below story_threshold, a best match scoring at least margin_floor
    # and margin_ratio times the best match in any other story still joins its story. Across
    # languages absolute scores run low while the right match still stands out.
    margin_floor: float = 0.0
    margin_ratio: float = 0.0


def _day(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def within_window(a: str | None, b: str | None, days: float) -> bool:
    """Unknown dates do not keep two reports apart; known ones must be close."""
    day_a, day_b = _day(a), _day(b)
    if day_a is None or day_b is None:
        return True
    return abs((day_a - day_b).days) <= days


def _clear_margin(
    best: tuple[float, Candidate], scored: Sequence[tuple[float, Candidate]], policy: ClusterPolicy
) -> bool:
    if policy.margin_ratio <= 0 or best[0] < policy.margin_floor:
        return False
    story = best[1].assignment.story_id
    runner_up = max((s for s, c in scored if c.assignment.story_id != story), default=0.0)
    return best[0] >= policy.margin_ratio * runner_up


def assign(
    rep: Representation,
    candidates: Sequence[Candidate],
    policy: ClusterPolicy,
    similarity: Callable[[Representation, Representation], Similarity],
) -> Assignment:
    best: tuple[float, Candidate] | None = None
    best_event: tuple[float, Candidate] | None = None
    scored: list[tuple[float, Candidate]] = []
    for candidate in candidates:
        score = similarity(rep, candidate.representation).score
        scored.append((score, candidate))
        if best is None or score > best[0]:
            best = (score, candidate)
        close = within_window(rep.published, candidate.representation.published, policy.event_window_days)
        if close and (best_event is None or score > best_event[0]):
            best_event = (score, candidate)
    if best_event and best_event[0] >= policy.event_threshold:
        joined = best_event[1].assignment
        return Assignment(rep.article_id, joined.event_id, joined.story_id, best_event[0])
    if best and (best[0] >= policy.story_threshold or _clear_margin(best, scored, policy)):
        return Assignment(rep.article_id, f"e-{rep.article_id}", best[1].assignment.story_id, best[0])
    return Assignment(rep.article_id, f"e-{rep.article_id}", f"s-{rep.article_id}", 0.0)
