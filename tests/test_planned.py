"""Ingest by plans (crosswire.service.planned): every step but the placing decisions computed per
batch from prefix sums, the decisions replayed in order. Held to the sequential ingest: the same
store, table by table, on news pages with the default settings and with tight ones (small
batches and candidate lists, postings cut at 3 per key, merges at a low threshold), and the
prefix state answering every store read the writer makes as the store answered it."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest
from conftest import SEEDS, SHARED

from crosswire.cluster.writer import ClusterWriter, index_features
from crosswire.executors.ray_engine import Replayed
from crosswire.ingest.files import read_paths
from crosswire.represent.compact import CompactRepresentation
from crosswire.service.common import batches, preparer_for
from crosswire.service.ingest import ingest, recluster
from crosswire.service.planned import ingest_planned, ingest_prepared, recluster_planned
from crosswire.settings import Settings
from crosswire.stages import Prepared, PreparedDocument
from crosswire.store import SQLiteStore
from crosswire.store.base import Store
from crosswire.types import Assignment, RawDocument, Rejection

NEWS = SHARED / "data" / "news-stream" / "tgnews-2019-html.tar.xz"
PAGES = 160
TIGHT = Settings(
    workers=0,
    batch_size=16,
    max_candidates=12,
    index_keys=8,
    postings_per_key=3,
    merge_threshold=0.4,  # two merges among these pages
    story_threshold=0.35,
)
Results = list[tuple[RawDocument | Rejection, Prepared | None]]

# Every table a run writes, less the columns that hold the time of writing.
TABLES = (
    "SELECT article_id, event_id, story_id, score FROM assignments ORDER BY article_id",
    "SELECT id, story_id FROM events ORDER BY id",
    "SELECT id FROM stories ORDER BY id",
    "SELECT kind, story_id, sources, article_id, cause FROM cluster_changes ORDER BY id",
    "SELECT article_id, data, seq FROM compact_representations ORDER BY article_id",
    "SELECT * FROM feature_postings ORDER BY 1, 2, 3",
    "SELECT * FROM feature_freq ORDER BY 1",
    "SELECT * FROM vectors ORDER BY 1",
    "SELECT * FROM language_vectors ORDER BY 1",
    "SELECT * FROM site_vectors ORDER BY 1, 2",
    "SELECT * FROM site_docs ORDER BY 1",
    "SELECT * FROM site_lines ORDER BY 1, 2",
    "SELECT * FROM analyses ORDER BY 1",
    "SELECT story_id, title, articles, events, first_date, last_date, data, timeline FROM story_summaries "
    "ORDER BY story_id",
    "SELECT * FROM story_summaries_due ORDER BY 1",
    "SELECT * FROM meta WHERE key = 'posting_seq'",
    "SELECT count(*) FROM article_search",
    "SELECT id, source, reason, detail, times FROM rejections ORDER BY id",
)


@pytest.fixture(scope="module")
def results() -> Results:
    """News pages (and the seeds, twice: repeats) as the prepare stage gives them, in order."""
    if not NEWS.exists():
        pytest.skip("needs ../shared (the news-stream pages): the seeds alone do not cluster enough to tell")
    import sys

    from conftest import ROOT

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from benchmarks.scale_corpus import news_pages

    paths = [*news_pages()[:PAGES], SEEDS, SEEDS]
    out: Results = []
    with preparer_for(Settings(workers=0), []) as preparer:
        for chunk in batches(read_paths(paths), 64):
            raws = [item for item in chunk if isinstance(item, RawDocument)]
            prepared = iter(preparer.run(raws))
            out += [(item, next(prepared) if isinstance(item, RawDocument) else None) for item in chunk]
    return out


def _sequential(folder: Path, results: Results, settings: Settings) -> SQLiteStore:
    store = SQLiteStore(folder / "sequential.db")
    replayed = Replayed(results)
    ingest(store, replayed.items(), settings, preparer=replayed)
    return store


def _tables(store: SQLiteStore) -> list[list[tuple[object, ...]]]:
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with sqlite3.connect(store.path) as db:
        return [db.execute(query).fetchall() for query in TABLES]


@pytest.mark.parametrize("tight", [False, True], ids=["default", "tight"])
def test_planned_ingest_stores_what_the_sequential_ingest_stores(results: Results, tmp_path: Path, tight: bool) -> None:
    settings = TIGHT if tight else Settings(workers=0)
    sequential = _sequential(tmp_path, results, settings)
    planned_store = SQLiteStore(tmp_path / "planned.db")
    run = ingest_planned(planned_store, results, settings)
    expected, found = _tables(sequential), _tables(planned_store)
    for query, want, got in zip(TABLES, expected, found, strict=True):
        assert got == want, query
    ids = sequential.all_article_ids()
    assert planned_store.articles(ids) == sequential.articles(ids)
    assert run.report.added == len(ids) and run.report.present == len(list(SEEDS.iterdir()))
    stories, events = sequential.cluster_counts()
    assert 1 < stories < len(ids) and stories <= events  # the pages do cluster
    changes = sequential.cluster_changes()
    if tight:  # the merges' bookkeeping is held to the sequential one too
        assert changes, "the tight settings were meant to merge stories"
    assert run.decide_rate > 0 and set(run.seconds) >= {"plans", "decide", "load"}


def test_the_prefix_state_answers_the_writers_reads_as_the_store(
    results: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At each batch of a sequential ingest, the store's answers to the writer's reads (document
    frequencies, the latest postings per key with the cut, site statistics, vector sums) and the
    planned state's answers as of that batch are the same."""
    settings = TIGHT
    run = ingest_planned(SQLiteStore(tmp_path / "planned.db"), results, settings)
    state = run.state
    assert state is not None
    checked = {"batches": 0, "cut": 0}
    place = ClusterWriter.place

    def checking(
        writer: ClusterWriter,
        reps: Sequence[CompactRepresentation],
        *,
        fresh: bool = False,
        sites: Mapping[str, str | None] | None = None,
    ) -> list[Assignment]:
        store, view = writer.store, state.as_of(checked["batches"])
        ids = sorted({int(i) for rep in reps for i in rep.ids.tolist()})
        assert view.feature_freq(ids) == store.feature_freq(ids)
        for rep in reps:
            filed = index_features(rep, settings.index_keys).tolist()
            for per in (1, 3, 500):
                assert view.sharing_features(filed, 20, per) == store.sharing_features(filed, 20, per)
            counts = store.feature_freq(filed)
            checked["cut"] += any(n > 3 for n in counts.values())
        named = {site for site in (sites or {}).values() if site}
        for site in sorted(named):
            for floor in (1, 2, 4, 2**62):
                assert view.site_lines(site, floor) == store.site_lines(site, floor)
        _same_sums(view.language_vector_sums(), store.language_vector_sums())
        keys = sorted({(site, rep.language or "") for rep in reps for site in named})
        _same_sums(view.site_vector_sums(keys), store.site_vector_sums(keys))
        checked["batches"] += 1
        return place(writer, reps, fresh=fresh, sites=sites)

    monkeypatch.setattr(ClusterWriter, "place", checking)
    _sequential(tmp_path, results, settings)
    assert checked["batches"] == state.n_batches > 5
    assert checked["cut"] > 10  # keys filed under more articles than the cut: the cut was tested


def _same_sums(got: Mapping[Any, tuple[int, np.ndarray]], want: Mapping[Any, tuple[int, np.ndarray]]) -> None:
    assert got.keys() == want.keys()
    for key, (count, total) in want.items():
        assert got[key][0] == count and np.array_equal(got[key][1], total), key


@pytest.mark.parametrize("tight", [False, True], ids=["default", "tight"])
def test_a_planned_ingest_goes_on_from_a_store_as_the_sequential_ingest_does(
    results: Results, tmp_path: Path, tight: bool
) -> None:
    """Into a store that holds articles (a sequential ingest's), a planned ingest reads what it
    goes on from (frequencies, site statistics, vector sums, latest postings, nearest stored
    vectors, stored candidates) and stores what a sequential ingest stores; a third, sequential,
    ingest then finds the same store either way, vector index included."""
    settings = TIGHT if tight else Settings(workers=0)
    first, second, third = results[:60], results[60:130], results[130:]
    stores, runs = [], []
    for name in ("sequential", "planned"):
        folder = tmp_path / name
        folder.mkdir()
        store = _sequential(folder, first, settings)
        if name == "planned":
            runs.append(ingest_planned(store, second, settings))
        else:
            replayed = Replayed(second)
            ingest(store, replayed.items(), settings, preparer=replayed)
        stores.append((store, _tables(store)))
        replayed = Replayed(third)
        ingest(store, replayed.items(), settings, preparer=replayed)
    for query, want, got in zip(TABLES, stores[0][1], stores[1][1], strict=True):
        assert got == want, query
    for query, want, got in zip(TABLES, _tables(stores[0][0]), _tables(stores[1][0]), strict=True):
        assert got == want, query
    # The second part did link to the first: stored candidates were read, and placed among.
    run = runs[0]
    assert run.state is not None and run.state.stored_ids and run.state.neighbours_ahead
    first_ids = {prepared.article.id for _, prepared in first if isinstance(prepared, PreparedDocument)}
    assert {i for batch in run.plans for plan in batch for i in plan.candidates} & first_ids
    by_story: dict[object, set[object]] = {}
    for article, _, story, _ in stores[1][1][0]:  # the assignments after the second part
        by_story.setdefault(story, set()).add(article)
    assert any(members & first_ids and members - first_ids for members in by_story.values())


def test_a_planned_store_goes_on_as_a_sequential_one(results: Results, tmp_path: Path) -> None:
    """The next (sequential) ingest into a store the planned ingest made finds what it would find
    in a store the sequential ingest made, vector index included: the same tables after it."""
    settings, first, then = TIGHT, results[:100], results[100:]
    stores = []
    for name, planned in (("sequential", False), ("planned", True)):
        folder = tmp_path / name
        folder.mkdir()
        if planned:
            store = SQLiteStore(folder / "sequential.db")
            ingest_planned(store, first, settings)
        else:
            store = _sequential(folder, first, settings)
        assert (folder / "sequential.db.vectors.usearch").is_file()
        replayed = Replayed(then)
        ingest(store, replayed.items(), settings, preparer=replayed)
        stores.append(store)
    for query, want, got in zip(TABLES, _tables(stores[0]), _tables(stores[1]), strict=True):
        assert got == want, query


def test_planned_recluster_rebuilds_what_the_sequential_recluster_rebuilds(results: Results, tmp_path: Path) -> None:
    """Ingested with the default settings, re-clustered with the tight ones (renames, merges and
    splits recorded): the same tables either way, and in parts of three batches."""
    stores = []
    for name, parts in (("sequential", None), ("planned", None), ("parts", 3 * TIGHT.batch_size)):
        folder = tmp_path / name
        folder.mkdir()
        store = _sequential(folder, results, Settings(workers=0))
        # In parts: each goes on from the stories, postings and vectors the parts before rebuilt.
        report = recluster(store, TIGHT) if name == "sequential" else recluster_planned(store, TIGHT, limit=parts)
        assert report.articles == len(store.all_article_ids()) and 1 < report.stories < report.articles
        stores.append(store)
    want = _tables(stores[0])
    for store in stores[1:]:
        for query, expected, got in zip(TABLES, want, _tables(store), strict=True):
            assert got == expected, query
    assert any(change["cause"] == "recluster" for change in stores[0].cluster_changes())
    # The vector index is left as the sequential recluster leaves it: the next ingest finds the same.
    for store in stores:
        replayed = Replayed(results[:40])
        ingest(store, replayed.items(), TIGHT, preparer=replayed)
    for store in stores[1:]:
        assert _tables(store) == _tables(stores[0])


def test_a_run_larger_than_a_plan_goes_in_planned_runs(results: Results, tmp_path: Path) -> None:
    """What `ingest --engine ray` does with more inputs than a plan holds: planned runs of whole
    batches, each going on from the store the one before loaded (and from its last batch's
    inputs, still in flight for a sequential ingest); the same tables as one sequential ingest."""
    sequential = _sequential(tmp_path, results, TIGHT)
    split = SQLiteStore(tmp_path / "split.db")
    report = ingest_prepared(split, results, TIGHT, limit=3 * TIGHT.batch_size)
    for query, want, got in zip(TABLES, _tables(sequential), _tables(split), strict=True):
        assert got == want, query
    assert report.added == len(sequential.all_article_ids())
    assert report.present == len(list(SEEDS.iterdir()))


def test_planned_ingest_without_vectors_and_with_an_empty_batch(results: Results, tmp_path: Path) -> None:
    """The lexical engine alone (no vectors: ``encoder = "none"``), and a first batch of nothing
    but rejections: the same tables as the sequential ingest."""
    rejected: Results = [(Rejection(f"gone-{i}.html", "unreadable", "test"), None) for i in range(TIGHT.batch_size)]
    lexical: Results = [
        (item, replace(prepared, vector=None) if isinstance(prepared, PreparedDocument) else prepared)
        for item, prepared in results
    ]
    settings = replace(TIGHT, encoder="none")
    sequential = _sequential(tmp_path, rejected + lexical, settings)
    planned = SQLiteStore(tmp_path / "planned.db")
    run = ingest_planned(planned, rejected + lexical, settings)
    for query, want, got in zip(TABLES, _tables(sequential), _tables(planned), strict=True):
        assert got == want, query
    assert run.report.rejected["unreadable"] == TIGHT.batch_size
    assert not (tmp_path / "planned.db.vectors.usearch").exists()


def test_repeats_and_rejections_are_counted_as_the_sequential_ingest_counts_them(
    results: Results, tmp_path: Path
) -> None:
    """A document rejected while preparing and met again two batches later is prepared again (the
    sequential ingest keeps only the batch before in flight); met again in the next batch it is
    present. A batch records the reader's rejections, then the preparing's."""
    size = TIGHT.batch_size
    documents = [(item, prepared) for item, prepared in results if isinstance(prepared, PreparedDocument)]
    raw = cast(RawDocument, documents[0][0])
    refused: tuple[RawDocument | Rejection, Prepared | None] = (raw, Rejection(raw.source, "too-short", "test"))
    unreadable: tuple[RawDocument | Rejection, Prepared | None] = (Rejection("gone.html", "unreadable", "test"), None)
    run: Results = [refused, unreadable, *documents[1 : size - 1]]  # batch 0: recorded as unreadable, too-short
    run += [refused, *documents[size - 1 : 2 * size - 2]]  # batch 1: present (in flight)
    run += [unreadable, refused, *documents[2 * size - 2 :]]  # batch 2: prepared and refused again
    sequential = _sequential(tmp_path, run, TIGHT)
    sequential_report = ingest(SQLiteStore(tmp_path / "again.db"), Replayed(run).items(), TIGHT, preparer=Replayed(run))
    planned_store = SQLiteStore(tmp_path / "planned.db")
    report = ingest_planned(planned_store, run, TIGHT).report
    for query, want, got in zip(TABLES, _tables(sequential), _tables(planned_store), strict=True):
        assert got == want, query
    assert report.present == sequential_report.present
    assert report.rejected == sequential_report.rejected and report.rejected["too-short"] == 2
    assert [r.reason for r in report.rejections] == [r.reason for r in sequential_report.rejections]
    # A planned run per batch: each goes on from the store and from the inputs of the batch before.
    split_store = SQLiteStore(tmp_path / "split.db")
    split = ingest_prepared(split_store, run, TIGHT, limit=size)
    for query, want, got in zip(TABLES, _tables(sequential), _tables(split_store), strict=True):
        assert got == want, query
    assert (split.present, split.rejected) == (sequential_report.present, sequential_report.rejected)


def test_planned_ingest_and_recluster_into_postgres_give_the_sequential_stories(
    results: Results, tmp_path: Path, postgres_url: str
) -> None:
    """The bulk load and the planned recluster through the PostgreSQL store (a server the suite
    starts on loopback): the articles' events and stories of the sequential ingest into SQLite."""
    from crosswire.store import open_store

    part, more = results[:70], results[70:110]
    sequential = _sequential(tmp_path, part, TIGHT)
    postgres = open_store(postgres_url)
    try:
        report = ingest_planned(postgres, part, replace(TIGHT, db=postgres_url)).report
        assert report.added == sequential.article_count()
        # By article: the order within a story follows the time of writing, which differs.
        assert _by_article(postgres) == _by_article(sequential)
        # A second planned run goes on from what the server holds.
        replayed = Replayed(more)
        ingest(sequential, replayed.items(), TIGHT, preparer=replayed)
        ingest_planned(postgres, more, replace(TIGHT, db=postgres_url))
        assert _by_article(postgres) == _by_article(sequential)
        recluster(sequential, Settings(workers=0))
        recluster_planned(postgres, Settings(db=postgres_url, workers=0))
        assert _by_article(postgres) == _by_article(sequential)
        assert postgres.cluster_counts() == sequential.cluster_counts()
    finally:
        postgres.close()


def _by_article(store: Store) -> list[Assignment]:
    return sorted(store.all_assignments(), key=lambda a: a.article_id)


def test_a_planned_run_of_stored_inputs_counts_them_present_and_changes_nothing(
    results: Results, tmp_path: Path
) -> None:
    store = SQLiteStore(tmp_path / "again.db")
    first = ingest_prepared(store, results[:40], TIGHT, limit=TIGHT.batch_size)
    before = _tables(store)
    again = ingest_prepared(store, results[:40], TIGHT, limit=TIGHT.batch_size)
    nothing = ingest_prepared(store, [], TIGHT, limit=TIGHT.batch_size)
    assert (again.added, again.present) == (0, first.added + first.present)
    assert nothing.added == nothing.present == 0
    assert _tables(store) == before


def test_a_merge_chain_through_a_stored_story_is_stored_as_the_sequential_ingest_stores_it(
    results: Results, tmp_path: Path
) -> None:
    """A batch merges a stored story into one the run opened, and a later batch merges that one
    away: the stored articles move through it as in the sequential ingest (which stores the
    story in between), not into a story never stored."""
    settings = replace(TIGHT, batch_size=8, story_threshold=0.15, merge_threshold=0.1)
    first, rest = results[:40], results[40:]
    stores = []
    for name in ("sequential", "planned"):
        folder = tmp_path / name
        folder.mkdir()
        store = _sequential(folder, first, settings)
        stored_stories = set(store.story_of_articles().values())
        if name == "planned":
            ingest_planned(store, rest, settings)
        else:
            replayed = Replayed(rest)
            ingest(store, replayed.items(), settings, preparer=replayed)
        stores.append(store)
    for query, want, got in zip(TABLES, _tables(stores[0]), _tables(stores[1]), strict=True):
        assert got == want, query
    merges = [change for change in stores[0].cluster_changes(limit=10_000) if change["kind"] == "merge"][::-1]
    chained = [
        earlier
        for at, earlier in enumerate(merges)
        if set(earlier["sources"]) & stored_stories
        and any(earlier["story_id"] in later["sources"] for later in merges[at + 1 :])
    ]
    assert chained, "the settings were meant to merge a stored story into one a later merge absorbs"


def test_large_stories_summaries_are_refreshed_or_marked_due_as_the_sequential_ingest_leaves_them(
    results: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A story over ``ALWAYS_REFRESH_UP_TO`` is summarized again only once it has grown enough
    since its last summary, so its summary depends on the batches it grew in: the planned load
    refreshes batch by batch as the sequential ingest does (the size and growth set for these
    pages)."""
    import importlib

    summaries = importlib.import_module("crosswire.service.stories")
    monkeypatch.setattr(summaries, "ALWAYS_REFRESH_UP_TO", 2)
    monkeypatch.setattr(summaries, "REFRESH_GROWTH", 0.5)
    sequential = _sequential(tmp_path, results, TIGHT)
    planned_store = SQLiteStore(tmp_path / "planned.db")
    ingest_prepared(planned_store, results, TIGHT, limit=4 * TIGHT.batch_size)
    for query, want, got in zip(TABLES, _tables(sequential), _tables(planned_store), strict=True):
        assert got == want, query
    assert sequential.db.execute("SELECT count(*) FROM story_summaries_due").fetchone()[0] > 0


def test_going_on_from_a_store_the_plans_score_as_the_sequential_writer_scores(
    results: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the lexical engine (no approximate nearest vectors), every article's candidates and
    scores going on from a store are those the sequential writer computes, to the last digit:
    here with the run's articles on a subdomain of their site and named after it, so the site
    statistics the writer reads are kept under a name the run counts no line under."""
    from crosswire.clean.site import site_of
    from crosswire.cluster import online, writer

    def lexical(
        item: tuple[RawDocument | Rejection, Prepared | None],
    ) -> tuple[RawDocument | Rejection, Prepared | None]:
        raw, prepared = item
        return raw, replace(prepared, vector=None) if isinstance(prepared, PreparedDocument) else prepared

    def moved(item: tuple[RawDocument | Rejection, Prepared | None]) -> tuple[RawDocument | Rejection, Prepared | None]:
        raw, prepared = lexical(item)
        if not isinstance(prepared, PreparedDocument) or not prepared.article.url:
            return raw, prepared
        url = prepared.article.url.replace("://www.", "://", 1).replace("://", "://m.", 1)
        return raw, replace(prepared, article=replace(prepared.article, site=site_of(prepared.article), url=url))

    settings = replace(Settings(workers=0), encoder="none")
    first, rest = [lexical(item) for item in results[0::2]], [moved(item) for item in results[1::2]]
    stores = []
    for name in ("sequential", "planned"):
        (tmp_path / name).mkdir()
        stores.append(_sequential(tmp_path / name, first, settings))
    sequential, planned_store = stores
    seen: dict[str, tuple[tuple[str, ...], list[float]]] = {}
    place = online.place  # the writer's own, as it imported it

    def spying(article_id: str, published: str | None, found: Any, scored: Any, *args: Any, **kwargs: Any) -> Any:
        seen[article_id] = (tuple(c.representation.article_id for c in found), list(scored))
        return place(article_id, published, found, scored, *args, **kwargs)

    monkeypatch.setattr(writer, "place", spying)
    replayed = Replayed(rest)
    ingest(sequential, replayed.items(), settings, preparer=replayed)
    monkeypatch.setattr(writer, "place", place)
    run = ingest_planned(planned_store, rest, settings)
    plans = [plan for batch in run.plans for plan in batch]
    assert len(plans) == len(seen) > 50
    assert {plan.article_id: (plan.candidates, plan.scores) for plan in plans} == seen
    stored = {prepared.article.id for _, prepared in first if isinstance(prepared, PreparedDocument)}
    assert sum(bool(set(plan.candidates) & stored) for plan in plans) > 10
