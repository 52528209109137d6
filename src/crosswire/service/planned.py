"""Ingest by plans: the cluster writer's work as stages over batches, only the placing decisions
in order, for an engine that runs stages on many machines (the Ray engine).

A sequential ingest (crosswire.service.ingest) writes batch after batch, and each batch reads what
the batches before it wrote: site statistics (the site pass), document frequencies and vector
sums (weighing), postings and representations (candidates). None of that depends on where the
articles were placed, so it is all prefix sums over batches (crosswire.cluster.prefix), and each
batch's share can be computed apart from the others once the sums are known:

1. per batch: articles per site and per line key                         map
2. running sums; per batch: the site pass                                map
3. per batch: document-frequency and vector-sum changes; running sums    driver (array sums)
4. per batch: weighing, index features, centered vectors                 map
5. per batch: candidates, scores, merge-check scores (plans)             map
6. the decisions, in input order (crosswire.cluster.plan.Decider)        driver
7. one bulk load into the store                                          driver

The batches are the ones a sequential ingest writes (``batch_size`` inputs, less repeats and
rejections), and each map step runs the sequential ingest's own code against the store as it
would have stood before its batch, so both give the same stories and events (the nearest-vector
candidates excepted: exact here, HNSW there; tests/test_planned.py shows they agree on the test
sets). It starts from an empty store: the articles of an earlier run would be part of every
batch's prefix, and they are in the store, which only the driver reaches.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import numpy as np

from crosswire.clean import article_id
from crosswire.cluster.plan import Decider, Plan
from crosswire.cluster.prefix import PrefixState
from crosswire.cluster.sites import site_sum_changes
from crosswire.cluster.writer import ClusterWriter, frequency_changes, index_features, policy_of
from crosswire.encode.centering import LanguageCentering
from crosswire.errors import CrosswireError
from crosswire.represent.compact import CompactRepresentation, Counted
from crosswire.service.ingest import IngestReport, SiteCounts, _site_lines, _site_pass
from crosswire.service.search import index_for_search
from crosswire.service.stories import refresh_summaries
from crosswire.settings import Settings
from crosswire.stages import Prepared, PreparedDocument
from crosswire.store.base import Store
from crosswire.types import RawDocument, Rejection

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")
# Runs ``step(shared, item)`` for every item, anywhere, and gives the results in item order.
Mapper = Callable[[Callable[[Any, Any], Any], Any, Sequence[Any]], list[Any]]


def in_process(step: Callable[[S, T], R], shared: S, items: Sequence[T]) -> list[R]:
    return [step(shared, item) for item in items]


@dataclass
class _Batch:
    rejections: list[Rejection]
    raws: dict[str, RawDocument]
    docs: list[PreparedDocument]


@dataclass
class PlannedRun:
    """What a planned ingest computed, and how long each step took (seconds)."""

    report: IngestReport
    plans: list[list[Plan]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    state: PrefixState | None = None

    @property
    def decide_rate(self) -> float:
        """Articles placed per second by the decisions alone."""
        return self.report.added / max(self.seconds.get("decide", 0.0), 1e-9)


def _batches(results: Iterable[tuple[RawDocument | Rejection, Prepared | None]], size: int) -> tuple[list[_Batch], int]:
    """The batches a sequential ingest writes: ``size`` inputs each, less repeats of an input seen
    before (in the run), less what the reader or the preparing rejected; and the repeats."""
    out: list[_Batch] = []
    repeats = 0
    seen: set[str] = set()
    current = _Batch([], {}, [])
    count = 0
    for item, prepared in results:
        if isinstance(item, Rejection):
            current.rejections.append(item)
        else:
            raw_id = article_id(item)
            if raw_id in seen:
                repeats += 1
            else:
                seen.add(raw_id)
                if prepared is None:
                    raise CrosswireError("planned ingest: a document without what preparing it gave")
                if isinstance(prepared, Rejection):
                    current.rejections.append(prepared)
                else:
                    current.raws[raw_id] = item
                    current.docs.append(prepared)
        count += 1
        if count == size:
            out.append(current)
            current, count = _Batch([], {}, []), 0
    if count:
        out.append(current)
    return out, repeats


@dataclass(frozen=True)
class _Shared:
    settings: Settings
    state: PrefixState


def _count_site_lines(_: None, docs: list[PreparedDocument]) -> SiteCounts:
    return _site_lines(docs)


def _site_passed(shared: _Shared, item: tuple[int, list[PreparedDocument], SiteCounts]) -> list[PreparedDocument]:
    batch, docs, counts = item
    # Planning only reads the store: the view answers those reads (crosswire.cluster.prefix).
    return _site_pass(cast(Store, shared.state.as_of(batch)), shared.settings, docs, counts)


Weighed = tuple[list[CompactRepresentation], dict[str, np.ndarray], dict[str, np.ndarray]]


def _weighed(shared: _Shared, item: tuple[int, list[Counted], list[np.ndarray | None]]) -> Weighed:
    """The batch weighed as the writer weighs it, its index features and its vectors centered as
    the writer's vector index holds them."""
    batch, counted, vectors = item
    writer = ClusterWriter(cast(Store, shared.state.as_of(batch)), shared.settings)
    reps = writer.represent(counted, vectors)
    index = {rep.article_id: index_features(rep, shared.settings.index_keys) for rep in reps}
    centered = {rep.article_id: writer.centered(rep) for rep in reps if rep.vector is not None}
    return reps, index, centered


def _planned(shared: _Shared, item: tuple[int, list[CompactRepresentation]]) -> list[Plan]:
    batch, reps = item
    view = shared.state.as_of(batch)
    writer = ClusterWriter(cast(Store, view), shared.settings)
    writer.vectors = view.vectors()
    return writer.plan(reps, {rep.article_id: shared.state.sites.get(rep.article_id) for rep in reps})


class _MergeScores:
    """The scores a merge check asks for, computed on the driver as the writer computes them
    while it places the batch (rare: see crosswire.cluster.plan)."""

    def __init__(self, shared: _Shared) -> None:
        self.shared = shared
        self.writer: tuple[int, ClusterWriter] | None = None

    def __call__(self, batch: int, article: str, others: Sequence[str]) -> list[float]:
        if self.writer is None or self.writer[0] != batch:
            writer = ClusterWriter(cast(Store, self.shared.state.as_of(batch)), self.shared.settings)
            self.writer = (batch, writer)
        reps = self.shared.state.reps
        self.writer[1].learn_sites({i: self.shared.state.sites.get(i) for i in (article, *others)})
        scored: list[float] = self.writer[1].score(reps[article], [reps[i] for i in others]).tolist()
        return scored


def ingest_planned(
    store: Store,
    results: Iterable[tuple[RawDocument | Rejection, Prepared | None]],
    settings: Settings,
    mapper: Mapper = in_process,
    on_item: Callable[[int], None] | None = None,
) -> PlannedRun:
    """Place and store prepared inputs (``results``: each input with what preparing it gave, in
    input order) into an empty ``store``: the same stories and events as ``ingest`` would give.
    ``mapper`` runs the per-batch steps (here, in this process, unless given)."""
    if store.article_count():
        raise CrosswireError("planned ingest needs an empty store (use the sequential ingest to add to one)")
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = seconds.get(name, 0.0) + now - clock
        clock = now

    batches, repeats = _batches(results, settings.batch_size)
    lap("read")
    state = PrefixState(len(batches))
    counts = mapper(_count_site_lines, None, [batch.docs for batch in batches])
    state.add_site_counts(counts)
    shared = _Shared(settings, state)
    lap("site statistics")
    passed = mapper(_site_passed, shared, [(b, batch.docs, counts[b]) for b, batch in enumerate(batches)])
    for batch, docs in zip(batches, passed, strict=True):
        batch.docs = docs
    lap("site pass")
    counted = [[doc.counted for doc in batch.docs] for batch in batches]
    state.add_frequencies([frequency_changes(c) if c else _no_changes() for c in counted])
    language_changes, site_changes = [], []
    for batch in batches:
        with_vectors = [doc for doc in batch.docs if doc.vector is not None]
        vectors = [doc.vector for doc in with_vectors if doc.vector is not None]
        ndim = len(vectors[0]) if vectors else 0
        language_changes.append(LanguageCentering(ndim).add(vectors, [doc.counted.language for doc in with_vectors]))
        site_changes.append(
            site_sum_changes(
                [
                    ((site, doc.counted.language or ""), doc.vector)
                    for doc in with_vectors
                    if doc.vector is not None and (site := doc.article.site) is not None
                ]
            )
        )
    state.add_vector_sums(language_changes, site_changes)
    lap("frequencies")
    weighed = mapper(
        _weighed, shared, [(b, counted[b], [doc.vector for doc in batch.docs]) for b, batch in enumerate(batches)]
    )
    reps = [found[0] for found in weighed]
    index = {i: features for found in weighed for i, features in found[1].items()}
    centered = {i: row for found in weighed for i, row in found[2].items()}
    sites = {doc.article.id: doc.article.site for batch in batches for doc in batch.docs}
    state.add_representations(reps, index, centered, sites)
    lap("weighing")
    plans = mapper(_planned, shared, list(enumerate(reps)))
    lap("plans")
    decider = Decider(policy_of(settings), _MergeScores(shared))
    for batch_plans in plans:
        for plan in batch_plans:
            decider.decide(plan)
        decider.end_batch()
    lap("decide")
    report = _load(store, batches, reps, index, decider, counts, language_changes, site_changes, counted)
    report.present = repeats
    if on_item:
        on_item(sum(len(batch.docs) + len(batch.rejections) for batch in batches))
    lap("load")
    return PlannedRun(report, plans, seconds, state)


def _no_changes() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)


def _load(
    store: Store,
    batches: Sequence[_Batch],
    reps: Sequence[Sequence[CompactRepresentation]],
    index: dict[str, np.ndarray],
    decider: Decider,
    site_counts: Sequence[SiteCounts],
    language_changes: Sequence[dict[str, tuple[int, np.ndarray]]],
    site_changes: Sequence[dict[tuple[str, str], tuple[int, np.ndarray]]],
    counted: Sequence[Sequence[Counted]],
) -> IngestReport:
    """Everything the sequential ingest stores, in sets: the articles batch by batch (postings
    keep their order), the statistics and the placements once."""
    report = IngestReport()
    with store.transaction():
        for batch, batch_reps in zip(batches, reps, strict=True):
            for rejection in batch.rejections:
                store.add_rejection(rejection)
            store.add_raws([(doc.article.id, batch.raws[doc.article.id]) for doc in batch.docs])
            store.put_articles([doc.article for doc in batch.docs])
            store.put_analyses([doc.analysis for doc in batch.docs])
            store.put_representations(
                list(batch_reps), {rep.article_id: index[rep.article_id] for rep in batch_reps}, fresh=True
            )
            index_for_search(store, [(doc.article, doc.analysis) for doc in batch.docs])
            report.added += len(batch.docs)
            report.rejections += batch.rejections
            for rejection in batch.rejections:
                report.rejected[rejection.reason] += 1
        store.add_language_vector_sums(_summed(language_changes))
        store.add_site_vector_sums(_summed(site_changes))
        frequencies: Counter[int] = Counter()
        for batch_counted in counted:
            if batch_counted:
                ids, changes = frequency_changes(batch_counted)
                frequencies.update(dict(zip(ids.tolist(), changes.tolist(), strict=True)))
        store.count_features(frequencies)
        site_docs: Counter[str] = Counter()
        site_lines: Counter[tuple[str, str]] = Counter()
        for docs, lines in site_counts:
            site_docs.update(docs)
            site_lines.update(lines)
        store.count_site_lines(site_docs, site_lines)
        placed = decider.assignments()
        store.put_placements(placed)
        for merge in decider.merges:
            store.merge_stories(merge.into, merge.absorbed, merge.article_id, "ingest")
        report.stories = {a.story_id for a in placed} | {s for m in decider.merges for s in m.absorbed}
        refresh_summaries(store, report.stories)
    return report


def _summed(changes: Sequence[dict[Any, tuple[int, np.ndarray]]]) -> dict[Any, tuple[int, np.ndarray]]:
    """Per key, the changes of every batch added in batch order (as the writer adds them)."""
    total: dict[Any, tuple[int, np.ndarray]] = {}
    for batch in changes:
        for key, (count, vector) in batch.items():
            old = total.get(key)
            total[key] = (count, vector) if old is None else (old[0] + count, old[1] + vector)
    return total
