"""Online clustering: each arriving article joins an event, or opens one; events belong to
stories.

Decisions are by cluster, not by the single closest article: an article's match with an event or
a story is the mean of its best few scores against the cluster's members (``_support``), so a
story grows only with articles that resemble several of its members, never along a chain of
loosely related reports. Ids derive from the article that opened the cluster, so they stay
stable across incremental runs. An article that matches two stories as a whole at the merge
threshold joins them into one; the largest keeps its id and the merge is recorded. The
candidate source is abstract so the same logic runs over any index.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Generic, Protocol, TypeVar

from crosswire.represent.compact import CompactRepresentation
from crosswire.types import Assignment, Representation, Similarity


@dataclass(frozen=True, slots=True)
class Dated:
    """An article as placing needs it when its scores were computed ahead (crosswire.cluster.plan)."""

    article_id: str
    published: str | None


# Either kind of representation, one kind per run: place() needs only its date, and whoever
# scores candidates gets back the kind it filed.
Rep = TypeVar("Rep", Representation, CompactRepresentation, Dated)


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
    # A cluster's match is the mean of the article's best ``support`` scores against its members
    # (``_support``): 1 is single linkage.
    support: int = 3


@lru_cache(maxsize=65_536)  # every candidate's date is read again for each article it meets
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


def _clear_margin(best: tuple[float, str], supports: dict[str, float], policy: ClusterPolicy) -> bool:
    if policy.margin_ratio <= 0 or best[0] < policy.margin_floor:
        return False
    runner_up = max((support for story, support in supports.items() if story != best[1]), default=0.0)
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


def _support(found: Sequence[float], members: int, k: int) -> float:
    """How well an article matches a cluster: the mean of its ``k`` best scores against the
    cluster's members, a member not among the candidates counting 0. One close member is not
    enough to join a story of many: that is how single linkage chains unrelated reports."""
    k = max(1, min(k, members))
    best = sorted(found, reverse=True)[:k]
    return sum(best) / k


def _stories_match(
    a: str,
    b: str,
    candidates: Sequence[Candidate[Rep]],
    policy: ClusterPolicy,
    pair_scores: Callable[[Rep, Sequence[Rep]], Iterable[float]],
) -> bool:
    """Whether one of story ``a``'s members among the candidates matches story ``b``'s as a
    whole (``_support`` at the story threshold), or the other way round."""
    if a == b:
        return True
    members = {story: [c.representation for c in candidates if c.assignment.story_id == story] for story in (a, b)}
    for one, other in ((a, b), (b, a)):
        for member in members[one]:
            found = pair_scores(member, members[other])
            if _support(list(found), len(members[other]), policy.support) >= policy.story_threshold:
                return True
    return False


def place(
    article_id: str,
    published: str | None,
    candidates: Sequence[Candidate[Rep]],
    scores: Sequence[float],
    policy: ClusterPolicy,
    story_size: Callable[[Sequence[str]], dict[str, int]] | None = None,
    pair_scores: Callable[[Rep, Sequence[Rep]], Iterable[float]] | None = None,
) -> Placement:
    """Place an article among ``candidates`` (scored ``scores``, in the same order), deciding by
    cluster: it joins the event (then the story) it matches best as a whole (``_support``), when
    that clears the threshold. ``story_size`` (story id -> members) gives each story's size,
    and picks which of several linked stories keeps its id; without it only the members among
    the candidates count."""
    fresh = Placement(Assignment(article_id, f"e-{article_id}", f"s-{article_id}", 0.0))
    if not candidates:
        return fresh
    undated = _day(published) is None
    by_event: dict[str, list[float]] = {}
    by_story: dict[str, list[float]] = {}
    event_story: dict[str, str] = {}
    event_close: dict[str, bool] = {}
    event_undated: dict[str, bool] = {}
    for candidate, score in zip(candidates, scores, strict=True):
        other, event = candidate.representation, candidate.assignment.event_id
        by_story.setdefault(candidate.assignment.story_id, []).append(score)
        by_event.setdefault(event, []).append(score)
        event_story[event] = candidate.assignment.story_id
        # A happening does not stretch past the window: every member found must be close.
        close = within_window(published, other.published, policy.event_window_days)
        event_close[event] = event_close.get(event, True) and close
        event_undated[event] = event_undated.get(event, False) or undated or _day(other.published) is None
    # A cluster's support is at most its best score (or below zero), so a cluster whose best score
    # is under a positive threshold cannot clear it: it is not weighed, nor its size read (most
    # candidates are alone in their event and story). Margin linking weighs every story.
    story_floor = policy.story_threshold if policy.margin_ratio <= 0 and policy.story_threshold > 0 else -math.inf
    plausible = {story: found for story, found in by_story.items() if max(found) >= story_floor}
    sizes = story_size(sorted(plausible)) if story_size is not None else {}
    story_support = {
        story: _support(found, sizes.get(story, len(found)), policy.support) for story, found in plausible.items()
    }
    best_event: tuple[float, str] | None = None
    for event, found in by_event.items():
        # Without a date on both sides, time cannot confirm one happening: content must say more.
        threshold = (
            max(policy.event_threshold, policy.undated_event_threshold)
            if event_undated[event]
            else policy.event_threshold
        )
        if not event_close[event] or (threshold > 0 and max(found) < threshold):
            continue
        support = _support(found, len(found), policy.support)
        if support >= threshold and (best_event is None or (support, event) > best_event):
            best_event = (support, event)
    best_story = max(((support, story) for story, support in story_support.items()), default=None)
    if best_event is not None:
        event_id, story_id, score = best_event[1], event_story[best_event[1]], best_event[0]
    elif best_story is not None and (
        best_story[0] >= policy.story_threshold or _clear_margin(best_story, story_support, policy)
    ):
        event_id, story_id, score = f"e-{article_id}", best_story[1], best_story[0]
    else:
        return fresh
    linked = {
        story
        for story, support in story_support.items()
        if support >= max(policy.story_threshold, policy.merge_threshold)
    }
    if pair_scores is not None:
        linked = {story for story in linked if _stories_match(story, story_id, candidates, policy, pair_scores)}
    linked.add(story_id)
    if len(linked) > 1 and story_size is not None:
        if story_id not in sizes:  # an event's story under the story threshold
            sizes = {**sizes, **story_size([story_id])}
        story_id = max(sorted(linked), key=lambda s: (sizes.get(s, 0), s == story_id))
    absorbed = tuple(sorted(linked - {story_id}))
    return Placement(Assignment(article_id, event_id, story_id, round(score, 6)), absorbed)
