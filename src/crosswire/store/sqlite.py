"""The embedded default store: one SQLite file in WAL mode.

One writer at a time (SQLite's own rule); each ingest batch is one transaction, so a crash
mid-run loses nothing already committed and never leaves a half-written article.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from crosswire.encode.centering import merged_sums
from crosswire.errors import CrosswireError, StoreNotFound
from crosswire.represent import compact
from crosswire.represent.compact import CompactRepresentation
from crosswire.store import browse, codec, exports, search, summaries
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

if TYPE_CHECKING:
    from crosswire.store.sources import SourceState

_BATCH = 500  # SQLite's bound-parameter limit is 32766; stay well under it


CACHE_KIB = 128 * 1024  # per connection; pages are allocated as used, so small stores stay small


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_T = TypeVar("_T")


def _chunks(items: Sequence[_T], size: int = _BATCH) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files("crosswire.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


class SQLiteStore:
    def __init__(self, path: str | Path, *, create: bool = True, cache_kib: int = CACHE_KIB) -> None:
        """Open the store at ``path``; with ``create=False`` a missing one is an error, not a new
        empty store (a mistyped path must not look like a store without articles)."""
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise StoreNotFound(f"no store at {self.path}")
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as err:
            raise CrosswireError(f"cannot open store {self.path}: {err}") from err
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError as err:
            raise CrosswireError(f"{self.path} is not a crosswire store: {err}") from err
        self.db.execute("PRAGMA synchronous=NORMAL")
        # The default page cache (2 MiB) holds little of the postings and document-frequency
        # B-trees once a store passes ~20,000 articles; every write then reads pages back from
        # the OS, and the cost of adding one article grew with the store.
        self.db.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
        self.db.execute("PRAGMA temp_store=MEMORY")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA busy_timeout=10000")
        codec.register_functions(self.db)
        self._migrate()

    # -- schema ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        current = self.db.execute("PRAGMA user_version").fetchone()[0]
        for version, script in _migrations():
            if version <= current:
                continue
            with self.transaction():
                for statement in script.split(";\n"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={version:d}")

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    # -- writes (call inside transaction()) --------------------------------------------------
    def add_raws(self, raws: Sequence[tuple[str, RawDocument]]) -> None:
        now = _now()
        self.db.executemany(
            "INSERT OR IGNORE INTO raw_documents VALUES (?,?,?,?,?,?,?)",
            [codec.raw_row(article_id, raw, now) for article_id, raw in raws],
        )

    def put_articles(self, articles: Sequence[Article]) -> None:
        now = _now()
        self.db.executemany(
            "INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    article.id,
                    article.source,
                    article.title,
                    article.text,
                    article.language,
                    article.published,
                    article.site,
                    article.author,
                    article.url,
                    codec.removed_to_json(article.removed),
                    json.dumps(list(article.flags)),
                    now,
                )
                for article in articles
            ],
        )

    def put_analyses(self, analyses: Sequence[Analysis]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO analyses (article_id, data, terms) VALUES (?,?,?)",
            [(a.article_id, *codec.analysis_to_row(a)) for a in analyses],
        )

    def put_representations(
        self, reps: Sequence[CompactRepresentation], index: Mapping[str, Iterable[int]], *, fresh: bool = False
    ) -> None:
        """Store compact representations, their dense vectors and their postings (``index``:
        article id -> the feature ids it is filed under); ``fresh``: the articles have no
        postings yet (skips the delete)."""
        if not fresh:  # an article filed again: its postings go, by the key they are stored under
            ids = [rep.article_id for rep in reps]
            stale = []
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                for data, seq in self.db.execute(
                    f"SELECT data, seq FROM compact_representations WHERE article_id IN ({marks})", chunk
                ):
                    stale += [(feature, seq) for feature in compact.from_blob("", None, None, data).ids.tolist()]
            self.db.executemany("DELETE FROM feature_postings WHERE id = ? AND seq = ?", stale)
        # Each article filed gets the next number: a lookup reads a feature's latest postings.
        row = self.db.execute("SELECT value FROM meta WHERE key = 'posting_seq'").fetchone()
        first = int(row[0]) + 1 if row else 1
        seqs = {rep.article_id: first + i for i, rep in enumerate(reps)}
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('posting_seq', ?)", (str(first + len(reps) - 1),))
        self.db.executemany(
            "INSERT OR REPLACE INTO compact_representations (article_id, data, seq) VALUES (?,?,?)",
            [(rep.article_id, compact.to_blob(rep), seqs[rep.article_id]) for rep in reps],
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO feature_postings VALUES (?,?,?)",
            [(int(feature), seqs[article_id], article_id) for article_id, ids in index.items() for feature in ids],
        )
        self.db.executemany(
            "DELETE FROM vectors WHERE article_id = ?", [(rep.article_id,) for rep in reps if rep.vector is None]
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO vectors VALUES (?,?)",
            [
                (rep.article_id, np.asarray(rep.vector, dtype=np.float32).tobytes())
                for rep in reps
                if rep.vector is not None
            ],
        )

    def count_features(self, counts: Mapping[int, int]) -> None:
        """Add ``counts`` (feature id -> number of new documents holding it) to the document frequencies."""
        self.db.executemany(
            "INSERT INTO feature_freq VALUES (?1, max(?2, 0)) ON CONFLICT(id) DO UPDATE SET n = max(n + ?2, 0)",
            [(int(k), int(n)) for k, n in counts.items()],
        )

    def language_vector_sums(self) -> dict[str, tuple[int, np.ndarray]]:
        """Per language (``"*"``: all), the number of stored vectors and their float64 sum."""
        return {
            language: (int(n), np.frombuffer(total, dtype=np.float64).copy())
            for language, n, total in self.db.execute("SELECT language, n, total FROM language_vectors")
        }

    def add_language_vector_sums(self, deltas: Mapping[str, tuple[int, np.ndarray]]) -> None:
        """Add (count, vector sum) changes per language to ``language_vector_sums``."""
        if not deltas:
            return
        rows = merged_sums(self.language_vector_sums(), deltas)
        self.db.executemany("INSERT OR REPLACE INTO language_vectors VALUES (?,?,?)", rows)

    def site_vector_sums(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, np.ndarray]]:
        """Per (site, language) of ``keys`` that has any, the number of placed vectors and their float64 sum."""
        found: dict[tuple[str, str], tuple[int, np.ndarray]] = {}
        for site, language in keys:
            row = self.db.execute(
                "SELECT n, total FROM site_vectors WHERE site = ? AND language = ?", (site, language)
            ).fetchone()
            if row is not None:
                found[(site, language)] = (int(row[0]), np.frombuffer(row[1], dtype=np.float64).copy())
        return found

    def add_site_vector_sums(self, deltas: Mapping[tuple[str, str], tuple[int, np.ndarray]]) -> None:
        """Add (count, vector sum) changes per (site, language) to ``site_vector_sums``."""
        if not deltas:
            return
        current = self.site_vector_sums(list(deltas))
        self.db.executemany(
            "INSERT OR REPLACE INTO site_vectors VALUES (?,?,?,?)",
            [(*key, n, total) for key, n, total in merged_sums(current, deltas)],
        )

    def count_site_lines(self, docs: Mapping[str, int], lines: Mapping[tuple[str, str], int]) -> None:
        """Add articles per site (``docs``) and, per (site, line key), the articles holding the line."""
        self.db.executemany(
            "INSERT INTO site_docs VALUES (?,?) ON CONFLICT(site) DO UPDATE SET n = n + excluded.n", list(docs.items())
        )
        self.db.executemany(
            "INSERT INTO site_lines VALUES (?,?,?) ON CONFLICT(site, line) DO UPDATE SET n = n + excluded.n",
            [(site, key, n) for (site, key), n in lines.items()],
        )

    def add_rejection(self, rejection: Rejection) -> None:
        """Record ``rejection``; one seen before (same source and reason) is counted again."""
        now = _now()
        self.db.execute(
            "INSERT INTO rejections (source, reason, detail, at, first_at) VALUES (?,?,?,?,?) "
            "ON CONFLICT(source, reason) DO UPDATE SET detail = excluded.detail, at = excluded.at, times = times + 1",
            (rejection.source, rejection.reason, rejection.detail[:2000], now, now),
        )

    def put_placements(self, assignments: Sequence[Assignment]) -> None:
        """Store assignments with their stories and events (created when new)."""
        now = _now()
        self.db.executemany(
            "INSERT OR IGNORE INTO stories VALUES (?,?)",
            [(s, now) for s in dict.fromkeys(a.story_id for a in assignments)],
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO events VALUES (?,?,?)",
            [(e, s, now) for e, s in dict.fromkeys((a.event_id, a.story_id) for a in assignments)],
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO assignments VALUES (?,?,?,?,?)",
            [(a.article_id, a.event_id, a.story_id, a.score, now) for a in assignments],
        )

    # -- reads ------------------------------------------------------------------------------
    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            found.update(row[0] for row in self.db.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk))
        return found

    def article(self, article_id: str) -> Article | None:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return codec.article_from_row(row) if row else None

    def articles(self, ids: Sequence[str]) -> list[Article]:
        rows: dict[str, Article] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(f"SELECT * FROM articles WHERE id IN ({marks})", chunk):
                rows[row["id"]] = codec.article_from_row(row)
        return [rows[i] for i in ids if i in rows]

    def find_article_ids(self, prefix: str) -> list[str]:
        """Ids starting with ``prefix`` (users type short ids, like git's)."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return [
            row[0]
            for row in self.db.execute("SELECT id FROM articles WHERE id LIKE ? ESCAPE '\\' LIMIT 2", (escaped + "%",))
        ]

    def raw(self, article_id: str) -> RawDocument | None:
        row = self.db.execute(
            "SELECT source, kind, body, hints, flags FROM raw_documents WHERE id = ?", (article_id,)
        ).fetchone()
        return codec.raw_from_row(*row) if row else None

    def analysis(self, article_id: str) -> Analysis | None:
        return self.analyses([article_id]).get(article_id)

    def analyses(self, ids: Sequence[str]) -> dict[str, Analysis]:
        found = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for article_id, data, terms in self.db.execute(
                f"SELECT article_id, data, terms FROM analyses WHERE article_id IN ({marks})", chunk
            ):
                found[article_id] = codec.analysis_from_row(data, terms)
        return found

    def representations(self, ids: Sequence[str]) -> dict[str, CompactRepresentation]:
        found = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for article_id, language, published, data, vector in self.db.execute(
                "SELECT r.article_id, a.language, a.published, r.data, v.data FROM compact_representations r "
                "JOIN articles a ON a.id = r.article_id LEFT JOIN vectors v ON v.article_id = r.article_id "
                f"WHERE r.article_id IN ({marks})",
                chunk,
            ):
                dense = np.frombuffer(vector, dtype=np.float32) if vector is not None else None
                found[article_id] = compact.from_blob(article_id, language, published, data, dense)
        return found

    def vector_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM vectors").fetchone()[0])

    def data_version(self) -> tuple[int, ...] | None:
        # The files, not PRAGMA data_version: that one is per connection, and a server reads
        # through several. In WAL mode every commit appends to the -wal file, and a checkpoint
        # writes the database file.
        try:
            files = [os.stat(self.path), os.stat(f"{self.path}-wal")]
        except OSError:
            return None
        return tuple(n for stat in files for n in (stat.st_mtime_ns, stat.st_size, stat.st_ino))

    # One file, one machine: the vector index file beside it (crosswire.cluster.ann) serves search.
    def search_vector_count(self, ndim: int, *, create: bool = False) -> int | None:
        return None

    def put_search_vectors(self, items: Sequence[tuple[str, np.ndarray]]) -> bool:
        return False

    def nearest_vectors(self, vector: np.ndarray, k: int) -> list[tuple[str, float]] | None:
        return None

    def all_vectors(self) -> Iterator[tuple[str, np.ndarray, str | None]]:
        """Every stored dense vector with its article's language, for rebuilding a vector index
        and the language means."""
        for article_id, data, language in self.db.execute(
            "SELECT v.article_id, v.data, a.language FROM vectors v JOIN articles a ON a.id = v.article_id"
        ):
            yield article_id, np.frombuffer(data, dtype=np.float32), language

    def feature_freq(self, ids: Sequence[int]) -> dict[int, int]:
        found: dict[int, int] = {}
        for chunk in _chunks([int(i) for i in ids]):
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(f"SELECT id, n FROM feature_freq WHERE id IN ({marks})", chunk).fetchall())
        return found

    def article_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def sharing_features(self, ids: Sequence[int], limit: int, per_feature: int = 500) -> list[tuple[str, int]]:
        """Articles filed under the most of ``ids`` (most first, then by article id), counting for
        each feature only the ``per_feature`` articles filed under it last: the candidates, at a
        cost that does not grow with the store."""
        if not ids:
            return []
        latest = (
            "SELECT article_id FROM (SELECT article_id FROM feature_postings WHERE id = ? ORDER BY seq DESC LIMIT ?)"
        )
        union = " UNION ALL ".join([latest] * len(ids))
        rows = self.db.execute(
            f"SELECT article_id, count(*) AS shared FROM ({union}) "
            "GROUP BY article_id ORDER BY shared DESC, article_id LIMIT ?",
            (*(value for i in ids for value in (int(i), per_feature)), limit),
        )
        return [(article_id, shared) for article_id, shared in rows]

    def latest_postings(self, ids: Sequence[int], per_feature: int) -> list[tuple[int, int, str]]:
        """(feature id, filing number, article id) of the ``per_feature`` articles filed last under
        each of ``ids``: what ``sharing_features`` counts, for a planned ingest to go on from."""
        found: list[tuple[int, int, str]] = []
        for feature in dict.fromkeys(int(i) for i in ids):
            found += self.db.execute(
                "SELECT id, seq, article_id FROM feature_postings WHERE id = ? ORDER BY seq DESC LIMIT ?",
                (feature, per_feature),
            ).fetchall()
        return found

    def assignments(self, ids: Sequence[str]) -> dict[str, Assignment]:
        found = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(f"SELECT * FROM assignments WHERE article_id IN ({marks})", chunk):
                found[row["article_id"]] = Assignment(row["article_id"], row["event_id"], row["story_id"], row["score"])
        return found

    def story_ids(self) -> list[str]:
        """Stories, most recently active first."""
        return [
            row[0]
            for row in self.db.execute(
                "SELECT a.story_id FROM assignments a JOIN articles r ON r.id = a.article_id "
                "GROUP BY a.story_id ORDER BY max(coalesce(r.published, '')) DESC, count(*) DESC, a.story_id"
            )
        ]

    def all_assignments(self) -> list[Assignment]:
        return [
            Assignment(row["article_id"], row["event_id"], row["story_id"], row["score"])
            for row in self.db.execute("SELECT * FROM assignments ORDER BY story_id, assigned_at, article_id")
        ]

    def site_lines(self, site: str, min_articles: int) -> tuple[int, set[str]]:
        """(articles seen from ``site``, keys of its lines seen in at least ``min_articles`` of them)."""
        row = self.db.execute("SELECT n FROM site_docs WHERE site = ?", (site,)).fetchone()
        if row is None:
            return 0, set()
        lines = self.db.execute("SELECT line FROM site_lines WHERE site = ? AND n >= ?", (site, min_articles))
        return int(row[0]), {key for (key,) in lines}

    def site_line_counts(self, site: str, keys: Sequence[str], min_articles: int) -> tuple[int, dict[str, int]]:
        """(articles seen from ``site``, per line key the articles holding it): for ``keys``, and
        for every key held by at least ``min_articles``."""
        row = self.db.execute("SELECT n FROM site_docs WHERE site = ?", (site,)).fetchone()
        if row is None:
            return 0, {}
        found = dict(self.db.execute("SELECT line, n FROM site_lines WHERE site = ? AND n >= ?", (site, min_articles)))
        for chunk in _chunks(list(keys)):
            marks = ",".join("?" * len(chunk))
            found.update(
                self.db.execute(f"SELECT line, n FROM site_lines WHERE site = ? AND line IN ({marks})", (site, *chunk))
            )
        return int(row[0]), {key: int(n) for key, n in found.items()}

    def article_ids_by_time(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT id FROM articles ORDER BY published IS NULL, published, id")]

    def story_sizes(self, story_ids: Sequence[str]) -> dict[str, int]:
        marks = ",".join("?" * len(story_ids))
        return dict(
            self.db.execute(
                f"SELECT story_id, count(*) FROM assignments WHERE story_id IN ({marks}) GROUP BY story_id",
                list(story_ids),
            ).fetchall()
        )

    def merge_stories(self, into: str, absorbed: Sequence[str], article_id: str | None, cause: str) -> None:
        """Move every event and article of ``absorbed`` into story ``into`` and record the merge."""
        for story_id in absorbed:
            self.db.execute("UPDATE events SET story_id = ? WHERE story_id = ?", (into, story_id))
            self.db.execute("UPDATE assignments SET story_id = ? WHERE story_id = ?", (into, story_id))
            self.db.execute("DELETE FROM stories WHERE id = ?", (story_id,))
        self.record_change("merge", into, absorbed, article_id, cause)

    def record_change(
        self, kind: str, story_id: str, sources: Sequence[str], article_id: str | None, cause: str
    ) -> None:
        self.db.execute(
            "INSERT INTO cluster_changes (kind, story_id, sources, article_id, cause, at) VALUES (?,?,?,?,?,?)",
            (kind, story_id, json.dumps(list(sources)), article_id, cause, _now()),
        )

    def rename_stories(self, renames: Mapping[str, str]) -> None:
        """Give stories new ids at once (``renames`` may swap ids: each row is mapped once)."""
        if not renames:
            return
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS story_renames (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
        self.db.execute("DELETE FROM story_renames")
        self.db.executemany("INSERT INTO story_renames VALUES (?,?)", list(renames.items()))
        now = _now()
        self.db.executemany("INSERT OR IGNORE INTO stories VALUES (?,?)", [(new, now) for new in renames.values()])
        for table in ("events", "assignments"):
            self.db.execute(
                f"UPDATE {table} SET story_id = (SELECT new FROM story_renames WHERE old = story_id) "
                "WHERE story_id IN (SELECT old FROM story_renames)"
            )
        self.db.execute("DELETE FROM stories WHERE id NOT IN (SELECT story_id FROM events)")

    def forget_changes(self, cause: str) -> None:
        self.db.execute("DELETE FROM cluster_changes WHERE cause = ?", (cause,))

    def cluster_changes(self, story_id: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """Recorded merges and splits, newest first; with ``story_id``, those naming it."""
        query = "SELECT * FROM cluster_changes"
        args: list[Any] = []
        if story_id is not None:
            query += " WHERE story_id = ? OR sources LIKE ?"
            args += [story_id, f'%"{story_id}"%']
        rows = self.db.execute(query + " ORDER BY id DESC LIMIT ?", [*args, limit]).fetchall()
        return [{**dict(row), "sources": json.loads(row["sources"])} for row in rows]

    def story_of_articles(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT article_id, story_id FROM assignments").fetchall())

    def clear_postings(self) -> None:
        self.db.execute("DELETE FROM feature_postings")

    def clear_clusters(self) -> None:
        """Forget every assignment, event and story (call inside a transaction)."""
        for table in ("assignments", "events", "stories", "site_vectors"):
            self.db.execute(f"DELETE FROM {table}")

    def cluster_counts(self) -> tuple[int, int]:
        """(stories, events) that hold at least one article."""
        row = self.db.execute("SELECT count(DISTINCT story_id), count(DISTINCT event_id) FROM assignments").fetchone()
        return int(row[0]), int(row[1])

    def source_state(self) -> SourceState:
        """What the store knows about live sources (feeds, fetched pages)."""
        from crosswire.store.sources import SourceState

        return SourceState(self)

    def stored_articles(self) -> Iterator[exports.StoredArticle]:
        """Every stored article with its raw input and placement, in the order stored (write
        nothing while reading them)."""
        return exports.stored_articles(self.db)

    def all_article_ids(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT id FROM articles ORDER BY rowid")]

    def rejection_counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT reason, count(*) FROM rejections GROUP BY reason").fetchall())

    # -- story summaries (queries in crosswire.store.summaries) ------------------------------
    def story_summary_members(self, story_ids: Sequence[str]) -> dict[str, list[StoryMember]]:
        return summaries.members(self.db, story_ids)

    def story_mentions(self, story_id: str, limit: int) -> tuple[summaries.Mentions, summaries.Mentions]:
        """Entity and place mentions (``[key, surface, kind]``) of the story's ``limit`` most
        recently assigned articles, by article id."""
        return summaries.mentions(self.db, story_id, limit)

    def stories_members(self, story_ids: Sequence[str]) -> dict[str, list[Assignment]]:
        return summaries.assignments_of(self.db, story_ids)

    def put_story_summary(self, summary: StorySummary) -> None:
        summaries.put(self.db, summary, _now())

    def delete_story_summaries(self, story_ids: Sequence[str]) -> None:
        summaries.delete(self.db, story_ids)

    def clear_story_summaries(self) -> None:
        summaries.clear(self.db)

    def story_summaries_stale(self) -> bool:
        """True while stories stored before summaries existed still lack theirs."""
        return summaries.stale(self.db)

    def story_summaries(
        self, where: StoryFilter | None = None, limit: int | None = None, offset: int = 0, *, timeline: bool = True
    ) -> list[StorySummary]:
        """Stored summaries (without articles; without events unless ``timeline``), most recently
        active first (undated last), then the biggest."""
        return summaries.listing(self.db, where or StoryFilter(), limit, offset, timeline)

    def story_summary_count(self, where: StoryFilter | None = None) -> int:
        return summaries.count(self.db, where or StoryFilter())

    def mark_summaries_due(self, story_ids: Sequence[str]) -> None:
        summaries.mark_due(self.db, story_ids)

    def summaries_due(self, story_ids: Sequence[str]) -> set[str]:
        return summaries.due(self.db, story_ids)

    def summary_article_counts(self, story_ids: Sequence[str]) -> dict[str, int]:
        return summaries.article_counts(self.db, story_ids)

    def story_summary(self, story_id: str) -> StorySummary | None:
        return summaries.one(self.db, story_id)

    # -- full-text search and browsing (queries in crosswire.store.search and .browse) -------
    def index_for_search(self, rows: Iterable[search.SearchRow]) -> None:
        """Index articles for search (call inside the transaction that stores them)."""
        search.put(self.db, rows)

    def search_index_stale(self) -> bool:
        """True while articles stored before the search index existed are not yet in it."""
        return search.stale(self.db)

    def rebuild_search_index(self) -> int:
        """Index every stored article again (call inside a transaction)."""
        return search.rebuild(self.db)

    def search_hits(self, match: str, where: StoryFilter | None = None, limit: int = 1000) -> list[search.Hit]:
        return search.hits(self.db, match, where or StoryFilter(), limit)

    def search_count(self, match: str) -> int:
        return search.count(self.db, match)

    def search_texts(self, article_ids: Sequence[str], chars: int = search.INDEX_CHARS) -> dict[str, str]:
        """The start of each article's indexed text (for snippets), by id."""
        return search.texts(self.db, article_ids, chars)

    def story_articles(self, story_id: str, limit: int, offset: int = 0) -> list[StoryMember]:
        """A page of a story's articles (by date, undated last) without their texts."""
        return browse.story_articles(self.db, story_id, limit, offset)

    def placement(self, article_id: str) -> Assignment | None:
        """The event and story an article was placed in."""
        return browse.placement(self.db, article_id)

    def story_briefs(self, story_ids: Sequence[str]) -> dict[str, StorySummary]:
        """Stored summaries without their timelines, by id."""
        return summaries.briefs(self.db, story_ids)

    def article_briefs(self, article_ids: Sequence[str]) -> dict[str, StoryMember]:
        """Headlines and metadata (no text) of placed articles, by id."""
        return browse.members_of(self.db, list(article_ids))

    def covered_languages(self) -> list[str]:
        """The languages stories are covered in."""
        return browse.languages(self.db)
