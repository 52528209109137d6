"""Placing from plans: the order-dependent part of clustering alone.

Every decision of the cluster writer depends on where the articles before were placed, but most of
its work does not: an article's candidates and its scores against them depend only on the
articles before it and their statistics (crosswire.cluster.prefix). A ``Plan`` holds that work;
``Decider`` replays plans in input order through the same ``place`` as the writer, keeping what
the decisions need (each article's event and story, story sizes, merges) in memory. The Ray
engine computes plans on its workers and decides on the driver (docs/cluster.md).

A merge check (an article that matches two stories) compares the candidates with each other.
Few articles need one (1 of 997 news pages), and which ones depends on the decisions, so those
scores are not planned: the decider asks ``pair_scores`` for them, with the batch's number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from crosswire.cluster.online import Candidate, ClusterPolicy, Dated, place
from crosswire.types import Assignment

# (batch, article, others): the article's scores against the others, as the writer scores them
# while it places that batch.
PairScores = Callable[[int, str, Sequence[str]], Iterable[float]]


@dataclass(frozen=True, slots=True)
class Plan:
    """An article's candidates (best first, by id: each was placed before it) with its scores
    against them. Ids, not objects: a plan travels back from the cluster, and tens of small objects
    an article took longer to pickle than to plan."""

    article_id: str
    published: str | None
    candidates: tuple[str, ...]
    scores: list[float]


@dataclass(frozen=True, slots=True)
class BatchPlaced:
    """What a batch placed and merged, as the writer stores it when the batch ends: each article
    in the story it is in by then, and the merges in order. Later batches' merges move them on,
    as they move the store's."""

    assignments: list[Assignment]
    merges: list[Merge]


@dataclass(frozen=True, slots=True)
class Merge:
    """Stories ``absorbed`` joined into ``into`` by ``article_id`` (``into`` as it stood when the
    batch that merged them ended, as the writer records it)."""

    into: str
    absorbed: tuple[str, ...]
    article_id: str


class Decider:
    """Places planned articles in order: the same decisions as ``ClusterWriter.place`` on the
    same articles, with story sizes and merges kept in memory instead of read from the store."""

    def __init__(self, policy: ClusterPolicy, pair_scores: PairScores) -> None:
        self.policy = policy
        self.pair_scores = pair_scores
        self.batch = 0  # the batch being placed
        self.assigned: dict[str, Assignment] = {}  # story ids as placed; ``story`` follows merges
        self.merged_into: dict[str, str] = {}
        self.sizes: Counter[str] = Counter()
        self.merges: list[Merge] = []
        self.dated: dict[str, Dated] = {}  # every placed article, as ``place`` reads a candidate
        self._batch_merges: list[tuple[str, tuple[str, ...], str]] = []
        self._stored: set[str] = set()  # articles placed before the run (``know``)
        self._batch_placed: list[str] = []
        self.batches: list[BatchPlaced] = []

    def know(self, assigned: Iterable[Assignment], dated: Iterable[Dated], sizes: Mapping[str, int]) -> None:
        """Stored articles that are candidates of the run's: where they are placed, their dates,
        and the sizes of their stories."""
        for placed in assigned:
            self.assigned[placed.article_id] = placed
            self._stored.add(placed.article_id)
        self.dated.update((found.article_id, found) for found in dated)
        for story, size in sizes.items():
            self.sizes.setdefault(story, size)

    def story(self, story_id: str) -> str:
        path = []
        while story_id in self.merged_into:
            path.append(story_id)
            story_id = self.merged_into[story_id]
        for step in path:  # shorten the chain for the next look-up
            self.merged_into[step] = story_id
        return story_id

    def _story_sizes(self, story_ids: Sequence[str]) -> dict[str, int]:
        return {story: self.sizes[story] for story in story_ids}

    def decide(self, plan: Plan) -> Assignment:
        found = []
        for other in plan.candidates:
            at = self.assigned[other]
            story = self.story(at.story_id)
            found.append(Candidate(self.dated[other], at if story == at.story_id else replace(at, story_id=story)))

        def pair_scores(member: Dated, others: Sequence[Dated]) -> Iterable[float]:
            return self.pair_scores(self.batch, member.article_id, [other.article_id for other in others])

        placement = place(
            plan.article_id, plan.published, found, plan.scores, self.policy, self._story_sizes, pair_scores
        )
        placed = placement.assignment
        for absorbed in placement.absorbed:
            self.merged_into[absorbed] = placed.story_id
            self.sizes[placed.story_id] += self.sizes.pop(absorbed, 0)
        if placement.absorbed:
            self._batch_merges.append((placed.story_id, placement.absorbed, plan.article_id))
        self.assigned[plan.article_id] = placed
        self._batch_placed.append(plan.article_id)
        self.dated[plan.article_id] = Dated(plan.article_id, plan.published)
        self.sizes[placed.story_id] += 1
        return placed

    def end_batch(self) -> None:
        """Record the batch's merges as the writer does when it stores a batch: each into the
        story its target ended up in by the batch's end."""
        merges = [Merge(self.story(into), absorbed, article) for into, absorbed, article in self._batch_merges]
        self.merges += merges
        self.batches.append(BatchPlaced([self._now(i) for i in self._batch_placed], merges))
        self._batch_merges, self._batch_placed = [], []
        self.batch += 1

    def _now(self, article_id: str) -> Assignment:
        """Where ``article_id`` is placed now (its story as merges moved it)."""
        placed = self.assigned[article_id]
        story = self.story(placed.story_id)
        return placed if story == placed.story_id else replace(placed, story_id=story)

    def assignments(self) -> list[Assignment]:
        """Every article the run placed, in placing order, in the story it ended up in."""
        return [self._now(article) for article in self.assigned if article not in self._stored]
