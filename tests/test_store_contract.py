"""The Store contract: one suite, run against every store behind the interface
(crosswire.store.base.Store). A new store (PostgreSQL) joins by adding a factory to STORES."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from crosswire.represent.compact import CompactRepresentation, key_id
from crosswire.store import SQLiteStore
from crosswire.store.base import Store
from crosswire.store.search import SearchRow
from crosswire.types import Analysis, Article, Assignment, Mention, RawDocument, Rejection, StoryFilter, StorySummary


def _postgres(request: pytest.FixtureRequest) -> Store:
    from crosswire.store.postgres import PostgresStore

    return PostgresStore(request.getfixturevalue("postgres_url"))


STORES: dict[str, Callable[[pytest.FixtureRequest, Path], Store]] = {
    "sqlite": lambda request, folder: SQLiteStore(folder / "contract.db"),
    "postgres": lambda request, folder: _postgres(request),
}


@pytest.fixture(params=sorted(STORES))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    opened = STORES[request.param](request, tmp_path)
    yield opened
    opened.close()


def _article(
    article_id: str, published: str | None = "2022-01-10", language: str = "en", site: str = "a.com"
) -> Article:
    return Article(
        article_id, f"{article_id}.txt", f"Title {article_id}", f"Body of {article_id}.", language, published, site
    )


def _put(store: Store, *ids: str, **fields: str | None) -> list[Article]:
    articles = [_article(i, **fields) for i in ids]  # type: ignore[arg-type]
    with store.transaction():
        store.add_raws([(a.id, RawDocument(source=a.source, body=a.text)) for a in articles])
        store.put_articles(articles)
    return articles


def _rep(article_id: str, features: dict[str, float], vector: np.ndarray | None = None) -> CompactRepresentation:
    ids = np.array([key_id(k) for k in features], dtype=np.int64)
    weights = np.array([round(w * 10_000) for w in features.values()], dtype=np.uint16)
    order = np.argsort(ids)
    return CompactRepresentation(article_id, "en", "2022-01-10", ids[order], weights[order], vector)


def _public(kind: type) -> set[str]:
    return {name for name, _ in inspect.getmembers(kind) if not name.startswith("_")}


def test_sqlite_store_implements_the_whole_interface() -> None:
    declared = _public(Store)
    public = _public(SQLiteStore)
    assert public - declared == set(), "public store methods missing from the interface"
    assert declared - public - {"path"} == set()


def test_postgres_store_implements_the_whole_interface() -> None:
    from crosswire.store.postgres import PostgresStore  # importable without the driver

    # url and conn are its own attributes (set in __init__, not seen on the class).
    assert _public(PostgresStore) == _public(SQLiteStore)


def test_articles_raw_inputs_and_analyses_round_trip(store: Store) -> None:
    raw = RawDocument(source="x.txt", body="Заголовок\n\nТекст." * 20, title="hint", flags=("encoding-guessed",))
    article = _article("a1")
    analysis = Analysis("a1", "en", None, entities=(Mention("lvrv", "Lavrov", "person"),), terms=("talk",))
    with store.transaction():
        store.add_raws([("a1", raw)])
        store.put_articles([article])
        store.put_analyses([analysis])
    assert store.raw("a1") == raw and store.article("a1") == article
    assert store.articles(["a1", "missing"]) == [article]
    assert store.analysis("a1") == analysis and store.analyses(["a1"]) == {"a1": analysis}
    assert store.existing_ids(["a1", "b"]) == {"a1"} and store.article_count() == 1
    assert store.find_article_ids("a") == ["a1"] and store.find_article_ids("%") == []


def test_a_failed_transaction_leaves_nothing(store: Store) -> None:
    _put(store, "kept")
    with pytest.raises(RuntimeError), store.transaction():
        store.add_raws([("lost", RawDocument(source="l", body="l"))])
        store.put_articles([_article("lost")])
        raise RuntimeError("crash mid-batch")
    assert store.existing_ids(["kept", "lost"]) == {"kept"}


def test_representations_vectors_and_postings(store: Store) -> None:
    _put(store, "a1", "a2", "a3")
    vector = np.ones(4, dtype=np.float32) / 2
    reps = [_rep("a1", {"e:lvrv": 0.6, "p:US": 0.8}, vector), _rep("a2", {"e:lvrv": 1.0}), _rep("a3", {"g:^tal": 1.0})]
    index = {"a1": [key_id("e:lvrv"), key_id("p:US")], "a2": [key_id("e:lvrv")], "a3": [key_id("g:^tal")]}
    with store.transaction():
        store.put_representations(reps, index, fresh=True)
    found = store.representations(["a1", "a2", "nope"])
    assert set(found) == {"a1", "a2"}
    assert np.array_equal(found["a1"].ids, reps[0].ids) and np.array_equal(found["a1"].weights, reps[0].weights)
    assert found["a1"].vector is not None and np.allclose(found["a1"].vector, vector) and found["a2"].vector is None
    assert found["a1"].published == "2022-01-10" and found["a1"].language == "en"
    assert store.vector_count() == 1 and [(i, language) for i, _, language in store.all_vectors()] == [("a1", "en")]
    # Most shared features first, then by id.
    assert store.sharing_features([key_id("e:lvrv"), key_id("p:US")], 10) == [("a1", 2), ("a2", 1)]
    assert store.sharing_features([key_id("e:lvrv")], 1) == [("a1", 1)]
    with store.transaction():  # re-filed: the old postings go
        store.put_representations([_rep("a1", {"p:US": 1.0})], {"a1": [key_id("p:US")]})
    assert store.sharing_features([key_id("e:lvrv")], 10) == [("a2", 1)]
    assert store.vector_count() == 0
    with store.transaction():
        store.clear_postings()
    assert store.sharing_features([key_id("p:US")], 10) == []


def test_document_frequencies_add_up_and_never_go_negative(store: Store) -> None:
    with store.transaction():
        store.count_features({1: 2, 2: 1})
        store.count_features({1: 1, 2: -5, 3: -1})
    assert store.feature_freq([1, 2, 3, 4]) == {1: 3, 2: 0, 3: 0}
    extremes = {2**63 - 1: 4, -(2**63): 5, key_id("e:lvrv"): 6}  # feature ids use all 64 bits
    with store.transaction():
        store.count_features(extremes)
    assert store.feature_freq(list(extremes)) == extremes and store.feature_freq([]) == {}


def test_placements_merges_and_renames(store: Store) -> None:
    _put(store, "a1", "a2", "a3")
    with store.transaction():
        store.put_placements(
            [
                Assignment("a1", "e-a1", "s-a1", 0.0),
                Assignment("a2", "e-a2", "s-a2", 0.0),
                Assignment("a3", "e-a1", "s-a1", 0.7),
            ]
        )
    assert store.story_sizes(["s-a1", "s-a2"]) == {"s-a1": 2, "s-a2": 1}
    assert store.assignments(["a3"]) == {"a3": Assignment("a3", "e-a1", "s-a1", 0.7)}
    assert store.cluster_counts() == (2, 2)
    with store.transaction():
        store.merge_stories("s-a1", ["s-a2"], "a3", "ingest")
    assert store.story_of_articles() == {"a1": "s-a1", "a2": "s-a1", "a3": "s-a1"}
    assert store.cluster_changes("s-a2")[0]["kind"] == "merge"
    with store.transaction():
        store.rename_stories({"s-a1": "s-new"})
    assert set(store.story_of_articles().values()) == {"s-new"}
    assert store.placement("a2") == Assignment("a2", "e-a2", "s-new", 0.0)
    with store.transaction():
        store.clear_clusters()
    assert store.cluster_counts() == (0, 0)


def test_site_lines_are_counted_per_site(store: Store) -> None:
    with store.transaction():
        store.count_site_lines({"a.com": 10}, {("a.com", "share"): 9, ("a.com", "rare"): 2})
    assert store.site_lines("a.com", 5) == (10, {"share"})
    assert store.site_lines("a.com", 1) == (10, {"share", "rare"})
    assert store.site_lines("b.com", 1) == (0, set())
    # What a planned ingest goes on from: the named keys' counts and those of the common ones.
    assert store.site_line_counts("a.com", ["rare", "never"], 5) == (10, {"share": 9, "rare": 2})
    assert store.site_line_counts("a.com", [], 2) == (10, {"share": 9, "rare": 2})
    assert store.site_line_counts("a.com", [], 10) == (10, {})
    assert store.site_line_counts("b.com", ["rare"], 1) == (0, {})


def test_site_vector_sums_add_up_per_site_and_language_and_go_with_the_clusters(store: Store) -> None:
    with store.transaction():
        store.add_site_vector_sums({("a.com", "en"): (2, np.array([1.0, 2.0])), ("a.com", "de"): (1, np.ones(2))})
        store.add_site_vector_sums({("a.com", "en"): (1, np.array([0.5, 0.0]))})
    found = store.site_vector_sums([("a.com", "en"), ("a.com", "de"), ("b.com", "en")])
    assert sorted(found) == [("a.com", "de"), ("a.com", "en")]
    assert found[("a.com", "en")][0] == 3 and found[("a.com", "en")][1].tolist() == [1.5, 2.0]
    with store.transaction():  # recluster places every article again, summing them anew
        store.clear_clusters()
    assert store.site_vector_sums([("a.com", "en")]) == {}


def test_rejections_are_counted(store: Store) -> None:
    with store.transaction():
        store.add_rejection(Rejection("bad.bin", "binary", "NUL bytes"))
    assert store.rejection_counts() == {"binary": 1}


def test_search_and_summaries(store: Store) -> None:
    _put(store, "a1", "a2")
    with store.transaction():
        store.put_placements([Assignment("a1", "e-a1", "s-a1", 0.0), Assignment("a2", "e-a2", "s-a2", 0.0)])
        store.index_for_search([SearchRow("a1", "Geneva talks", "Lavrov met Blinken.", "geneva talk")])
        summary = StorySummary(
            "s-a1",
            "Geneva talks",
            ("en",),
            (("a.com", 1),),
            "2022-01-10",
            "2022-01-10",
            (),
            (),
            1,
            1,
            language_counts=(("en", 1),),
        )
        store.put_story_summary(summary)
    hits = store.search_hits('"lavrov"', StoryFilter(), 10)
    assert [hit.article_id for hit in hits] == ["a1"]
    assert store.search_count('"lavrov"') == 1
    listed = store.story_summaries(StoryFilter(language="en"))
    assert [s.id for s in listed] == ["s-a1"] and store.story_summary_count() == 1
    assert store.story_summary("s-a1") is not None and store.story_summary("nope") is None


def test_candidates_come_from_the_latest_postings_of_each_feature(store: Store) -> None:
    _put(store, *(f"a{i}" for i in range(6)))
    with store.transaction():  # filed in this order: a0 first, a5 last
        for i in range(6):
            store.put_representations([_rep(f"a{i}", {"e:lvrv": 1.0})], {f"a{i}": [key_id("e:lvrv")]}, fresh=True)
    assert store.sharing_features([key_id("e:lvrv")], 10, per_feature=3) == [("a3", 1), ("a4", 1), ("a5", 1)]
    with store.transaction():  # filed again (re-cleaned): it is the latest now, and filed once
        store.put_representations([_rep("a0", {"e:lvrv": 1.0})], {"a0": [key_id("e:lvrv")]})
    assert store.sharing_features([key_id("e:lvrv")], 10, per_feature=2) == [("a0", 1), ("a5", 1)]
    assert len(store.sharing_features([key_id("e:lvrv")], 10, per_feature=100)) == 6
    latest = store.latest_postings([key_id("e:lvrv"), key_id("p:US")], 2)
    assert sorted((article, feature) for feature, _, article in latest) == [
        ("a0", key_id("e:lvrv")),
        ("a5", key_id("e:lvrv")),
    ]
    seqs = {article: seq for _, seq, article in latest}
    assert seqs["a0"] > seqs["a5"]  # filing numbers order the postings: a0 was filed last


def test_reads_inside_a_transaction_see_its_own_writes(store: Store) -> None:
    _put(store, "a1", "a2")
    summary = StorySummary("s-a1", "Talks", ("en",), (), None, None, (), (), 1, 1, language_counts=(("en", 1),))
    with store.transaction():
        store.put_representations([_rep("a1", {"e:lvrv": 1.0})], {"a1": [key_id("e:lvrv")]}, fresh=True)
        assert store.sharing_features([key_id("e:lvrv")], 10) == [("a1", 1)]
        assert store.assignments(["a1"]) == {}
        store.put_placements([Assignment("a1", "e-a1", "s-a1", 0.0)])
        assert store.assignments(["a1", "a2"]) == {"a1": Assignment("a1", "e-a1", "s-a1", 0.0)}
        store.put_placements([Assignment("a2", "e-a2", "s-a2", 0.0)])
        store.put_story_summary(summary)
        assert store.story_summary("s-a1") is not None and store.covered_languages() == ["en"]
        store.mark_summaries_due(["s-a1"])
        assert store.summaries_due(["s-a1"]) == {"s-a1"}
        store.merge_stories("s-a2", ["s-a1"], "a1", "ingest")
        assert store.assignments(["a1"])["a1"].story_id == "s-a2"
    with pytest.raises(RuntimeError), store.transaction():  # a summary of a failed batch is not kept
        store.put_story_summary(StorySummary("s-lost", "Lost", (), (), None, None, (), (), 0, 0))
        raise RuntimeError("crash mid-batch")
    assert store.story_summary("s-lost") is None and store.story_summary_count() == 1
