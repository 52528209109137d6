"""Ingest and re-clean: clean, analyse, represent, cluster and store, one transaction per batch.

A use case, and only wiring: readers give raw documents, the executor runs the prepare stage on
them (crosswire.stages), the site pass and the cluster writer (crosswire.cluster.writer) place
them, and the store keeps them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from crosswire.analyze import analyze
from crosswire.clean import article_id, clean_batch
from crosswire.clean.site import NAME_PREFIX, article_line_keys, boilerplate_floor, name_floor, site_of
from crosswire.cluster.writer import ClusterWriter
from crosswire.encode import Encoder, encode_articles
from crosswire.executors import Executor
from crosswire.executors.local import relaxed_collector
from crosswire.ingest.files import read_paths
from crosswire.service.common import batches, encoder_of, preparer_for
from crosswire.service.search import index_for_search
from crosswire.service.stories import (
    rebuild_summaries,
    refresh_article_stories,
    refresh_summaries,
    settle_summaries,
)
from crosswire.settings import Settings
from crosswire.stages import Prepared, PreparedDocument, counted_of, furniture_keys, site_pass, split
from crosswire.store.base import Store
from crosswire.types import Article, RawDocument, Rejection


@dataclass
class IngestReport:
    added: int = 0
    present: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)
    stories: set[str] = field(default_factory=set)


def _vectors(encoder: Encoder | None, articles: Sequence[Article]) -> list[np.ndarray | None]:
    if encoder is None:
        return [None] * len(articles)
    return list(encode_articles(encoder, articles))


def _stored_vectors(store: Store, encoder: Encoder, articles: Sequence[Article]) -> list[np.ndarray | None]:
    """The articles' stored vectors (``_encode_missing`` has filled the gaps)."""
    stored = store.representations([article.id for article in articles])
    return [found.vector if (found := stored.get(article.id)) is not None else None for article in articles]


def _encode_missing(store: Store, encoder: Encoder, ids: Sequence[str]) -> None:
    """Encode the articles that have no stored vector (ingested without an encoder). Vectors
    already stored are kept: encoding is most of an article's cost, and the text has not changed
    since (``reclean`` stores new vectors for the articles it changes)."""
    for chunk in batches(list(ids), 256):
        stored = store.representations(chunk)
        missing = [i for i in chunk if (found := stored.get(i)) is not None and found.vector is None]
        if not missing:
            continue
        articles = store.articles(missing)
        reps = [replace(stored[a.id], vector=v) for a, v in zip(articles, _vectors(encoder, articles), strict=True)]
        store.put_representations(reps, {})


SiteCounts = tuple[Counter[str], Counter[tuple[str, str]]]


def _site_pass(
    store: Store, settings: Settings, docs: Sequence[PreparedDocument], batch: SiteCounts | None
) -> list[PreparedDocument]:
    """The site pass with the statistics of the articles stored so far and of the batch itself
    (``batch``, from ``_site_lines``; None when the articles are already counted, as in
    ``reclean``): a site's first articles often arrive together, and their share-button lines and
    comment notices ("This site uses Akismet ...") must not link them to each other."""
    return site_pass(docs, site_furniture(store, settings, docs, batch))


def site_furniture(
    store: Store, settings: Settings, docs: Sequence[PreparedDocument], batch: SiteCounts | None
) -> dict[str, set[str]]:
    """Per site of ``docs``, the keys of its lines and names that the site pass takes out."""
    if batch is None:
        batch = Counter({site: 0 for doc in docs if (site := site_of(doc.article)) is not None}), Counter()
    sites, lines = batch
    by_site: dict[str, Counter[str]] = {}
    for (site, key), n in lines.items():
        by_site.setdefault(site, Counter())[key] = n
    return {
        site: _batch_boilerplate(store, settings, site, sites[site], by_site.get(site, Counter()))
        for site in sorted(sites)
    }


def _batch_boilerplate(store: Store, settings: Settings, site: str, in_batch: int, lines: Counter[str]) -> set[str]:
    """Keys of the lines (and names) that recur across enough of the site's articles, stored and
    in the batch."""
    stored, _ = store.site_lines(site, settings.boilerplate_min_docs)
    total = stored + in_batch
    line_floor = boilerplate_floor(total, settings.boilerplate_min_docs, settings.boilerplate_min_share)
    found = set()
    for floor, names in ((line_floor, False), (name_floor(total), True)):
        if floor is not None:
            counts = Counter({key: n for key, n in lines.items() if key.startswith(NAME_PREFIX) == names})
            found |= _recurring(store, site, floor, counts, names, bool(stored))
    return found


def _recurring(store: Store, site: str, floor: int, counts: Counter[str], names: bool, any_stored: bool) -> set[str]:
    """Keys (of names, or of lines) in at least ``floor`` of the site's articles, counting the
    stored ones and ``counts`` (the batch's)."""
    found = set()
    if any_stored:
        found = {key for key in store.site_lines(site, floor)[1] if key.startswith(NAME_PREFIX) == names}
    for times in sorted(set(counts.values())):  # a key seen `times` in the batch needs floor - times stored
        keys = {key for key, n in counts.items() if n == times}
        if times >= floor:
            found |= keys
        elif any_stored:
            found |= keys & store.site_lines(site, floor - times)[1]
    return found


def _site_lines(docs: Sequence[PreparedDocument]) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """Articles per site, and per (site, key) the articles holding each line, name, number and
    date (counted before the site pass takes the site's furniture out of them)."""
    sites: Counter[str] = Counter()
    lines: Counter[tuple[str, str]] = Counter()
    for doc in docs:
        site = site_of(doc.article)
        if site is not None:
            sites[site] += 1
            lines.update((site, key) for key in article_line_keys(doc.article) | furniture_keys(doc.analysis))
    return sites, lines


@dataclass
class _Batch:
    size: int
    fresh: dict[str, RawDocument]
    rejections: list[Rejection]
    results: Callable[[], list[Prepared]]


def ingest(
    store: Store,
    items: Iterable[RawDocument | Rejection],
    settings: Settings,
    on_item: Callable[[int], None] | None = None,
    preparer: Executor | None = None,
    *,
    save_in_background: bool = False,
) -> IngestReport:
    """Clean, analyse, represent, cluster and store ``items``, one transaction per batch. With
    worker processes, batch N+1 is prepared while batch N is written. ``preparer``: where the
    prepare stage runs (default: the local executor the settings ask for; the Ray engine passes
    one that hands back what its cluster prepared). ``save_in_background``: return once the data
    is committed and write the vector index file in a thread of its own (for processes that
    ingest again and again: ``watch``, the web server; crosswire.cluster.ann)."""
    report = IngestReport()
    writer = ClusterWriter(store, settings)
    in_flight: set[str] = set()  # submitted, not yet written: a repeat of one counts as present

    def write(batch: _Batch) -> None:
        done, failed = split(batch.results())
        rejections = batch.rejections + failed
        site_counts = _site_lines(done)  # before the site pass takes the furniture out
        done = _site_pass(store, settings, done, site_counts)
        reps = writer.represent([doc.counted for doc in done], [doc.vector for doc in done])
        with store.transaction():
            for rejection in rejections:
                store.add_rejection(rejection)
            store.add_raws([(doc.article.id, batch.fresh[doc.article.id]) for doc in done])
            store.put_articles([doc.article for doc in done])
            store.put_analyses([doc.analysis for doc in done])
            sites = {doc.article.id: doc.article.site for doc in done}
            touched = {placed.story_id for placed in writer.place(reps, fresh=True, sites=sites)}
            store.count_features(writer.count([doc.counted for doc in done]))
            store.count_site_lines(*site_counts)
            index_for_search(store, [(doc.article, doc.analysis) for doc in done])
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
        stack.enter_context(relaxed_collector())
        if preparer is not None:
            stack.enter_context(preparer)
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
    writer.save_vectors(wait=not save_in_background)
    settle_summaries(store, report.added)
    return report


@dataclass
class RecleanReport:
    checked: int = 0
    changed: int = 0
    failed: Counter[str] = field(default_factory=Counter)


def reclean(
    store: Store,
    settings: Settings,
    on_item: Callable[[int], None] | None = None,
    preparer: Executor | None = None,
) -> RecleanReport:
    """Clean every stored article again from its raw input, with today's rules and the site
    statistics gathered since; store those that changed. An article whose input no longer cleans
    keeps its stored version and is counted as failed. ``preparer`` as for ``ingest``."""
    report = RecleanReport()
    writer = ClusterWriter(store, settings)
    ids = store.all_article_ids()
    with ExitStack() as stack:
        preparer = stack.enter_context(preparer or preparer_for(settings, ids[: settings.batch_size]))
        for chunk in batches(ids, settings.batch_size):
            raws = [raw for raw in (store.raw(i) for i in chunk) if raw is not None]
            done, failed = split(preparer.run(raws))
            for rejection in failed:
                report.failed[rejection.reason] += 1
            done = _site_pass(store, settings, done, None)
            changed = [doc for doc in done if doc.article != store.article(doc.article.id)]
            old = [store.analysis(doc.article.id) for doc in changed]
            with store.transaction():
                store.put_articles([doc.article for doc in changed])
                store.put_analyses([doc.analysis for doc in changed])
                store.count_features(writer.count([counted_of(a) for a in old if a is not None], sign=-1))
                writer.replace(writer.represent([doc.counted for doc in changed], [doc.vector for doc in changed]))
                store.count_features(writer.count([doc.counted for doc in changed]))
                index_for_search(store, [(doc.article, doc.analysis) for doc in changed])
                refresh_article_stories(store, [doc.article.id for doc in changed])
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


def recluster(store: Store, settings: Settings, on_item: Callable[[int], None] | None = None) -> ReclusterReport:
    """Rebuild every event and story from the stored analyses: weigh each article again with
    today's document frequencies (and encoder, when one is set) and cluster them in publication
    order (undated last, then by id), so the result does not depend on the order of ingestion.
    One transaction: readers see the old clusters until the new ones are complete."""
    writer = ClusterWriter(store, settings, cause="recluster-pass")  # merges of stories it just made: not kept
    writer.fresh_vectors = True
    encoder = encoder_of(settings)
    ids = store.article_ids_by_time()
    with store.transaction():
        if encoder is not None and store.vector_count() < len(ids):
            _encode_missing(store, encoder, ids)
        writer.recount_vectors()
        before = store.story_of_articles()
        store.clear_clusters()
        # Postings written under the old document frequencies would take candidate slots from
        # the articles placed so far, and make the result depend on the order of ingestion.
        store.clear_postings()
        for chunk in batches(ids, settings.batch_size):
            articles = store.articles(chunk)
            stored = store.analyses([article.id for article in articles])
            analyses = [stored.get(article.id) or analyze(article) for article in articles]
            vectors = _stored_vectors(store, encoder, articles) if encoder is not None else None
            sites = {article.id: article.site for article in articles}
            writer.place(writer.represent([counted_of(a) for a in analyses], vectors), fresh=True, sites=sites)
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


def _record_changes(store: Store, before: Mapping[str, str], after: Mapping[str, str]) -> None:
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
    store: Store, paths: Sequence[str | Path], settings: Settings, on_item: Callable[[int], None] | None = None
) -> IngestReport:
    return ingest(store, read_paths(paths), settings, on_item)


def clean_paths(paths: Sequence[str | Path]) -> Iterator[Article | Rejection]:
    """Clean files without storing them."""
    for batch in batches(read_paths(paths), 64):
        raws = [item for item in batch if isinstance(item, RawDocument)]
        cleaned = iter(clean_batch(raws))
        for item in batch:
            yield item if isinstance(item, Rejection) else next(cleaned)
