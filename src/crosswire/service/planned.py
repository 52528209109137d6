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
sets).

Into a store that already holds articles, the prefix sums start from what it holds, read by the
driver (tasks need not reach the store): the frequencies of the run's features, the statistics
of its sites, the vector sums, the latest postings of the features it looks up, and its
articles' nearest stored vectors (in the store's HNSW index, which the run does not change until
it loads). Step 5 then runs twice: the candidates first, so that the driver reads the stored
candidates' representations, placements and story sizes, then the scores. A long input goes in
runs of a bounded size, each going on from the store the one before loaded (``ingest_prepared``).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar, cast

import numpy as np

from crosswire.analyze import analyze
from crosswire.clean import article_id
from crosswire.clean.site import site_of
from crosswire.cluster import specific
from crosswire.cluster.ann import VectorIndex, vector_index_path
from crosswire.cluster.online import Dated
from crosswire.cluster.plan import Decider, Plan
from crosswire.cluster.prefix import PrefixState, SiteSums, VectorSums
from crosswire.cluster.sites import site_sum_changes
from crosswire.cluster.writer import (
    MAX_POSTINGS,
    SEARCH_PAGE,
    ClusterWriter,
    frequency_changes,
    index_features,
    policy_of,
)
from crosswire.encode.centering import LanguageCentering
from crosswire.errors import CrosswireError
from crosswire.represent.compact import DOCS_KEY, CompactRepresentation, Counted, key_id, language_key
from crosswire.service.common import batches as chunks
from crosswire.service.common import encoder_of
from crosswire.service.ingest import (
    IngestReport,
    ReclusterReport,
    SiteCounts,
    _encode_missing,
    _record_changes,
    _site_lines,
    _stable_ids,
    _stored_vectors,
    site_furniture,
)
from crosswire.service.search import index_for_search
from crosswire.service.stories import rebuild_summaries, refresh_summaries, settle_summaries
from crosswire.settings import Settings
from crosswire.stages import Prepared, PreparedDocument, counted_of, site_pass
from crosswire.store.base import Store
from crosswire.types import Assignment, RawDocument, Rejection

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")
# Ids per read of the store (a SQLite statement holds at most 32,766 parameters).
_READ_PAGE = 2000
# Runs ``step(shared, item)`` for every item, anywhere, and gives the results in item order.
Mapper = Callable[[Callable[[Any, Any], Any], Any, Sequence[Any]], list[Any]]


def in_process(step: Callable[[S, T], R], shared: S, items: Sequence[T]) -> list[R]:
    return [step(shared, item) for item in items]


@dataclass
class _Batch:
    rejections: list[Rejection]
    raws: dict[str, RawDocument]
    docs: list[PreparedDocument]
    size: int = 0  # inputs read, repeats included


@dataclass
class PlannedRun:
    """What a planned ingest computed, and how long each step took (seconds)."""

    report: IngestReport
    plans: list[list[Plan]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    state: PrefixState | None = None
    in_flight: set[str] = field(default_factory=set)  # the last batch's inputs: a next run's repeats

    @property
    def decide_rate(self) -> float:
        """Articles placed per second by the decisions alone."""
        return self.report.added / max(self.seconds.get("decide", 0.0), 1e-9)


def _batches(
    results: Iterable[tuple[RawDocument | Rejection, Prepared | None]],
    size: int,
    stored_before: set[str],
    in_flight: set[str],
) -> tuple[list[_Batch], int, set[str]]:
    """The batches a sequential ingest writes, the repeats it counts present, and what is in
    flight after the last batch: ``size`` inputs each, less a repeat of an input already stored
    (``stored_before``, or placed by the run) or still in flight (placed or rejected in the batch
    before, ``in_flight`` for the first, or earlier in the batch), less rejections, the reader's
    first, then the preparing's, as ``ingest`` records them."""
    out: list[_Batch] = []
    repeats = 0
    stored: set[str] = set(stored_before)  # placed in the batches before the previous one
    previous: set[str] = set(in_flight)  # fresh in the previous batch
    previous_placed: set[str] = set()
    current, failed, fresh, count = _Batch([], {}, []), list[Rejection](), set[str](), 0

    def close() -> None:
        nonlocal current, failed, fresh, count, stored, previous, previous_placed
        current.rejections += failed
        current.size = count
        out.append(current)
        stored |= previous_placed
        previous, previous_placed = fresh, set(current.raws)
        current, failed, fresh, count = _Batch([], {}, []), [], set(), 0

    for item, prepared in results:
        if isinstance(item, Rejection):
            current.rejections.append(item)
        else:
            raw_id = article_id(item)
            if raw_id in stored or raw_id in previous or raw_id in fresh:
                repeats += 1
            else:
                fresh.add(raw_id)
                if prepared is None:
                    raise CrosswireError("planned ingest: a document without what preparing it gave")
                if isinstance(prepared, Rejection):
                    failed.append(prepared)
                else:
                    current.raws[raw_id] = item
                    current.docs.append(prepared)
        count += 1
        if count == size:
            close()
    if count:
        close()
    return out, repeats, previous


@dataclass(frozen=True)
class _Shared:
    settings: Settings
    state: PrefixState


def _site_passed(_: None, item: tuple[list[PreparedDocument], dict[str, set[str]]]) -> list[PreparedDocument]:
    docs, furniture = item
    return site_pass(docs, furniture)


@dataclass(frozen=True)
class _Weighed:
    """A batch weighed: its representations, their index features (one array, cut at
    ``index_ends``) and the rows of those with a vector, centered (one matrix): few objects to
    send back, where an array per article took longer to pickle than to compute."""

    reps: list[CompactRepresentation]
    index: np.ndarray
    index_ends: np.ndarray
    centered: np.ndarray

    def index_of(self) -> dict[str, np.ndarray]:
        ends = self.index_ends.tolist()
        starts = [0, *ends[:-1]] if ends else []
        return {rep.article_id: self.index[start:end] for rep, start, end in zip(self.reps, starts, ends, strict=True)}

    def centered_of(self) -> dict[str, np.ndarray]:
        with_vectors = [rep.article_id for rep in self.reps if rep.vector is not None]
        return dict(zip(with_vectors, self.centered, strict=True))


def _weighed(shared: _Shared, item: tuple[int, list[Counted], list[np.ndarray | None]]) -> _Weighed:
    """The batch weighed as the writer weighs it, its index features and its vectors centered as
    the writer's vector index holds them."""
    batch, counted, vectors = item
    writer = ClusterWriter(cast(Store, shared.state.as_of(batch)), shared.settings)
    reps = writer.represent(counted, vectors)
    index = [index_features(rep, shared.settings.index_keys) for rep in reps]
    rows = [writer.centered(rep) for rep in reps if rep.vector is not None]
    return _Weighed(
        reps,
        np.concatenate([np.zeros(0, dtype=np.int64), *index]),
        np.cumsum([len(part) for part in index], dtype=np.int64),
        np.stack(rows) if rows else np.zeros((0, 0)),
    )


def _batch_writer(shared: _Shared, batch: int) -> tuple[ClusterWriter, list[CompactRepresentation]]:
    """A writer reading the store as it stood before ``batch``, and the batch's articles."""
    state = shared.state
    reps = [state.reps[i] for i in state.ids[state.batch_start[batch] : state.batch_start[batch + 1]]]
    view = state.as_of(batch)
    writer = ClusterWriter(cast(Store, view), shared.settings)
    writer.vectors = view.vectors()
    writer.neighbours_ahead = state.neighbours_ahead
    return writer, reps


def _candidates(shared: _Shared, batch: int) -> list[list[str]]:
    writer, reps = _batch_writer(shared, batch)
    return writer.plan_candidates(reps)


def _planned(shared: _Shared, item: tuple[int, list[list[str]] | None]) -> list[Plan]:
    """The batch's plans (``item``: the batch, and its candidates where they were found first)."""
    batch, candidates = item
    writer, reps = _batch_writer(shared, batch)
    return writer.plan(reps, {rep.article_id: shared.state.sites.get(rep.article_id) for rep in reps}, candidates)


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


def _site_pass_on(mapper: Mapper, shared: _Shared, batches: Sequence[_Batch], counts: Sequence[SiteCounts]) -> None:
    """The site pass of every batch: which lines are furniture is worked out here, from the site
    statistics before the batch; only the articles of sites with furniture travel to have it
    taken out (re-analysing what is dropped is the step's cost)."""
    work: list[tuple[int, list[int], tuple[list[PreparedDocument], dict[str, set[str]]]]] = []
    for b, batch in enumerate(batches):
        view = cast(Store, shared.state.as_of(b))
        furniture = {
            site: keys for site, keys in site_furniture(view, shared.settings, batch.docs, counts[b]).items() if keys
        }
        at = [i for i, doc in enumerate(batch.docs) if site_of(doc.article) in furniture]
        if at:
            work.append((b, at, ([batch.docs[i] for i in at], furniture)))
    passed = mapper(_site_passed, None, [item for _, _, item in work])
    for (b, at, _), docs in zip(work, passed, strict=True):
        for i, doc in zip(at, docs, strict=True):
            batches[b].docs[i] = doc


class _Clock:
    """Seconds per step."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self._last
        self._last = now


def _vector_changes(
    batches: Sequence[Sequence[tuple[str | None, str | None, np.ndarray | None]]],
) -> tuple[list[VectorSums], list[SiteSums]]:
    """Per batch of (site, language, vector), the changes of the vector sums per language and per
    (site, language), computed as the writer computes them when it places the batch."""
    languages, sites = [], []
    for batch in batches:
        kept = [(site, language, vector) for site, language, vector in batch if vector is not None]
        ndim = len(kept[0][2]) if kept else 0
        languages.append(LanguageCentering(ndim).add([v for _, _, v in kept], [language for _, language, _ in kept]))
        sites.append(site_sum_changes([((site, language or ""), v) for site, language, v in kept if site is not None]))
    return languages, sites


def _stored_postings(store: Store, shared: _Shared, index: Mapping[str, np.ndarray]) -> list[tuple[int, int, str]]:
    """The latest stored postings of every feature the run's articles are looked up by (those
    the store holds in few enough articles: ``MAX_POSTINGS``; frequencies only grow in an ingest,
    so one over it before the run is never looked up)."""
    features = np.unique(np.concatenate([np.zeros(0, dtype=np.int64), *index.values()]))
    looked_up = features[shared.state.as_of(0).frequencies(features) <= MAX_POSTINGS]
    per_key = shared.settings.postings_per_key
    return [found for page in chunks(looked_up.tolist(), _READ_PAGE) for found in store.latest_postings(page, per_key)]


def _stored_index(store: Store, settings: Settings, ndim: int) -> VectorIndex:
    """The store's vector index as the sequential writer opens it (rebuilt unless it holds
    exactly the stored vectors): searched for the run's stored neighbours, then filled."""
    return cast(VectorIndex, ClusterWriter(store, settings).open_vectors(ndim))


def _stored_neighbours(
    index: VectorIndex | None, settings: Settings, state: PrefixState
) -> dict[str, list[tuple[str, float]]]:
    """Per article of the run with a vector, its nearest stored vectors, as many as the writer
    asks its index for; the writer merges them with the nearest of the run before it
    (``ClusterWriter.neighbours_ahead``)."""
    if index is None or not len(index):
        return {}
    k = settings.max_candidates // 2
    return {article: index.nearest(state.centered[at], k) for at, article in enumerate(state.vector_ids)}


def _know_stored(store: Store, state: PrefixState, decider: Decider, candidates: Sequence[list[list[str]]]) -> None:
    """Read what scoring and placing need of the stored candidates the plans found: their
    representations, sites and placements, their stories' sizes, the frequencies of their
    features and the statistics of their sites. A stored article without a placement (or a
    representation) is no candidate, as in the writer."""
    wanted = sorted({i for batch in candidates for ids in batch for i in ids if i not in state.reps})
    reps: dict[str, CompactRepresentation] = {}
    assigned: dict[str, Assignment] = {}
    sites: dict[str, str | None] = {}
    for page in chunks(wanted, _READ_PAGE):
        reps.update(store.representations(page))
        assigned.update(store.assignments(page))
        sites.update({i: brief.site for i, brief in store.article_briefs(page).items()})
    reps = {i: rep for i, rep in reps.items() if i in assigned}
    if not reps:
        return
    stories = sorted({assigned[i].story_id for i in reps})
    sizes: dict[str, int] = {}
    for page in chunks(stories, _READ_PAGE):
        sizes.update(store.story_sizes(page))
    features = np.unique(np.concatenate([rep.ids for rep in reps.values()]))
    state.know_frequencies(store.feature_freq(features.tolist()))
    # Of a site the batches do not hold only its common names are read (``specific.site_names``).
    new_sites = sorted({site for i in reps if (site := sites.get(i)) is not None} - state.known_sites())
    site_lines = {site: store.site_line_counts(site, [], specific.SITE_NAME_MIN) for site in new_sites}
    keys = sorted(
        {(site, rep.language or "") for i, rep in reps.items() if rep.vector is not None and (site := sites.get(i))}
    )
    state.know_stored(reps, {i: sites.get(i) for i in reps}, site_lines, store.site_vector_sums(keys))
    decider.know([assigned[i] for i in reps], [Dated(i, rep.published) for i, rep in reps.items()], sizes)


@dataclass
class _Placed:
    reps: list[list[CompactRepresentation]]
    index: dict[str, np.ndarray]
    plans: list[list[Plan]]
    decider: Decider


def _weigh_and_place(
    shared: _Shared,
    counted: Sequence[list[Counted]],
    vectors: Sequence[list[np.ndarray | None]],
    sites: dict[str, str | None],
    mapper: Mapper,
    clock: _Clock,
    store: Store | None = None,
    stored_index: VectorIndex | None = None,
) -> _Placed:
    """Steps 4 to 6: weigh and plan every batch (``mapper``), then decide in order. ``store``:
    the articles the run goes on from (a planned ingest into a store that holds some), and
    ``stored_index`` their vectors."""
    weighed = mapper(_weighed, shared, [(b, counted[b], vectors[b]) for b in range(len(counted))])
    reps = [found.reps for found in weighed]
    index = {i: features for found in weighed for i, features in found.index_of().items()}
    centered = {i: row for found in weighed for i, row in found.centered_of().items()}
    clock.lap("weighing")
    stored_postings = _stored_postings(store, shared, index) if store is not None else []
    clock.lap("stored postings")
    shared.state.add_representations(reps, index, centered, sites, stored_postings)
    clock.lap("weighing")
    decider = Decider(policy_of(shared.settings), _MergeScores(shared))
    candidates: list[list[list[str]] | None] = [None] * len(reps)
    if store is not None:
        # Candidates first: those the store holds are read here (tasks cannot reach the store),
        # then the scores.
        shared.state.neighbours_ahead = _stored_neighbours(stored_index, shared.settings, shared.state)
        clock.lap("stored neighbours")
        found: list[list[list[str]]] = mapper(_candidates, shared, list(range(len(reps))))
        clock.lap("candidates")
        _know_stored(store, shared.state, decider, found)
        clock.lap("stored candidates")
        candidates = list(found)
    plans = mapper(_planned, shared, list(enumerate(candidates)))
    clock.lap("plans")
    for batch_plans in plans:
        for plan in batch_plans:
            decider.decide(plan)
        decider.end_batch()
    clock.lap("decide")
    return _Placed(reps, index, plans, decider)


def ingest_planned(
    store: Store,
    results: Iterable[tuple[RawDocument | Rejection, Prepared | None]],
    settings: Settings,
    mapper: Mapper = in_process,
    on_item: Callable[[int], None] | None = None,
    in_flight: set[str] | None = None,
) -> PlannedRun:
    """Place and store prepared inputs (``results``: each input with what preparing it gave, in
    input order): the same stories and events as ``ingest`` would give. ``mapper`` runs the
    per-batch steps (here, in this process, unless given). Into a store that holds articles the
    run goes on from them: their statistics are read up front, the stored candidates once the
    plans have found them. ``in_flight``: the inputs of the batch before, where a run goes on
    from a planned run (``PlannedRun.in_flight``)."""
    clock = _Clock()
    results = list(results)
    goes_on = store.article_count() > 0
    raw_ids = [article_id(item) for item, _ in results if isinstance(item, RawDocument)]
    stored_before = _existing(store, raw_ids) if goes_on else set()
    batches, repeats, last = _batches(results, settings.batch_size, stored_before, in_flight or set())
    clock.lap("read")
    state = PrefixState(len(batches))
    # Counting lines is cheaper here than sending the articles to count them.
    counts = [_site_lines(batch.docs) for batch in batches]
    state.add_site_counts(counts, _stored_site_lines(store, settings, counts, batches) if goes_on else None)
    shared = _Shared(settings, state)
    clock.lap("site statistics")
    _site_pass_on(mapper, shared, batches, counts)
    clock.lap("site pass")
    counted = [[doc.counted for doc in batch.docs] for batch in batches]
    frequencies = [frequency_changes(c) if c else _no_changes() for c in counted]
    state.add_frequencies(frequencies, store.feature_freq(_weighed_keys(counted)) if goes_on else None)
    language_changes, site_changes = _vector_changes(
        [[(doc.article.site, doc.counted.language, doc.vector) for doc in batch.docs] for batch in batches]
    )
    site_keys = sorted({key for changes in site_changes for key in changes})
    state.add_vector_sums(
        language_changes,
        site_changes,
        store.language_vector_sums() if goes_on else None,
        store.site_vector_sums(site_keys) if goes_on else None,
    )
    clock.lap("frequencies")
    sites = {doc.article.id: doc.article.site for batch in batches for doc in batch.docs}
    vectors = [[doc.vector for doc in batch.docs] for batch in batches]
    ndim = next((len(v) for batch in vectors for v in batch if v is not None), 0)
    stored_index = _stored_index(store, settings, ndim) if goes_on and ndim else None
    placed = _weigh_and_place(shared, counted, vectors, sites, mapper, clock, store if goes_on else None, stored_index)
    changes = (language_changes, site_changes) if goes_on else None
    report = _load(store, batches, placed, counts, frequencies, state, on_item, changes, stored_index)
    report.present = repeats
    clock.lap("load")
    return PlannedRun(report, placed.plans, clock.seconds, state, last)


def _existing(store: Store, ids: Sequence[str]) -> set[str]:
    return {found for page in chunks(ids, _READ_PAGE) for found in store.existing_ids(page)}


def _stored_site_lines(
    store: Store, settings: Settings, counts: Sequence[SiteCounts], batches: Sequence[_Batch]
) -> dict[str, tuple[int, dict[str, int]]]:
    """Per site of the run (its articles' hosts, which the run counts lines under), the stored
    articles and the stored counts of the line keys a read can ask for: the run's own keys, and
    those common enough to pass the lowest floor a read for other keys uses (the site pass's
    ``boilerplate_min_docs``, ``specific.SITE_NAME_MIN``). And per site name of the run's articles
    that is no such host (the writer reads a site's common names under the article's site name),
    the stored counts that reading needs."""
    keys: dict[str, set[str]] = {}
    for docs, lines in counts:
        for site in docs:
            keys.setdefault(site, set())
        for site, key in lines:
            keys.setdefault(site, set()).add(key)
    floor = min(settings.boilerplate_min_docs, specific.SITE_NAME_MIN)
    found = {site: store.site_line_counts(site, sorted(run), floor) for site, run in sorted(keys.items())}
    names = {doc.article.site for batch in batches for doc in batch.docs if doc.article.site is not None}
    for name in sorted(names - keys.keys()):
        found[name] = store.site_line_counts(name, [], specific.SITE_NAME_MIN)
    return found


def ingest_prepared(
    store: Store,
    results: Iterable[tuple[RawDocument | Rejection, Prepared | None]],
    settings: Settings,
    mapper: Mapper = in_process,
    on_item: Callable[[int], None] | None = None,
    limit: int | None = None,
) -> IngestReport:
    """Place and store prepared inputs by planned ingests of ``limit`` inputs each (whole
    batches: the runs cut them as one sequential ingest does), each going on from the store the
    one before loaded: a driver and its tasks hold one run at a time."""
    results = iter(results)
    report = IngestReport()
    in_flight: set[str] = set()
    size = _whole_batches(limit, settings)
    while part := list(islice(results, size)):  # no limit: all of it, then nothing
        run = ingest_planned(store, part, settings, mapper, on_item, in_flight)
        in_flight = run.in_flight
        report = IngestReport(
            report.added + run.report.added,
            report.present + run.report.present,
            report.rejected + run.report.rejected,
            report.rejections + run.report.rejections,
            report.stories | run.report.stories,
        )
    settle_summaries(store, report.added)
    return report


def _whole_batches(limit: int | None, settings: Settings) -> int | None:
    """``limit`` inputs cut down to whole batches (at least one), so that runs or parts of that
    size cut the input as one sequential pass does; None without a limit."""
    return max(1, limit // settings.batch_size) * settings.batch_size if limit else None


def recluster_planned(
    store: Store,
    settings: Settings,
    mapper: Mapper = in_process,
    on_item: Callable[[int], None] | None = None,
    limit: int | None = None,
) -> ReclusterReport:
    """``recluster`` with each batch's weighing, candidates and scores computed apart
    (``mapper``): every batch weighs against the stored frequencies and statistics, which a
    recluster leaves as they are, and finds candidates among the postings and vectors rebuilt
    before it; only the decisions run in order. In parts of ``limit`` articles (whole batches),
    each going on from what the parts before placed, as a planned ingest goes on from a store.
    The same events and stories."""
    encoder = encoder_of(settings)
    ids = store.article_ids_by_time()
    size = _whole_batches(limit, settings) or max(len(ids), 1)
    with store.transaction():
        if encoder is not None and store.vector_count() < len(ids):
            _encode_missing(store, encoder, ids)
        ClusterWriter(store, settings).recount_vectors()
        before = store.story_of_articles()
        store.clear_clusters()
        store.clear_postings()  # rebuilt in publication order, as the writer rebuilds them
        rebuilt: list[VectorIndex | None] = [None]  # the vector index, filled in placing order
        for start in range(0, len(ids), size):
            _recluster_part(store, settings, ids[start : start + size], mapper, on_item, rebuilt)
        after = store.story_of_articles()
        renames = _stable_ids(before, after)
        store.rename_stories(renames)
        _record_changes(store, before, {article: renames.get(story, story) for article, story in after.items()})
        rebuild_summaries(store)
    if rebuilt[0] is not None:
        rebuilt[0].save()
    return ReclusterReport(len(ids), *store.cluster_counts())


def _recluster_part(
    store: Store,
    settings: Settings,
    ids: Sequence[str],
    mapper: Mapper,
    on_item: Callable[[int], None] | None,
    rebuilt: list[VectorIndex | None],
) -> None:
    """Place again the articles ``ids`` (in publication order) after those the parts before
    placed (in the store, and in the vector index ``rebuilt`` holds, started empty)."""
    clock = _Clock()
    encoder = encoder_of(settings)
    counted: list[list[Counted]] = []
    vectors: list[list[np.ndarray | None]] = []
    described: list[list[tuple[str | None, str | None, np.ndarray | None]]] = []
    sites: dict[str, str | None] = {}
    for chunk in chunks(ids, settings.batch_size):
        articles = store.articles(chunk)
        stored = store.analyses([article.id for article in articles])
        batch_counted = [counted_of(stored.get(article.id) or analyze(article)) for article in articles]
        batch_vectors: list[np.ndarray | None] = [None] * len(articles)
        if encoder is not None:
            batch_vectors = _stored_vectors(store, encoder, articles)
        counted.append(batch_counted)
        vectors.append(batch_vectors)
        described.append(
            [(a.site, c.language, v) for a, c, v in zip(articles, batch_counted, batch_vectors, strict=True)]
        )
        sites.update({article.id: article.site for article in articles})
    state = PrefixState(len(counted))
    _, site_changes = _vector_changes(described)
    site_keys = sorted({key for changes in site_changes for key in changes})
    state.add_vector_sums([{} for _ in counted], site_changes, base_sites=store.site_vector_sums(site_keys))
    state.keep_language_sums(store.language_vector_sums())  # counted once, up front
    state.add_frequencies([_no_changes() for _ in counted], store.feature_freq(_weighed_keys(counted)))
    # A recluster changes no site statistics, and reads only the names common in each site.
    named = sorted({site for site in sites.values() if site is not None})
    state.add_site_counts(
        [(Counter(), Counter()) for _ in counted],
        {site: store.site_line_counts(site, [], specific.SITE_NAME_MIN) for site in named},
    )
    ndim = next((len(v) for batch in vectors for v in batch if v is not None), 0)
    if ndim and rebuilt[0] is None:
        emptied = VectorIndex(ndim, vector_index_path(store.path))
        emptied.clear()  # filled again in placing order, as the writer fills it
        rebuilt[0] = emptied
    clock.lap("frequencies")
    goes_on = store.article_count() > 0 and bool(store.cluster_counts()[0])
    placed = _weigh_and_place(
        _Shared(settings, state), counted, vectors, sites, mapper, clock, store if goes_on else None, rebuilt[0]
    )
    # Batch by batch, as the writer stores them: vector sums add up in its order, and a story a
    # merge moves stored articles into exists until a later merge absorbs it.
    for batch_reps, changes, done in zip(placed.reps, site_changes, placed.decider.batches, strict=True):
        index = {rep.article_id: placed.index[rep.article_id] for rep in batch_reps}
        store.put_representations(batch_reps, index, fresh=True)
        store.add_site_vector_sums(changes)
        store.put_placements(done.assignments)
        for merge in done.merges:
            store.merge_stories(merge.into, merge.absorbed, merge.article_id, "recluster-pass")
        if on_item:
            on_item(len(batch_reps))
    _vector_search(store, state, rebuilt[0])


def _weighed_keys(counted: Sequence[Sequence[Counted]]) -> list[int]:
    """The feature ids weighing reads: the articles' own, their languages' and the article count."""
    languages = {key_id(language_key(c.language)) for batch in counted for c in batch}
    ids = [c.ids for batch in counted for c in batch]
    found = np.unique(np.concatenate([np.array([key_id(DOCS_KEY), *languages], dtype=np.int64), *ids]))
    return [int(i) for i in found.tolist()]


def _no_changes() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)


def _load(
    store: Store,
    batches: Sequence[_Batch],
    placed: _Placed,
    site_counts: Sequence[SiteCounts],
    frequencies: Sequence[tuple[np.ndarray, np.ndarray]],
    state: PrefixState,
    on_item: Callable[[int], None] | None,
    vector_changes: tuple[Sequence[VectorSums], Sequence[SiteSums]] | None = None,
    stored_index: VectorIndex | None = None,
) -> IngestReport:
    """Everything the sequential ingest stores, in sets: the articles, placements and merges batch
    by batch (postings keep their order; a story a batch's merge moves stored articles into exists
    until a later batch's merge absorbs it; summaries are refreshed as each batch leaves them,
    since a large story's refresh depends on how much it grew since the last), the statistics
    once. ``vector_changes``: each batch's vector-sum changes, added to the stored sums batch by
    batch as the writer adds them (float sums depend on the order), where the store held some;
    else the final sums are stored."""
    report = IngestReport()
    with store.transaction():
        index = placed.index
        for batch, batch_reps, done in zip(batches, placed.reps, placed.decider.batches, strict=True):
            for rejection in batch.rejections:
                store.add_rejection(rejection)
            store.add_raws([(doc.article.id, batch.raws[doc.article.id]) for doc in batch.docs])
            store.put_articles([doc.article for doc in batch.docs])
            store.put_analyses([doc.analysis for doc in batch.docs])
            store.put_representations(
                list(batch_reps), {rep.article_id: index[rep.article_id] for rep in batch_reps}, fresh=True
            )
            index_for_search(store, [(doc.article, doc.analysis) for doc in batch.docs])
            store.put_placements(done.assignments)
            for merge in done.merges:
                store.merge_stories(merge.into, merge.absorbed, merge.article_id, "ingest")
            touched = {a.story_id for a in done.assignments} | {s for m in done.merges for s in m.absorbed}
            refresh_summaries(store, touched)
            report.stories |= touched
            report.added += len(batch.docs)
            report.rejections += batch.rejections
            for rejection in batch.rejections:
                report.rejected[rejection.reason] += 1
            if on_item:
                on_item(batch.size)
        if vector_changes is None:
            store.add_language_vector_sums(state.language_sums_after())
            store.add_site_vector_sums(state.site_sums_after())
        else:
            for language_changes, site_changes in zip(*vector_changes, strict=True):
                store.add_language_vector_sums(language_changes)
                store.add_site_vector_sums(site_changes)
        totals: Counter[int] = Counter()
        for ids, changes in frequencies:
            totals.update(dict(zip(ids.tolist(), changes.tolist(), strict=True)))
        store.count_features(totals)
        site_docs: Counter[str] = Counter()
        site_lines: Counter[tuple[str, str]] = Counter()
        for docs, lines in site_counts:
            site_docs.update(docs)
            site_lines.update(lines)
        store.count_site_lines(site_docs, site_lines)
        vector_index = _vector_search(store, state, stored_index)
    if vector_index is not None:
        vector_index.save()  # after the data it mirrors is committed, as the writer saves it
    return report


def _vector_search(store: Store, state: PrefixState, stored: VectorIndex | None = None) -> VectorIndex | None:
    """The nearest-vector search a sequential ingest leaves beside the store, so the next ingest
    finds the same candidates: every vector centered as it was when its batch was placed, in the
    HNSW index file (and in the server's search index, where the store has one), after the
    stored ones (``stored``: the index that holds them)."""
    if not state.vector_ids:
        return None
    ndim = state.centered.shape[1]
    index = stored
    if index is None:
        index = VectorIndex(ndim, vector_index_path(store.path))
        index.clear()
    # One at a time, in placing order, as the writer adds them: an HNSW graph depends on the order
    # of insertion (and a bulk add inserts from several threads), and its searches on the graph.
    for at, article in enumerate(state.vector_ids):
        index.add([article], state.centered[at : at + 1])
    if store.search_vector_count(ndim, create=True) is not None:
        for start in range(0, len(state.vector_ids), SEARCH_PAGE):
            end = start + SEARCH_PAGE
            store.put_search_vectors(list(zip(state.vector_ids[start:end], state.centered[start:end], strict=True)))
    return index
