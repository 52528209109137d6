"""``place`` weighs only the events and stories whose best score can clear their threshold (a
cluster's support is at most its best score). Held here to the plain rule, which weighs every
cluster, over random candidates, scores (negative ones too), dates, sizes and policies: event
thresholds under the story threshold, margin linking on and off, merges."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence

from crosswire.cluster.online import (
    Candidate,
    ClusterPolicy,
    Dated,
    Placement,
    _clear_margin,
    _day,
    _stories_match,
    _support,
    place,
    within_window,
)
from crosswire.types import Assignment


def _plain_place(
    article_id: str,
    published: str | None,
    candidates: Sequence[Candidate[Dated]],
    scores: Sequence[float],
    policy: ClusterPolicy,
    story_size: Callable[[Sequence[str]], dict[str, int]],
    pair_scores: Callable[[Dated, Sequence[Dated]], Iterable[float]],
) -> Placement:
    """The rule as first written: every event and story weighed."""
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
        close = within_window(published, other.published, policy.event_window_days)
        event_close[event] = event_close.get(event, True) and close
        event_undated[event] = event_undated.get(event, False) or undated or _day(other.published) is None
    sizes = story_size(sorted(by_story))
    story_support = {
        story: _support(found, sizes.get(story, len(found)), policy.support) for story, found in by_story.items()
    }
    best_event: tuple[float, str] | None = None
    for event, found in by_event.items():
        support = _support(found, len(found), policy.support)
        threshold = (
            max(policy.event_threshold, policy.undated_event_threshold)
            if event_undated[event]
            else policy.event_threshold
        )
        if event_close[event] and support >= threshold and (best_event is None or (support, event) > best_event):
            best_event = (support, event)
    best_story = max((support, story) for story, support in story_support.items())
    if best_event is not None:
        event_id, story_id, score = best_event[1], event_story[best_event[1]], best_event[0]
    elif best_story[0] >= policy.story_threshold or _clear_margin(best_story, story_support, policy):
        event_id, story_id, score = f"e-{article_id}", best_story[1], best_story[0]
    else:
        return fresh
    linked = {
        story
        for story, support in story_support.items()
        if support >= max(policy.story_threshold, policy.merge_threshold)
    }
    linked = {story for story in linked if _stories_match(story, story_id, candidates, policy, pair_scores)}
    linked.add(story_id)
    if len(linked) > 1:
        story_id = max(sorted(linked), key=lambda s: (sizes.get(s, 0), s == story_id))
    absorbed = tuple(sorted(linked - {story_id}))
    return Placement(Assignment(article_id, event_id, story_id, round(score, 6)), absorbed)


def test_weighing_only_plausible_clusters_decides_as_weighing_all() -> None:
    rng = random.Random(7)
    decided = {"fresh": 0, "joined": 0, "merged": 0}
    for case in range(3000):
        story_threshold = rng.choice([0.3, 0.6, 0.75])
        policy = ClusterPolicy(
            event_threshold=rng.choice([0.2, 0.5, 0.65, 0.9]),
            story_threshold=story_threshold,
            event_window_days=rng.choice([1.0, 3.0]),
            margin_floor=rng.choice([0.0, 0.3]),
            margin_ratio=rng.choice([0.0, 0.0, 1.5]),
            undated_event_threshold=rng.choice([0.0, 0.85]),
            merge_threshold=rng.choice([story_threshold, 0.75, 1.0]),
            support=rng.choice([1, 2, 3]),
        )
        stories = [f"s{i}" for i in range(rng.randint(1, 6))]
        candidates = []
        for i in range(rng.randint(1, 12)):
            story = rng.choice(stories)
            day = rng.choice([None, "2026-11-01", "2026-11-02", "2026-11-09"])
            candidates.append(
                Candidate(Dated(f"a{i}", day), Assignment(f"a{i}", f"e-{story}-{rng.randint(0, 2)}", story, 0.0))
            )
        scores = [round(rng.uniform(-0.2, 1.0), 3) for _ in candidates]
        sizes = {story: rng.randint(1, 8) for story in stories}

        def story_size(ids: Sequence[str], sizes: dict[str, int] = sizes) -> dict[str, int]:
            return {story: sizes[story] for story in ids}

        def pair_scores(member: Dated, others: Sequence[Dated], case: int = case) -> list[float]:
            return [random.Random(f"{case}{member.article_id}{o.article_id}").uniform(0, 1) for o in others]

        published = rng.choice([None, "2026-11-02"])
        want = _plain_place("new", published, candidates, scores, policy, story_size, pair_scores)
        got = place("new", published, candidates, scores, policy, story_size, pair_scores)
        assert got == want, (case, policy)
        decided["fresh" if want.assignment.story_id == "s-new" else "joined"] += 1
        decided["merged"] += bool(want.absorbed)
    assert min(decided.values()) > 50  # every kind of decision was met
