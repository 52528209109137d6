from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from crosswire.cluster import Candidate, ClusterPolicy
from crosswire.cluster import assign as place
from crosswire.cluster.online import place as place_scored
from crosswire.types import Assignment, Representation, Similarity

POLICY = ClusterPolicy(event_threshold=0.6, story_threshold=0.3, event_window_days=3, merge_threshold=0.3)


def _rep(article_id: str, published: str | None = None) -> Representation:
    return Representation(article_id, "en", published)


def _scores(table: dict[str, float]) -> Callable[[Representation, Representation], Similarity]:
    return lambda a, b: Similarity(table[b.article_id], 1)


def assign(*args: Any, **kwargs: Any) -> Assignment:
    return place(*args, **kwargs).assignment


def _candidate(article_id: str, event: str, story: str, published: str | None = None) -> Candidate[Representation]:
    return Candidate(_rep(article_id, published), Assignment(article_id, event, story, 0.0))


def test_a_close_match_joins_its_event() -> None:
    placed = assign(
        _rep("new", "2022-01-02"), [_candidate("old", "e-old", "s-old", "2022-01-01")], POLICY, _scores({"old": 0.8})
    )
    assert placed == Assignment("new", "e-old", "s-old", 0.8)


def test_a_match_outside_the_time_window_opens_an_event_in_the_same_story() -> None:
    placed = assign(
        _rep("new", "2022-02-20"), [_candidate("old", "e-old", "s-old", "2021-12-20")], POLICY, _scores({"old": 0.8})
    )
    assert placed == Assignment("new", "e-new", "s-old", 0.8)


def test_a_weak_match_opens_a_new_story_with_stable_ids() -> None:
    placed = assign(_rep("new"), [_candidate("old", "e-old", "s-old")], POLICY, _scores({"old": 0.1}))
    assert placed == Assignment("new", "e-new", "s-new", 0.0)
    assert assign(_rep("new"), [], POLICY, _scores({})) == placed


def test_the_best_candidate_wins() -> None:
    candidates = [_candidate("a", "e-a", "s-a"), _candidate("b", "e-b", "s-b")]
    assert assign(_rep("new"), candidates, POLICY, _scores({"a": 0.65, "b": 0.9})).event_id == "e-b"


def test_margin_linking_joins_a_clear_best_match_below_the_story_threshold() -> None:
    margin = ClusterPolicy(
        event_threshold=0.6, story_threshold=0.3, event_window_days=3, margin_floor=0.1, margin_ratio=2.0
    )
    candidates = [_candidate("a", "e-a", "s-a"), _candidate("b", "e-b", "s-b")]
    clear = assign(_rep("new"), candidates, margin, _scores({"a": 0.2, "b": 0.05}))
    assert clear == Assignment("new", "e-new", "s-a", 0.2)
    close_call = assign(_rep("new"), candidates, margin, _scores({"a": 0.2, "b": 0.15}))
    assert close_call.story_id == "s-new"
    too_weak = assign(_rep("new"), candidates, margin, _scores({"a": 0.08, "b": 0.0}))
    assert too_weak.story_id == "s-new"
    # Off by default: the same clear match opens a new story.
    assert assign(_rep("new"), candidates, POLICY, _scores({"a": 0.2, "b": 0.05})).story_id == "s-new"


def test_undated_reports_need_a_closer_match_to_share_an_event() -> None:
    strict = ClusterPolicy(event_threshold=0.6, story_threshold=0.3, event_window_days=3, undated_event_threshold=0.8)
    candidates = [_candidate("old", "e-old", "s-old")]
    # The seeds' case: close (0.72) but undated, so one story and two events.
    assert assign(_rep("new"), candidates, strict, _scores({"old": 0.72})) == Assignment("new", "e-new", "s-old", 0.72)
    assert assign(_rep("new"), candidates, strict, _scores({"old": 0.85})).event_id == "e-old"
    dated = [_candidate("old", "e-old", "s-old", "2022-01-01")]
    assert assign(_rep("new", "2022-01-02"), dated, strict, _scores({"old": 0.72})).event_id == "e-old"


def test_an_article_linking_two_stories_merges_them_into_the_larger() -> None:
    candidates = [
        _candidate("a", "e-a", "s-a"),
        _candidate("b", "e-b", "s-b"),
        _candidate("b2", "e-b2", "s-b"),
        _candidate("c", "e-c", "s-c"),
    ]
    scores = _scores({"a": 0.5, "b": 0.4, "b2": 0.4, "c": 0.1})
    placement = place(_rep("new"), candidates, POLICY, scores, lambda ids: {"s-a": 1, "s-b": 2, "s-c": 1})
    assert placement.assignment == Assignment("new", "e-new", "s-b", 0.5)
    assert placement.absorbed == ("s-a",)
    # A story of seven that the article matches through two members only is not joined, nor
    # merged: by its three best members (one of them not matched at all) it scores 0.8 / 3.
    placement = place(_rep("new"), candidates, POLICY, scores, lambda ids: {"s-a": 1, "s-b": 7, "s-c": 1})
    assert placement.assignment.story_id == "s-a" and placement.absorbed == ()
    # Without sizes the best match's story keeps its id; a story below the threshold stays apart.
    placement = place(_rep("new"), candidates, POLICY, scores)
    assert placement.assignment.story_id == "s-a" and placement.absorbed == ("s-b",)


def test_two_stories_merge_only_when_they_match_each_other() -> None:
    # The article matches both stories; whether they become one depends on how their own
    # members score against each other (a digest of two happenings links both, and joins none).
    candidates = [_candidate("a", "e-a", "s-a"), _candidate("b", "e-b", "s-b")]
    sizes = lambda ids: {"s-a": 1, "s-b": 1}  # noqa: E731
    Between = Callable[[Representation, Sequence[Representation]], list[float]]

    def between(table: dict[frozenset[str], float]) -> Between:
        return lambda rep, others: [table[frozenset((rep.article_id, o.article_id))] for o in others]

    apart = between({frozenset(("a", "b")): 0.1})
    placement = place_scored("new", None, candidates, [0.5, 0.4], POLICY, sizes, apart)
    assert placement.assignment.story_id == "s-a" and placement.absorbed == ()
    close = between({frozenset(("a", "b")): 0.35})
    placement = place_scored("new", None, candidates, [0.5, 0.4], POLICY, sizes, close)
    assert placement.assignment.story_id == "s-a" and placement.absorbed == ("s-b",)
