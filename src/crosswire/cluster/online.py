"""Online clustering: each arriving article joins an event, or opens one; events belong to
stories.

Ids derive from the article that opened the cluster, so they stay stable across incremental
runs. An article that clears the story threshold against members of several stories joins them
into one (single linkage: the order articles arrive in then matters less); the largest story
keeps its id and the merge is recorded. The candidate source is abstract so the same logic runs
over the SQLite inverted index today and over other indexes later.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, Protocol, TypeVar

from crosswire.represent.compact import CompactRepresentation
from crosswire.types import Assignment, Representation, Similarity

# Either kind of representation, one kind per run: place() needs only its date, and whoever
# scores candidates gets back the kind it filed.
Rep = TypeVar("Rep", Representation, CompactRepresentation)


@dataclass(frozen=True, slots=True)
class Candidate(Generic[Rep]):
    representation: Rep
    assignment: Assignment


class CandidateSource(Protocol):
    def candidates(self, rep: Representation) -> Sequence[Candidate[Representation]]: ...


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
    # Without a date on both sides, time cannot confirm one happening: content must say more.
    undated_event_threshold: float = 0.0
    # An article joins two stories into one only when it matches a member of each this well:
    # at the story threshold, chains of loosely related reports grow into one giant story.
    merge_threshold: float = 1.0


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


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an article goes, and the stories it joins into the one it goes to."""

    assignment: Assignment
    absorbed: tuple[str, ...] = ()


def _clear_margin(
    best: tuple[float, Candidate[Rep]], scored: Sequence[tuple[float, Candidate[Rep]]], policy: ClusterPolicy
) -> bool:
    if policy.margin_ratio <= 0 or best[0] < policy.margin_floor:
        return False
    story = best[1].assignment.story_id
    runner_up = max((s for s, c in scored if c.assignment.story_id != story), default=0.0)
    return best[0] >= policy.margin_ratio * runner_up


def assign(
    rep: Representation,
    candidates: Sequence[Candidate[Representation]],
    policy: ClusterPolicy,
    similarity: Callable[[Representation, Representation], Similarity],
    story_size: Callable[[Sequence[str]], dict[str, int]] | None = None,
) -> Placement:
    """``place`` with each candidate scored by ``similarity``."""
    scores = [similarity(rep, candidate.representation).score for candidate in candidates]
    return place(rep.article_id, rep.published, candidates, scores, policy, story_size)


def place(
    article_id: str,
    published: str | None,
    candidates: Sequence[Candidate[Rep]],
    scores: Sequence[float],
    policy: ClusterPolicy,
    story_size: Callable[[Sequence[str]], dict[str, int]] | None = None,
) -> Placement:
    """Place an article among ``candidates`` (scored ``scores``, in the same order).
    ``story_size`` (story id -> members) picks which of several linked stories keeps its id;
    without it the best match's story does."""
    best: tuple[float, Candidate[Rep]] | None = None
    best_event: tuple[float, Candidate[Rep]] | None = None
    scored: list[tuple[float, Candidate[Rep]]] = []
    undated = _day(published) is None
    for candidate, score in zip(candidates, scores, strict=True):
        other = candidate.representation
        scored.append((score, candidate))
        if best is None or score > best[0]:
            best = (score, candidate)
        close = within_window(published, other.published, policy.event_window_days)
        threshold = (
            max(policy.event_threshold, policy.undated_event_threshold)
            if undated or _day(other.published) is None
            else policy.event_threshold
        )
        if close and score >= threshold and (best_event is None or score > best_event[0]):
            best_event = (score, candidate)
    if best is None:
        return Placement(Assignment(article_id, f"e-{article_id}", f"s-{article_id}", 0.0))
    linked = {c.assignment.story_id for s, c in scored if s >= max(policy.story_threshold, policy.merge_threshold)}
    if best_event is not None:
        event_id, story_id, score = best_event[1].assignment.event_id, best_event[1].assignment.story_id, best_event[0]
    elif best[0] >= policy.story_threshold or _clear_margin(best, scored, policy):
        event_id, story_id, score = f"e-{article_id}", best[1].assignment.story_id, best[0]
    else:
        return Placement(Assignment(article_id, f"e-{article_id}", f"s-{article_id}", 0.0))
    linked.add(story_id)
    if len(linked) > 1 and story_size is not None:
        sizes = story_size(sorted(linked))
        story_id = max(sorted(linked), key=lambda s: (sizes.get(s, 0), s == story_id))
    absorbed = tuple(sorted(linked - {story_id}))
    return Placement(Assignment(article_id, event_id, story_id, score), absorbed)
