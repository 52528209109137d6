"""Ingest and re-clean: clean, analyse, represent, cluster and store, one transaction per batch."""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from crosswire.analyze import analyze
from crosswire.analyze.subtract import subtract
from crosswire.clean import article_id, clean_batch
from crosswire.clean.site import article_line_keys, drop_site_boilerplate, site_of
from crosswire.cluster import Candidate, ClusterPolicy, assign
from crosswire.cluster.ann import VectorIndex, vector_index_path
from crosswire.encode import encode_articles
from crosswire.ingest.files import read_paths
from crosswire.link import similarity
from crosswire.pipeline import Prepared, Preparer
from crosswire.represent import count_features, feature_keys, represent_counted
from crosswire.service.common import batches, encoder_of, preparer_for, split_prepared
from crosswire.service.search import index_for_search
from crosswire.service.stories import rebuild_summaries, refresh_article_stories, refresh_summaries
from crosswire.settings import Settings
from crosswire.store import SQLiteStore
from crosswire.types import Analysis, Article, Assignment, RawDocument, Rejection, Representation, Similarity

# Names, organizations, quotes and terms find same-language reports; numbers, places and dates
# are most of what a translation into another script still shares with its original.
_INDEX_FAMILIES = ("e:", "o:", "q:", "t:", "n:", "p:", "d:")
# Keys in more articles than this are not looked up for candidates: their posting lists grow with
# the store (p:US, n:2019) and they tell little apart, so a lookup's cost stays bounded.
MAX_POSTINGS = 5000


@dataclass
class IngestReport:
    added: int = 0
    present: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)
    stories: set[str] = field(default_factory=set)


class _StoreDocFreq(Mapping[str, int]):
    """Document frequencies read from the store on demand and kept for the run."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store
        self.cache: dict[str, int] = {}

    def prefetch(self, keys: Iterable[str]) -> None:
        missing = [key for key in set(keys) if key not in self.cache]
        if missing:
            found = self.store.doc_freq(missing)
            for key in missing:
                self.cache[key] = found.get(key, 0)

    def add(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.cache[key] = self.cache.get(key, 0) + 1

    def __getitem__(self, key: str) -> int:
        if key not in self.cache:
            self.prefetch([key])
        return self.cache[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.cache)

    def __len__(self) -> int:
        return len(self.cache)


def _language_key(language: str | None) -> str:
    """The document-frequency pseudo-key that counts a language's articles (migration 010)."""
    return "#lang:" + (language or "")


def index_keys(rep: Representation, limit: int) -> list[str]:
    """The most telling keys of an article: what the inverted index files it under."""
    keyed = [(weight, key) for key, weight in rep.features.items() if key.startswith(_INDEX_FAMILIES)]
    return [key for _, key in sorted(keyed, reverse=True)[:limit]]


class _StoreCandidates:
    """Candidates from the store's inverted index. Representations decoded or written in this run
    are kept in a bounded cache: recent articles are the likeliest candidates of the next ones,
    and decoding their JSON again cost more than scoring them."""

    CACHE = 2048

    def __init__(self, store: SQLiteStore, settings: Settings, doc_freq: Mapping[str, int]) -> None:
        self.store = store
        self.settings = settings
        self.doc_freq = doc_freq  # how many articles hold each key
        self._reps: OrderedDict[str, Representation] = OrderedDict()

    def remember(self, rep: Representation) -> None:
        # Scoring needs no surface forms (reasons do, and read the store): a cached
        # representation without them takes a sixth less memory.
        self._reps[rep.article_id] = replace(rep, surfaces={}) if rep.surfaces else rep
        self._reps.move_to_end(rep.article_id)
        while len(self._reps) > self.CACHE:
            self._reps.popitem(last=False)

    vectors: VectorIndex | None = None  # the nearest dense vectors, when an encoder is configured
    fresh_vectors = False  # a recluster places every article again: start the index empty

    def open_vectors(self, ndim: int) -> VectorIndex:
        """The vector index beside the store, rebuilt from the stored vectors unless it holds
        exactly them."""
        if self.vectors is None:
            self.vectors = VectorIndex(ndim, vector_index_path(self.store.path))
            if self.fresh_vectors:
                self.vectors.clear()
            elif len(self.vectors) != self.store.vector_count():
                self.vectors.rebuild(self.store.all_vectors())
        return self.vectors

    def candidates(self, rep: Representation) -> list[Candidate]:
        keys = [key for key in index_keys(rep, self.settings.index_keys) if self.doc_freq.get(key, 0) <= MAX_POSTINGS]
        ranked = self.store.sharing_keys(keys, self.settings.max_candidates)
        ids = [article_id for article_id, _ in ranked if article_id != rep.article_id]
        if rep.vector is not None:
            known = set(ids)
            for near, _ in self.open_vectors(len(rep.vector)).nearest(rep.vector, self.settings.max_candidates // 2):
                if near != rep.article_id and near not in known:
                    ids.append(near)
        missing = [i for i in ids if i not in self._reps]
        for found in self.store.representations(missing).values():
            self.remember(found)
        assigned = self.store.assignments(ids)
        return [Candidate(self._reps[i], assigned[i]) for i in ids if i in self._reps and i in assigned]


class _Writer:
    """Turns prepared articles into stored, represented and clustered ones, inside the caller's
    transaction. Holds what one run reuses: document frequencies, site boilerplate, candidates."""

    def __init__(self, store: SQLiteStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.doc_freq = _StoreDocFreq(store)
        self.n_docs = store.article_count()
        self.policy = ClusterPolicy(
            settings.event_threshold,
            settings.story_threshold,
            settings.event_window_days,
            settings.margin_floor,
            settings.margin_ratio,
            settings.undated_event_threshold,
            settings.merge_threshold,
        )
        self.finder = _StoreCandidates(store, settings, self.doc_freq)
        self.encoder = encoder_of(settings)
        self._boilerplate: dict[str, set[str]] = {}
        self._pending: Counter[str] = Counter()  # document-frequency changes not yet written
        self.cause = "ingest"  # what merges are recorded as
        self.absorbed: set[str] = set()  # stories merged away since the caller last looked

    def new_batch(self) -> None:
        self._boilerplate.clear()  # site statistics moved on with the last batch

    def flush(self) -> None:
        """Write the batch's document-frequency changes in one statement (call in the transaction)."""
        if self._pending:
            self.store.count_keys(self._pending)
            self._pending.clear()

    def site_pass(self, article: Article, analysis: Analysis) -> tuple[Article, Analysis]:
        """Drop lines that recur across the site's stored articles; re-analyse if any went."""
        site = site_of(article)
        if site is None:
            return article, analysis
        if site not in self._boilerplate:
            self._boilerplate[site] = self.store.site_boilerplate(
                site, self.settings.boilerplate_min_docs, self.settings.boilerplate_min_share
            )
        trimmed = drop_site_boilerplate(article, self._boilerplate[site])
        if trimmed is article:
            return article, analysis
        dropped = "\n\n".join(line.text for line in trimmed.removed[len(article.removed) :])
        return trimmed, subtract(analysis, analyze(replace(article, title=None, text=dropped)))

    def vectors(self, articles: Sequence[Article]) -> list[np.ndarray | None]:
        if self.encoder is None:
            return [None] * len(articles)
        return list(encode_articles(self.encoder, articles))

    def represent(self, analysis: Analysis, vector: np.ndarray | None) -> tuple[Representation, list[str]]:
        counted = count_features(analysis)
        keys = list(counted[0])
        language = _language_key(analysis.language)
        self.doc_freq.prefetch([*keys, language])
        rep = represent_counted(analysis, counted, self.doc_freq, max(self.n_docs, 1), max(self.doc_freq[language], 1))
        return (rep if vector is None else replace(rep, vector=vector)), keys

    def score(self, a: Representation, b: Representation) -> Similarity:
        return similarity(a, b, with_reasons=False, fusion=self.settings.fusion)  # reasons cost more

    def add(self, raw: RawDocument, article: Article, analysis: Analysis, vector: np.ndarray | None) -> Assignment:
        rep, counted = self.represent(analysis, vector)
        self.store.add_raw(article.id, raw)
        self.store.put_article(article)
        self.store.put_analysis(analysis)
        placed = self.place(rep, fresh=True)
        self._count(counted, analysis.language)
        site = site_of(article)
        if site is not None:
            self.store.count_site_lines(site, article_line_keys(article))
        return placed

    def place(self, rep: Representation, *, fresh: bool = False) -> Assignment:
        """Cluster ``rep`` among the articles placed so far and store it with its assignment."""
        placement = assign(rep, self.finder.candidates(rep), self.policy, self.score, self.store.story_sizes)
        placed = placement.assignment
        self.store.put_representation(rep, index_keys(rep, self.settings.index_keys), fresh=fresh)
        self.finder.remember(rep)
        if rep.vector is not None:
            self.finder.open_vectors(len(rep.vector)).add([rep.article_id], rep.vector[None, :])
        self.store.new_story(placed.story_id)
        if placement.absorbed:
            self.store.merge_stories(placed.story_id, placement.absorbed, rep.article_id, self.cause)
            self.absorbed.update(placement.absorbed)
        self.store.new_event(placed.event_id, placed.story_id)
        self.store.assign(placed)
        return placed

    def replace(self, article: Article, analysis: Analysis, vector: np.ndarray | None) -> None:
        """Store a re-cleaned article; its cluster assignment stays (``recluster`` moves it)."""
        old = self.store.analysis(article.id)
        if old is not None:
            stale = [*feature_keys(old), _language_key(old.language)]
            self.doc_freq.prefetch(stale)
            for key in stale:
                self.doc_freq.cache[key] = max(self.doc_freq.cache[key] - 1, 0)
                self._pending[key] -= 1
            self.n_docs -= 1
        rep, counted = self.represent(analysis, vector)
        self.store.put_article(article)
        self.store.put_analysis(analysis)
        self.store.put_representation(rep, index_keys(rep, self.settings.index_keys))
        self.finder.remember(rep)
        if rep.vector is not None:
            self.finder.open_vectors(len(rep.vector)).add([rep.article_id], rep.vector[None, :])
        self._count(counted, analysis.language)

    def save_vectors(self) -> None:
        """Keep the vector index for the next run (after the data it mirrors is committed)."""
        if self.finder.vectors is not None:
            self.finder.vectors.save()

    def _count(self, keys: list[str], language: str | None) -> None:
        keys = [*keys, _language_key(language)]
        self._pending.update(keys)
        self.doc_freq.add(keys)
        self.n_docs += 1


@dataclass
class _Batch:
    size: int
    fresh: dict[str, RawDocument]
    rejections: list[Rejection]
    results: Callable[[], list[Prepared]]


def ingest(
    store: SQLiteStore,
    items: Iterable[RawDocument | Rejection],
    settings: Settings,
    on_item: Callable[[int], None] | None = None,
) -> IngestReport:
    """Clean, analyse, represent, cluster and store ``items``, one transaction per batch. With
    worker processes, batch N+1 is cleaned and analysed while batch N is written."""
    report = IngestReport()
    writer = _Writer(store, settings)
    in_flight: set[str] = set()  # submitted, not yet written: a repeat of one counts as present

    def write(batch: _Batch) -> None:
        done, failed = split_prepared(batch.results())
        rejections = batch.rejections + failed
        writer.new_batch()
        done = [writer.site_pass(article, analysis) for article, analysis in done]
        vectors = writer.vectors([article for article, _ in done])
        with store.transaction():
            for rejection in rejections:
                store.add_rejection(rejection)
            touched: set[str] = set()
            for (article, analysis), vector in zip(done, vectors, strict=True):
                touched.add(writer.add(batch.fresh[article.id], article, analysis, vector).story_id)
            writer.flush()
            index_for_search(store, done)
            touched |= writer.absorbed
            writer.absorbed.clear()
            refresh_summaries(store, touched)
        report.stories |= touched
        in_flight.difference_update(batch.fresh)
        report.added += len(done)
        for rejection in rejections:
            report.rejected[rejection.reason] += 1
        report.rejections += rejections
        if on_item:
            on_item(batch.size)

    with ExitStack() as stack:
        preparer: Preparer | None = None
        pending: _Batch | None = None
        for items_batch in batches(items, settings.batch_size):
            if preparer is None:
                preparer = stack.enter_context(preparer_for(settings, items_batch))
            raws = [item for item in items_batch if isinstance(item, RawDocument)]
            ids = [article_id(raw) for raw in raws]
            present = store.existing_ids(ids) | in_flight
            fresh: dict[str, RawDocument] = {}
            for raw, raw_id in zip(raws, ids, strict=True):
                if raw_id in present or raw_id in fresh:
                    report.present += 1
                else:
                    fresh[raw_id] = raw
            in_flight.update(fresh)
            rejections = [item for item in items_batch if isinstance(item, Rejection)]
            submitted = _Batch(len(items_batch), fresh, rejections, preparer.submit(list(fresh.values())))
            if pending is not None:
                write(pending)
            pending = submitted
        if pending is not None:
            write(pending)
    writer.save_vectors()
    return report


@dataclass
class RecleanReport:
    checked: int = 0
    changed: int = 0
    failed: Counter[str] = field(default_factory=Counter)


def reclean(store: SQLiteStore, settings: Settings, on_item: Callable[[int], None] | None = None) -> RecleanReport:
    """Clean every stored article again from its raw input, with today's rules and the site
    statistics gathered since; store those that changed. An article whose input no longer cleans
    keeps its stored version and is counted as failed."""
    report = RecleanReport()
    writer = _Writer(store, settings)
    ids = store.all_article_ids()
    with ExitStack() as stack:
        preparer = stack.enter_context(preparer_for(settings, ids[: settings.batch_size]))
        for chunk in batches(ids, settings.batch_size):
            raws = [raw for raw in (store.raw(i) for i in chunk) if raw is not None]
            done, failed = split_prepared(preparer.run(raws))
            for rejection in failed:
                report.failed[rejection.reason] += 1
            writer.new_batch()
            done = [writer.site_pass(article, analysis) for article, analysis in done]
            changed = [(article, analysis) for article, analysis in done if article != store.article(article.id)]
            vectors = writer.vectors([article for article, _ in changed])
            with store.transaction():
                for (article, analysis), vector in zip(changed, vectors, strict=True):
                    writer.replace(article, analysis, vector)
                writer.flush()
                index_for_search(store, changed)
                refresh_article_stories(store, [article.id for article, _ in changed])
            report.changed += len(changed)
            report.checked += len(raws)
            if on_item:
                on_item(len(chunk))
    writer.save_vectors()
    return report


@dataclass
class ReclusterReport:
    articles: int = 0
    stories: int = 0
    events: int = 0


def recluster(store: SQLiteStore, settings: Settings, on_item: Callable[[int], None] | None = None) -> ReclusterReport:
    """Rebuild every event and story from the stored analyses: represent each article again with
    today's document frequencies (and encoder, when one is set) and cluster them in publication
    order (undated last, then by id), so the result does not depend on the order of ingestion.
    One transaction: readers see the old clusters until the new ones are complete."""
    writer = _Writer(store, settings)
    writer.cause = "recluster-pass"  # merges of stories the rebuild itself just made: not kept
    writer.finder.fresh_vectors = True
    ids = store.article_ids_by_time()
    with store.transaction():
        before = store.story_of_articles()
        store.clear_clusters()
        # Postings written under the old document frequencies would take candidate slots from
        # the articles placed so far, and make the result depend on the order of ingestion.
        store.clear_postings()
        for chunk in batches(ids, settings.batch_size):
            articles = store.articles(chunk)
            for article, vector in zip(articles, writer.vectors(articles), strict=True):
                analysis = store.analysis(article.id) or analyze(article)
                writer.place(writer.represent(analysis, vector)[0], fresh=True)
            if on_item:
                on_item(len(chunk))
        after = store.story_of_articles()
        renames = _stable_ids(before, after)
        store.rename_stories(renames)
        _record_changes(store, before, {article: renames.get(story, story) for article, story in after.items()})
        rebuild_summaries(store)
    writer.save_vectors()
    return ReclusterReport(len(ids), *store.cluster_counts())


def _stable_ids(before: Mapping[str, str], after: Mapping[str, str]) -> dict[str, str]:
    """Renames that let each rebuilt story keep the id of the old story it shares most articles
    with (largest overlaps first, each old id used once), so links to stories survive a recluster."""
    overlap: Counter[tuple[str, str]] = Counter()
    for article, new in after.items():
        old = before.get(article)
        if old is not None:
            overlap[(new, old)] += 1
    renames: dict[str, str] = {}
    taken: set[str] = set()
    for (new, old), _ in sorted(overlap.items(), key=lambda item: (-item[1], item[0])):
        if new not in renames and old not in taken:
            renames[new] = old
            taken.add(old)
    # A story that could not keep an old id must not take one that another story now holds.
    for new in set(after.values()) - renames.keys():
        if new in taken:
            renames[new] = f"{new}-r"
    return {new: old for new, old in renames.items() if new != old}


def _record_changes(store: SQLiteStore, before: Mapping[str, str], after: Mapping[str, str]) -> None:
    """Record how a rebuild moved articles between stories: a new story holding the articles of
    several old ones is a merge, an old story whose articles went to several new ones a split.
    (Merges during the rebuild itself are of stories it had just made, and not recorded.)"""
    sources: dict[str, set[str]] = {}
    targets: dict[str, set[str]] = {}
    for article, old in before.items():
        new = after.get(article)
        if new is not None:
            sources.setdefault(new, set()).add(old)
            targets.setdefault(old, set()).add(new)
    store.forget_changes("recluster-pass")
    for new, olds in sorted(sources.items()):
        if len(olds) > 1:
            store.record_change("merge", new, sorted(olds), None, "recluster")
    for old, news in sorted(targets.items()):
        if len(news) > 1:
            store.record_change("split", old, sorted(news), None, "recluster")


def ingest_paths(
    store: SQLiteStore, paths: Sequence[str | Path], settings: Settings, on_item: Callable[[int], None] | None = None
) -> IngestReport:
    return ingest(store, read_paths(paths), settings, on_item)


def clean_paths(paths: Sequence[str | Path]) -> Iterator[Article | Rejection]:
    """Clean files without storing them."""
    for batch in batches(read_paths(paths), 64):
        raws = [item for item in batch if isinstance(item, RawDocument)]
        cleaned = iter(clean_batch(raws))
        for item in batch:
            yield item if isinstance(item, Rejection) else next(cleaned)
