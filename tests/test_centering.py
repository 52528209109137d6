"""Language centering of dense vectors (crosswire.encode.centering) and the cluster-level
placement rule (crosswire.cluster.online)."""

from __future__ import annotations

import numpy as np
import pytest

from crosswire.cluster.online import Candidate, ClusterPolicy, place
from crosswire.encode.centering import OVERALL, SHRINK, LanguageCentering, packaged_prior
from crosswire.encode.fusion import Fusion
from crosswire.types import Assignment, Representation


def _unit(v: np.ndarray) -> np.ndarray:
    unit: np.ndarray = v / np.linalg.norm(v)
    return unit


def test_the_packaged_prior_holds_the_languages_of_the_news_it_was_measured_on() -> None:
    means, overall = packaged_prior()
    assert {"en", "ru", "uk", "de", "ar", "ja"} <= set(means)
    assert overall.shape == (384,) and all(m.shape == (384,) for m in means.values())


def test_centering_removes_a_language_component_shared_by_unrelated_texts() -> None:
    # Two languages, each adding its own offset to every vector: centered, a text and its
    # "translation" (same content, other offset) come out alike, two unrelated texts of one
    # language do not.
    rng = np.random.default_rng(3)
    content = rng.normal(size=(1000, 16))
    offset = {"ja": rng.normal(size=16) * 3, "en": rng.normal(size=16) * 3}
    vectors = {lang: np.array([_unit(c + off) for c in content]) for lang, off in offset.items()}
    centering = LanguageCentering(16)
    for lang, rows in vectors.items():
        centering.add(list(rows), [lang] * len(rows))
    raw_translation = vectors["ja"][0] @ vectors["en"][0]
    raw_unrelated = vectors["ja"][0] @ vectors["ja"][1]
    assert raw_unrelated > raw_translation  # the language dominates the raw vectors
    centered = centering.center(np.stack([vectors["ja"][0], vectors["en"][0], vectors["ja"][1]]), ["ja", "en", "ja"])
    assert centered[0] @ centered[1] > 0.8 > centered[0] @ centered[2]
    assert np.allclose(np.linalg.norm(centered, axis=1), 1.0)


def test_few_articles_of_a_language_are_centered_mostly_on_the_prior() -> None:
    prior = {"en": np.ones(4)}
    centering = LanguageCentering(4, prior, np.zeros(4))
    assert np.allclose(centering.mean("en"), 1.0) and np.allclose(centering.mean("xx"), 0.0)
    centering.add([np.full(4, 3.0)], ["en"])
    assert np.allclose(centering.mean("en"), (3.0 + SHRINK) / (1 + SHRINK))
    deltas = centering.add([np.full(4, 3.0)], ["en"], sign=-1)
    assert deltas["en"][0] == -1 and deltas[OVERALL][0] == -1
    assert np.allclose(centering.mean("en"), 1.0)


def test_the_fused_score_rests_on_the_centered_cosine() -> None:
    offset = np.array([0.0, 0.0, 5.0, 0.0])
    a = Representation("a", "ja", None, {}, vector=_unit(np.array([1.0, 0.0, 0.0, 0.0]) + offset))
    b = Representation("b", "ja", None, {}, vector=_unit(np.array([0.0, 1.0, 0.0, 0.0]) + offset))
    centering = LanguageCentering(4, {"ja": _unit(offset)}, np.zeros(4))
    assert Fusion().cosine(a, b) == pytest.approx(a.vector @ b.vector)  # type: ignore[operator]
    assert (Fusion().cosine(a, b) or 0.0) > 0.9  # raw: alike by their language alone
    centered = Fusion().with_centering(centering).cosine(a, b)
    assert centered is not None and centered < 0.1


def _candidate(article: str, event: str, story: str) -> Candidate[Representation]:
    return Candidate(Representation(article, "en", "2022-01-10", {}), Assignment(article, event, story, 1.0))


POLICY = ClusterPolicy(event_threshold=0.7, story_threshold=0.5, event_window_days=3, support=3)


def test_one_close_member_does_not_pull_an_article_into_a_large_story() -> None:
    # The chain: the article resembles one report of a ten-article story (at the story
    # threshold, not as one happening) and nothing else in it.
    found = [_candidate("x1", "e1", "s-big")]
    sizes = {"s-big": 10}
    placed = place("new", "2022-01-11", found, [0.65], POLICY, lambda ids: {i: sizes[i] for i in ids})
    assert placed.assignment.story_id == "s-new"
    # Against a story of one, the same match is the story as a whole.
    placed = place("new", "2022-01-11", found, [0.65], POLICY, lambda ids: {i: 1 for i in ids})
    assert placed.assignment.story_id == "s-big"
    # A near-copy of one report is the same happening, whatever the story's size.
    placed = place("new", "2022-01-11", found, [0.9], POLICY, lambda ids: {i: sizes[i] for i in ids})
    assert (placed.assignment.event_id, placed.assignment.story_id) == ("e1", "s-big")


def test_an_article_that_resembles_several_members_joins_the_story() -> None:
    found = [_candidate(f"x{i}", f"e{i}", "s-big") for i in range(3)]
    placed = place("new", "2022-01-11", found, [0.6, 0.55, 0.5], POLICY, lambda ids: {i: 10 for i in ids})
    assert placed.assignment.story_id == "s-big" and placed.assignment.event_id == "e-new"
    assert placed.assignment.score == pytest.approx(0.55)


def test_single_linkage_is_support_one() -> None:
    found = [_candidate("x1", "e1", "s-big")]
    single = ClusterPolicy(0.7, 0.5, 3, support=1)
    placed = place("new", "2022-01-11", found, [0.6], single, lambda ids: {i: 10 for i in ids})
    assert placed.assignment.story_id == "s-big"


def test_an_event_is_joined_as_a_whole_and_only_within_its_window() -> None:
    found = [_candidate("x1", "e1", "s1"), _candidate("x2", "e1", "s1")]
    placed = place("new", "2022-01-11", found, [0.9, 0.8], POLICY, lambda ids: {i: 2 for i in ids})
    assert placed.assignment.event_id == "e1" and placed.assignment.score == pytest.approx(0.85)
    late = place("new", "2022-02-20", found, [0.9, 0.8], POLICY, lambda ids: {i: 2 for i in ids})
    assert late.assignment.event_id == "e-new" and late.assignment.story_id == "s1"
