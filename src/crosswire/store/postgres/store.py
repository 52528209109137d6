"""The server store: the Store interface on PostgreSQL (``--db postgresql://USER@HOST:PORT/DB``).

Every write works in sets (crosswire.store.postgres.writes): a batch costs a few round trips
however many rows it holds (a round trip per row was slower than SQLite). Writers take one advisory lock for their
transaction, so the cluster writer places articles one process at a time, as SQLite's single
writer does; readers never wait for it. Commits do not wait for the disk flush
(``synchronous_commit = off``): like the SQLite store in WAL mode with ``synchronous=NORMAL``, a
power cut may lose the last commits but never leaves half of one.

Batch writes, story summaries and browsing, search and live sources are in the sibling modules.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, suppress
from typing import TYPE_CHECKING, Any

import numpy as np

from crosswire.encode.centering import merged_sums
from crosswire.represent import compact
from crosswire.represent.compact import CompactRepresentation
from crosswire.store import codec, exports
from crosswire.store.postgres import connection, migrations
from crosswire.store.postgres.pgvector import PgVectorReads
from crosswire.store.postgres.queries import int8_array
from crosswire.store.postgres.reads import SummaryReads
from crosswire.store.postgres.search import SearchReads
from crosswire.store.postgres.writes import BatchWrites, _now
from crosswire.types import Analysis, Article, Assignment, RawDocument, StorySummary

if TYPE_CHECKING:
    from crosswire.store.sources import SourceState

_PAGE = 2000  # rows a streaming read fetches at a time


class PostgresStore(BatchWrites, SummaryReads, SearchReads, PgVectorReads):
    def __init__(self, url: str, *, create: bool = True) -> None:
        """Open the store in the database ``url`` names; with ``create=False`` a database without
        the crosswire schema is refused rather than filled."""
        self.url = url
        self.path = connection.cache_path(url)
        self._pending_summaries: dict[str, StorySummary] = {}
        # Placements of the candidates sharing_features returned (None: not placed), read in the
        # same round trip: the cluster writer asks for them next. Kept only inside a transaction
        # (no other process writes then) and dropped by every write to placements.
        self._placed: dict[str, Assignment | None] = {}
        self._search_tables: dict[int, bool] = {}  # pgvector search tables by dimension (pgvector.py)
        self.conn = connection.connect(url)
        try:
            migrations.migrate(self.conn, connection.redacted(url), create=create)
        except BaseException:
            self.conn.close()
            raise
        # The vector index is saved beside ``path`` by whichever command writes (recluster opens
        # an existing store): the folder must exist whatever ``create`` says.
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def __repr__(self) -> str:
        return f"PostgresStore({connection.redacted(self.url)!r})"

    # -- schema ---------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return migrations.version(self.conn)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with ExitStack() as stack:
            try:
                stack.enter_context(self.conn.transaction())
                self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (migrations.WRITE_LOCK,))
            except Exception:
                if not self.conn.broken:
                    raise
                # Dropped by the server since the last call (a restart, an idle timeout): nothing
                # was done yet, so the transaction starts again on a new connection.
                with suppress(Exception):  # ending the failed start on the dead connection
                    stack.close()
                self._reconnect()
                stack.enter_context(self.conn.transaction())
                self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (migrations.WRITE_LOCK,))
            self.conn.execute("SET LOCAL synchronous_commit = off")
            self._in_transaction = True
            try:
                yield
                self._flush_summaries()
            finally:
                self._in_transaction = False
                self._pending_summaries.clear()
                self._placed.clear()

    def close(self) -> None:
        self.conn.close()

    def _reconnect(self) -> None:
        self.conn.close()
        self.conn = connection.connect(self.url)

    def __del__(self) -> None:
        # A store dropped without close() (the server's per-thread readers end with their threads,
        # as SQLite connections do) closes quietly instead of psycopg warning about an open one.
        conn = getattr(self, "conn", None)
        if conn is not None and not conn.closed:
            conn.close()

    # -- reads ------------------------------------------------------------------------------
    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        return {row[0] for row in self._all("SELECT id FROM articles WHERE id = ANY(%b)", [list(ids)])}

    def article(self, article_id: str) -> Article | None:
        found = self.articles([article_id])
        return found[0] if found else None

    def articles(self, ids: Sequence[str]) -> list[Article]:
        rows = {row["id"]: codec.article_from_row(row) for row in self._dicts(_ARTICLES + " WHERE id = ANY(%b)", [ids])}
        return [rows[i] for i in ids if i in rows]

    def find_article_ids(self, prefix: str) -> list[str]:
        """Ids starting with ``prefix`` (users type short ids, like git's)."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._all("SELECT id FROM articles WHERE id LIKE %s ORDER BY id LIMIT 2", (escaped + "%",))
        return [row[0] for row in rows]

    def raw(self, article_id: str) -> RawDocument | None:
        row = self._one("SELECT source, kind, body, hints, flags FROM raw_documents WHERE id = %s", (article_id,))
        return codec.raw_from_row(*row) if row else None

    def analysis(self, article_id: str) -> Analysis | None:
        return self.analyses([article_id]).get(article_id)

    def analyses(self, ids: Sequence[str]) -> dict[str, Analysis]:
        if not ids:
            return {}
        rows = self._all("SELECT article_id, data, terms FROM analyses WHERE article_id = ANY(%b)", [list(ids)])
        return {article_id: codec.analysis_from_row(data, terms) for article_id, data, terms in rows}

    def representations(self, ids: Sequence[str]) -> dict[str, CompactRepresentation]:
        if not ids:  # the cluster writer often asks for none (all cached): no round trip then
            return {}
        found = {}
        for article_id, language, published, data, vector in self._all(
            "SELECT r.article_id, a.language, a.published, r.data, v.data FROM compact_representations r "
            "JOIN articles a ON a.id = r.article_id LEFT JOIN vectors v ON v.article_id = r.article_id "
            "WHERE r.article_id = ANY(%b)",
            [list(ids)],
        ):
            dense = np.frombuffer(vector, dtype=np.float32) if vector is not None else None
            found[article_id] = compact.from_blob(article_id, language, published, data, dense)
        return found

    def vector_count(self) -> int:
        return self._count("SELECT count(*) FROM vectors")

    def data_version(self) -> tuple[int, ...] | None:
        return None  # no cheap server-wide change counter: readers derive again each time

    def all_vectors(self) -> Iterator[tuple[str, np.ndarray, str | None]]:
        """Every stored dense vector with its article's language, for rebuilding a vector index
        and the language means (read a page at a time)."""
        after = ""
        while rows := self._all(
            "SELECT v.article_id, v.data, a.language FROM vectors v JOIN articles a ON a.id = v.article_id "
            "WHERE v.article_id > %s ORDER BY v.article_id LIMIT %s",
            (after, _PAGE),
        ):
            for article_id, data, language in rows:
                yield article_id, np.frombuffer(data, dtype=np.float32), language
            after = rows[-1][0]

    def language_vector_sums(self) -> dict[str, tuple[int, np.ndarray]]:
        """Per language (``"*"``: all), the number of stored vectors and their float64 sum."""
        return {
            language: (int(n), np.frombuffer(total, dtype=np.float64).copy())
            for language, n, total in self._all("SELECT language, n, total FROM language_vectors")
        }

    def add_language_vector_sums(self, deltas: Mapping[str, tuple[int, np.ndarray]]) -> None:
        """Add (count, vector sum) changes per language to ``language_vector_sums``."""
        if not deltas:
            return
        rows = merged_sums(self.language_vector_sums(), deltas)
        self.conn.cursor().executemany(
            "INSERT INTO language_vectors VALUES (%s, %s, %s) "
            "ON CONFLICT (language) DO UPDATE SET n = excluded.n, total = excluded.total",
            rows,
        )

    def site_vector_sums(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, np.ndarray]]:
        """Per (site, language) of ``keys`` that has any, the number of placed vectors and their float64 sum."""
        found: dict[tuple[str, str], tuple[int, np.ndarray]] = {}
        for site, language in keys:
            row = self._one("SELECT n, total FROM site_vectors WHERE site = %s AND language = %s", (site, language))
            if row is not None:
                found[(site, language)] = (int(row[0]), np.frombuffer(row[1], dtype=np.float64).copy())
        return found

    def add_site_vector_sums(self, deltas: Mapping[tuple[str, str], tuple[int, np.ndarray]]) -> None:
        """Add (count, vector sum) changes per (site, language) to ``site_vector_sums``."""
        if not deltas:
            return
        current = self.site_vector_sums(list(deltas))
        self.conn.cursor().executemany(
            "INSERT INTO site_vectors VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (site, language) DO UPDATE SET n = excluded.n, total = excluded.total",
            [(*key, n, total) for key, n, total in merged_sums(current, deltas)],
        )

    def feature_freq(self, ids: Sequence[int]) -> dict[int, int]:
        if not len(ids):
            return {}
        rows = self._all("SELECT id, n FROM feature_freq WHERE id = ANY(%b::bigint[])", [int8_array(ids)])
        return {int(i): int(n) for i, n in rows}

    def article_count(self) -> int:
        return self._count("SELECT count(*) FROM articles")

    def sharing_features(self, ids: Sequence[int], limit: int, per_feature: int = 500) -> list[tuple[str, int]]:
        """Articles filed under the most of ``ids`` (most first, then by article id), counting for
        each feature only the ``per_feature`` articles filed under it last: the candidates, at a
        cost that does not grow with the store."""
        if not len(ids):
            return []
        rows = self._all(
            "SELECT c.article_id, c.shared, a.event_id, a.story_id, a.score FROM (SELECT p.article_id, "
            "count(*) AS shared FROM unnest(%b::bigint[]) AS f(id) CROSS JOIN LATERAL "
            "(SELECT article_id FROM feature_postings WHERE id = f.id ORDER BY seq DESC LIMIT %s) AS p "
            "GROUP BY p.article_id ORDER BY shared DESC, p.article_id LIMIT %s) AS c "
            "LEFT JOIN assignments a ON a.article_id = c.article_id ORDER BY c.shared DESC, c.article_id",
            (int8_array(ids), per_feature, limit),
        )
        if self._in_transaction:
            self._placed.update(
                (article_id, Assignment(article_id, event, story, score) if event is not None else None)
                for article_id, _, event, story, score in rows
            )
        return [(article_id, int(shared)) for article_id, shared, *_ in rows]

    def latest_postings(self, ids: Sequence[int], per_feature: int) -> list[tuple[int, int, str]]:
        """(feature id, filing number, article id) of the ``per_feature`` articles filed last under
        each of ``ids``: what ``sharing_features`` counts, for a planned ingest to go on from."""
        if not len(ids):
            return []
        rows = self._all(
            "SELECT f.id, p.seq, p.article_id FROM unnest(%b::bigint[]) AS f(id) CROSS JOIN LATERAL "
            "(SELECT seq, article_id FROM feature_postings WHERE id = f.id ORDER BY seq DESC LIMIT %s) AS p",
            (int8_array(np.unique(np.asarray(ids, dtype=np.int64))), per_feature),
        )
        return [(int(feature), int(seq), article_id) for feature, seq, article_id in rows]

    def assignments(self, ids: Sequence[str]) -> dict[str, Assignment]:
        unknown = [i for i in ids if i not in self._placed]
        rows = self._all(_ASSIGNMENTS + " WHERE article_id = ANY(%b)", [unknown]) if unknown else []
        found = {row[0]: Assignment(*row) for row in rows}
        for article_id in ids:
            known = self._placed.get(article_id)
            if known is not None:
                found[article_id] = known
        return found

    def story_ids(self) -> list[str]:
        """Stories, most recently active first."""
        rows = self._all(
            "SELECT a.story_id FROM assignments a JOIN articles r ON r.id = a.article_id "
            "GROUP BY a.story_id ORDER BY max(coalesce(r.published, '')) DESC, count(*) DESC, a.story_id"
        )
        return [row[0] for row in rows]

    def all_assignments(self) -> list[Assignment]:
        return [Assignment(*row) for row in self._all(_ASSIGNMENTS + " ORDER BY story_id, assigned_at, article_id")]

    def site_lines(self, site: str, min_articles: int) -> tuple[int, set[str]]:
        """(articles seen from ``site``, keys of its lines seen in at least ``min_articles`` of them)."""
        row = self._one("SELECT n FROM site_docs WHERE site = %s", (site,))
        if row is None:
            return 0, set()
        lines = self._all("SELECT line FROM site_lines WHERE site = %s AND n >= %s", (site, min_articles))
        return int(row[0]), {key for (key,) in lines}

    def site_line_counts(self, site: str, keys: Sequence[str], min_articles: int) -> tuple[int, dict[str, int]]:
        """(articles seen from ``site``, per line key the articles holding it): for ``keys``, and
        for every key held by at least ``min_articles``."""
        row = self._one("SELECT n FROM site_docs WHERE site = %s", (site,))
        if row is None:
            return 0, {}
        lines = self._all(
            "SELECT line, n FROM site_lines WHERE site = %s AND (n >= %s OR line = ANY(%b))",
            (site, min_articles, list(keys)),
        )
        return int(row[0]), {key: int(n) for key, n in lines}

    def article_ids_by_time(self) -> list[str]:
        return [row[0] for row in self._all("SELECT id FROM articles ORDER BY published IS NULL, published, id")]

    def story_sizes(self, story_ids: Sequence[str]) -> dict[str, int]:
        if not story_ids:
            return {}
        rows = self._all(
            "SELECT story_id, count(*) FROM assignments WHERE story_id = ANY(%b) GROUP BY story_id", [list(story_ids)]
        )
        return {story_id: int(n) for story_id, n in rows}

    def merge_stories(self, into: str, absorbed: Sequence[str], article_id: str | None, cause: str) -> None:
        """Move every event and article of ``absorbed`` into story ``into`` and record the merge."""
        self._placed.clear()
        moved = [s for s in absorbed if s != into]
        with self.conn.pipeline():
            self.conn.execute("UPDATE events SET story_id = %s WHERE story_id = ANY(%b)", (into, moved))
            self.conn.execute("UPDATE assignments SET story_id = %s WHERE story_id = ANY(%b)", (into, moved))
            self.conn.execute("DELETE FROM stories WHERE id = ANY(%b)", (moved,))
        self.record_change("merge", into, absorbed, article_id, cause)

    def record_change(
        self, kind: str, story_id: str, sources: Sequence[str], article_id: str | None, cause: str
    ) -> None:
        self.conn.execute(
            "INSERT INTO cluster_changes (kind, story_id, sources, article_id, cause, at) VALUES (%s,%s,%s,%s,%s,%s)",
            (kind, story_id, json.dumps(list(sources)), article_id, cause, _now()),
        )

    def rename_stories(self, renames: Mapping[str, str]) -> None:
        """Give stories new ids at once (``renames`` may swap ids: each row is mapped once)."""
        self._placed.clear()
        if not renames:
            return
        old, new = list(renames), list(renames.values())
        with self.conn.pipeline():
            self.conn.execute(
                "INSERT INTO stories SELECT n, %s FROM unnest(%b::text[]) AS n ON CONFLICT DO NOTHING", (_now(), new)
            )
            for table in ("events", "assignments"):
                self.conn.execute(
                    f"UPDATE {table} t SET story_id = r.new FROM unnest(%b::text[], %b::text[]) AS r(old, new) "
                    "WHERE t.story_id = r.old",
                    (old, new),
                )
            self.conn.execute("DELETE FROM stories s WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.story_id = s.id)")

    def forget_changes(self, cause: str) -> None:
        self.conn.execute("DELETE FROM cluster_changes WHERE cause = %s", (cause,))

    def cluster_changes(self, story_id: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """Recorded merges and splits, newest first; with ``story_id``, those naming it."""
        query = "SELECT id, kind, story_id, sources, article_id, cause, at FROM cluster_changes"
        args: list[Any] = []
        if story_id is not None:
            query += " WHERE story_id = %s OR sources LIKE %s"
            escaped = story_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            args += [story_id, f'%"{escaped}"%']
        rows = self._dicts(query + " ORDER BY id DESC LIMIT %s", [*args, limit])
        return [{**row, "sources": json.loads(row["sources"])} for row in rows]

    def story_of_articles(self) -> dict[str, str]:
        return dict(self._all("SELECT article_id, story_id FROM assignments"))

    def clear_postings(self) -> None:
        self.conn.execute("DELETE FROM feature_postings")

    def clear_clusters(self) -> None:
        """Forget every assignment, event and story (call inside a transaction)."""
        self._placed.clear()
        for table in ("assignments", "events", "stories", "site_vectors"):
            self.conn.execute(f"DELETE FROM {table}")

    def cluster_counts(self) -> tuple[int, int]:
        """(stories, events) that hold at least one article."""
        row = self._one("SELECT count(DISTINCT story_id), count(DISTINCT event_id) FROM assignments")
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def source_state(self) -> SourceState:
        """What the store knows about live sources (feeds, fetched pages)."""
        from crosswire.store.postgres.sources import PostgresSourceState

        return PostgresSourceState(self)

    def stored_articles(self) -> Iterator[exports.StoredArticle]:
        """Every stored article with its raw input and placement, in the order stored (read a page
        at a time, so memory stays flat in the size of the store)."""
        after = -1
        while rows := self._dicts(
            "SELECT a.*, r.source AS raw_source, r.kind AS raw_kind, r.body AS raw_body, r.hints AS raw_hints, "
            "r.flags AS raw_flags, s.event_id, s.story_id FROM articles a JOIN raw_documents r ON r.id = a.id "
            "LEFT JOIN assignments s ON s.article_id = a.id WHERE a.seq > %s ORDER BY a.seq LIMIT %s",
            (after, _PAGE // 10),
        ):
            for row in rows:
                raw = codec.raw_from_row(
                    row["raw_source"], row["raw_kind"], row["raw_body"], row["raw_hints"], row["raw_flags"]
                )
                yield exports.StoredArticle(raw, codec.article_from_row(row), row["event_id"], row["story_id"])
            after = rows[-1]["seq"]

    def all_article_ids(self) -> list[str]:
        return [row[0] for row in self._all("SELECT id FROM articles ORDER BY seq")]

    def rejection_counts(self) -> dict[str, int]:
        return {reason: int(n) for reason, n in self._all("SELECT reason, count(*) FROM rejections GROUP BY reason")}


_ARTICLES = "SELECT id, source, title, text, language, published, site, author, url, removed, flags FROM articles"
_ASSIGNMENTS = "SELECT article_id, event_id, story_id, score FROM assignments"
