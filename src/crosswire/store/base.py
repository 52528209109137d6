"""The Store interface every service and face uses (a typing Protocol). ``SQLiteStore`` is the
embedded default; any other store implements the same methods and passes the same contract suite
(tests/test_store_contract.py).

Writes happen inside ``transaction()``; the cluster writer and the ingest use case batch them
(``add_raws``, ``put_articles``, ``put_representations``, ``put_placements``), so a store on a
server can turn each into one round trip.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from crosswire.represent.compact import CompactRepresentation
from crosswire.store import exports, search, summaries
from crosswire.store.sources import SourceState
from crosswire.types import (
    Analysis,
    Article,
    Assignment,
    RawDocument,
    Rejection,
    StoryFilter,
    StoryMember,
    StorySummary,
)


@runtime_checkable
class Store(Protocol):
    path: Path

    @property
    def schema_version(self) -> int: ...

    def transaction(self) -> AbstractContextManager[None]: ...

    def close(self) -> None: ...

    def add_raws(self, raws: Sequence[tuple[str, RawDocument]]) -> None: ...

    def put_articles(self, articles: Sequence[Article]) -> None: ...

    def put_analyses(self, analyses: Sequence[Analysis]) -> None: ...

    def put_representations(
        self, reps: Sequence[CompactRepresentation], index: Mapping[str, Iterable[int]], *, fresh: bool = False
    ) -> None:
        """Store compact representations, their dense vectors and their postings (``index``:
        article id -> the feature ids it is filed under); ``fresh``: the articles have no
        postings yet (skips the delete)."""
        ...

    def count_features(self, counts: Mapping[int, int]) -> None:
        """Add ``counts`` (feature id -> number of new documents holding it) to the document frequencies."""
        ...

    def language_vector_sums(self) -> dict[str, tuple[int, np.ndarray]]:
        """Per language (``"*"``: all), the number of stored vectors and their float64 sum."""
        ...

    def add_language_vector_sums(self, deltas: Mapping[str, tuple[int, np.ndarray]]) -> None:
        """Add (count, vector sum) changes per language to ``language_vector_sums``."""
        ...

    def site_vector_sums(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, np.ndarray]]:
        """Per (site, language) of ``keys`` that has any, the number of placed vectors and their float64 sum."""
        ...

    def add_site_vector_sums(self, deltas: Mapping[tuple[str, str], tuple[int, np.ndarray]]) -> None:
        """Add (count, vector sum) changes per (site, language) to ``site_vector_sums``."""
        ...

    def count_site_lines(self, docs: Mapping[str, int], lines: Mapping[tuple[str, str], int]) -> None:
        """Add articles per site (``docs``) and, per (site, line key), the articles holding the line."""
        ...

    def add_rejection(self, rejection: Rejection) -> None: ...

    def put_placements(self, assignments: Sequence[Assignment]) -> None:
        """Store assignments with their stories and events (created when new)."""
        ...

    def existing_ids(self, ids: Sequence[str]) -> set[str]: ...

    def article(self, article_id: str) -> Article | None: ...

    def articles(self, ids: Sequence[str]) -> list[Article]: ...

    def find_article_ids(self, prefix: str) -> list[str]:
        """Ids starting with ``prefix`` (users type short ids, like git's)."""
        ...

    def raw(self, article_id: str) -> RawDocument | None: ...

    def analysis(self, article_id: str) -> Analysis | None: ...

    def analyses(self, ids: Sequence[str]) -> dict[str, Analysis]: ...

    def representations(self, ids: Sequence[str]) -> dict[str, CompactRepresentation]: ...

    def vector_count(self) -> int: ...

    def data_version(self) -> tuple[int, ...] | None:
        """A value that changes whenever anyone commits to the store, the same for every
        connection (None where the store cannot tell cheaply): what lets a reader keep what it
        derived from the data until then."""
        ...

    def all_vectors(self) -> Iterator[tuple[str, np.ndarray, str | None]]:
        """Every stored dense vector with its article's language, for rebuilding a vector index
        and the language means."""
        ...

    def search_vector_count(self, ndim: int, *, create: bool = False) -> int | None:
        """How many vectors of ``ndim`` the store's own search index holds (a database server's,
        e.g. pgvector); None where it keeps none and the file index beside it serves. With
        ``create`` (writers only), the index is made where the store can have one."""
        ...

    def put_search_vectors(self, items: Sequence[tuple[str, np.ndarray]]) -> bool:
        """Keep (article id, centered unit vector) pairs in the store's own search index; False
        where it has none (nothing is stored)."""
        ...

    def nearest_vectors(self, vector: np.ndarray, k: int) -> list[tuple[str, float]] | None:
        """The ``k`` articles whose search vectors are closest to ``vector`` (cosine, best first);
        None where the store keeps no search index of its own."""
        ...

    def feature_freq(self, ids: Sequence[int]) -> dict[int, int]: ...

    def article_count(self) -> int: ...

    def sharing_features(self, ids: Sequence[int], limit: int, per_feature: int = 500) -> list[tuple[str, int]]:
        """Articles filed under the most of ``ids`` (most first, then by article id), counting for
        each feature only the ``per_feature`` articles filed under it last: the candidates, at a
        cost that does not grow with the store."""
        ...

    def latest_postings(self, ids: Sequence[int], per_feature: int) -> list[tuple[int, int, str]]:
        """(feature id, filing number, article id) of the ``per_feature`` articles filed last under
        each of ``ids``: what ``sharing_features`` counts, for a planned ingest to go on from."""
        ...

    def assignments(self, ids: Sequence[str]) -> dict[str, Assignment]: ...

    def story_ids(self) -> list[str]:
        """Stories, most recently active first."""
        ...

    def all_assignments(self) -> list[Assignment]: ...

    def site_lines(self, site: str, min_articles: int) -> tuple[int, set[str]]:
        """(articles seen from ``site``, keys of its lines seen in at least ``min_articles`` of them)."""
        ...

    def site_line_counts(self, site: str, keys: Sequence[str], min_articles: int) -> tuple[int, dict[str, int]]:
        """(articles seen from ``site``, per line key the articles holding it): for ``keys``, and
        for every key held by at least ``min_articles``."""
        ...

    def article_ids_by_time(self) -> list[str]: ...

    def story_sizes(self, story_ids: Sequence[str]) -> dict[str, int]: ...

    def merge_stories(self, into: str, absorbed: Sequence[str], article_id: str | None, cause: str) -> None:
        """Move every event and article of ``absorbed`` into story ``into`` and record the merge."""
        ...

    def record_change(
        self, kind: str, story_id: str, sources: Sequence[str], article_id: str | None, cause: str
    ) -> None: ...

    def rename_stories(self, renames: Mapping[str, str]) -> None:
        """Give stories new ids at once (``renames`` may swap ids: each row is mapped once)."""
        ...

    def forget_changes(self, cause: str) -> None: ...

    def cluster_changes(self, story_id: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """Recorded merges and splits, newest first; with ``story_id``, those naming it."""
        ...

    def story_of_articles(self) -> dict[str, str]: ...

    def clear_postings(self) -> None: ...

    def clear_clusters(self) -> None:
        """Forget every assignment, event and story (call inside a transaction)."""
        ...

    def cluster_counts(self) -> tuple[int, int]:
        """(stories, events) that hold at least one article."""
        ...

    def source_state(self) -> SourceState:
        """What the store knows about live sources (feeds, fetched pages)."""
        ...

    def stored_articles(self) -> Iterator[exports.StoredArticle]:
        """Every stored article with its raw input and placement, in the order stored (write
        nothing while reading them)."""
        ...

    def all_article_ids(self) -> list[str]: ...

    def rejection_counts(self) -> dict[str, int]: ...

    def story_summary_members(self, story_ids: Sequence[str]) -> dict[str, list[StoryMember]]: ...

    def story_mentions(self, story_id: str, limit: int) -> tuple[summaries.Mentions, summaries.Mentions]:
        """Entity and place mentions (``[key, surface, kind]``) of the story's ``limit`` most
        recently assigned articles, by article id."""
        ...

    def stories_members(self, story_ids: Sequence[str]) -> dict[str, list[Assignment]]: ...

    def put_story_summary(self, summary: StorySummary) -> None: ...

    def delete_story_summaries(self, story_ids: Sequence[str]) -> None: ...

    def clear_story_summaries(self) -> None: ...

    def story_summaries_stale(self) -> bool:
        """True while stories stored before summaries existed still lack theirs."""
        ...

    def story_summaries(
        self, where: StoryFilter | None = None, limit: int | None = None, offset: int = 0, *, timeline: bool = True
    ) -> list[StorySummary]:
        """Stored summaries (without articles; without events unless ``timeline``), most recently
        active first (undated last), then the biggest."""
        ...

    def story_summary_count(self, where: StoryFilter | None = None) -> int: ...

    def mark_summaries_due(self, story_ids: Sequence[str]) -> None: ...

    def summaries_due(self, story_ids: Sequence[str]) -> set[str]: ...

    def summary_article_counts(self, story_ids: Sequence[str]) -> dict[str, int]: ...

    def story_summary(self, story_id: str) -> StorySummary | None: ...

    def index_for_search(self, rows: Iterable[search.SearchRow]) -> None:
        """Index articles for search (call inside the transaction that stores them)."""
        ...

    def search_index_stale(self) -> bool:
        """True while articles stored before the search index existed are not yet in it."""
        ...

    def rebuild_search_index(self) -> int:
        """Index every stored article again (call inside a transaction)."""
        ...

    def search_hits(self, match: str, where: StoryFilter | None = None, limit: int = 1000) -> list[search.Hit]: ...

    def search_count(self, match: str) -> int: ...

    def search_texts(self, article_ids: Sequence[str], chars: int = search.INDEX_CHARS) -> dict[str, str]:
        """The start of each article's indexed text (for snippets), by id."""
        ...

    def story_articles(self, story_id: str, limit: int, offset: int = 0) -> list[StoryMember]:
        """A page of a story's articles (by date, undated last) without their texts."""
        ...

    def placement(self, article_id: str) -> Assignment | None:
        """The event and story an article was placed in."""
        ...

    def story_briefs(self, story_ids: Sequence[str]) -> dict[str, StorySummary]:
        """Stored summaries without their timelines, by id."""
        ...

    def article_briefs(self, article_ids: Sequence[str]) -> dict[str, StoryMember]:
        """Headlines and metadata (no text) of placed articles, by id."""
        ...

    def covered_languages(self) -> list[str]:
        """The languages stories are covered in."""
        ...
