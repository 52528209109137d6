"""Full-text search queries on PostgreSQL: the ``article_search`` table (a tsvector per article,
built by crosswire.store.postgres.fulltext) under a GIN index, ranked by ``ts_rank`` with a
title match worth ten body matches, as the SQLite store's bm25 weights are."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from crosswire.store import codec, search
from crosswire.store.postgres import fulltext
from crosswire.store.postgres.queries import Queries, placeholders
from crosswire.store.search import INDEX_CHARS, Hit, SearchRow
from crosswire.types import StoryFilter

_STALE = "article_search"  # meta key: stored articles not (or not as now) in the search index (migration 020)
_BATCH = 500


_DOCUMENT = " || ".join(
    f"setweight(to_tsvector('simple', {column}), '{weight}')" for column, weight in fulltext.COLUMN_WEIGHTS.items()
)


class SearchReads(Queries):
    def index_for_search(self, rows: Iterable[search.SearchRow]) -> None:
        """Index articles for search (call inside the transaction that stores them)."""
        latest = list({row.article_id: row for row in rows}.values())
        # Binary parameters (%b): text arrays of whole articles, never scanned for quoting.
        self.conn.execute(
            f"INSERT INTO article_search SELECT i, t, {_DOCUMENT} "
            "FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[]) "
            "AS u(i, t, title, names, text, lemmas) "
            "ON CONFLICT (article_id) DO UPDATE SET text = excluded.text, document = excluded.document",
            [
                [r.article_id for r in latest],
                [r.text[:INDEX_CHARS] for r in latest],
                *(
                    [fulltext.indexable((getattr(r, column) or "")[:INDEX_CHARS]) for r in latest]
                    for column in fulltext.COLUMN_WEIGHTS
                ),
            ],
        )

    def search_index_stale(self) -> bool:
        """True while articles stored before the search index existed are not yet in it."""
        return self._one("SELECT 1 FROM meta WHERE key = %s", (_STALE,)) is not None

    def rebuild_search_index(self) -> int:
        """Index every stored article again (call inside a transaction)."""
        self.conn.execute("DELETE FROM article_search")
        count, after = 0, -1
        while chunk := self._all(
            "SELECT a.seq, a.id, a.title, a.text, a.language, n.terms, n.data::json ->> 'entities' FROM articles a "
            "LEFT JOIN analyses n ON n.article_id = a.id WHERE a.seq > %s ORDER BY a.seq LIMIT %s",
            (after, _BATCH),
        ):
            self.index_for_search(
                SearchRow(
                    i,
                    title,
                    text,
                    search.lemma_words(codec.unpack_terms(terms), language),
                    search.name_keys(m[0] for m in json.loads(named or "[]")),
                )
                for _, i, title, text, language, terms, named in chunk
            )
            count += len(chunk)
            after = chunk[-1][0]
        self.conn.execute("DELETE FROM meta WHERE key = %s", (_STALE,))
        return count

    def search_hits(self, match: str, where: StoryFilter | None = None, limit: int = 1000) -> list[Hit]:
        """The ``limit`` best-ranked articles matching the FTS5 expression ``match`` and ``where``,
        best first (rank: lower is better, as bm25's), each with its story."""
        query = fulltext.tsquery(match)
        if query is None:
            return []
        clause, params = search.article_filter(where or StoryFilter())
        joined = " JOIN articles r ON r.id = s.article_id" if clause else ""
        rows = self._all(
            "SELECT s.article_id, a.story_id, -ts_rank(%s::float4[], s.document, q, 1) AS rank "
            f"FROM article_search s{joined} JOIN assignments a ON a.article_id = s.article_id, "
            f"CAST(%s AS tsquery) AS q WHERE s.document @@ q{placeholders(clause)} "
            "ORDER BY rank, s.article_id LIMIT %s",
            (fulltext.RANK_WEIGHTS, query, *params, limit),
        )
        return [Hit(article_id, story_id, float(rank)) for article_id, story_id, rank in rows]

    def search_count(self, match: str) -> int:
        query = fulltext.tsquery(match)
        if query is None:
            return 0
        return self._count("SELECT count(*) FROM article_search WHERE document @@ %s::tsquery", (query,))

    def search_texts(self, article_ids: Sequence[str], chars: int = search.INDEX_CHARS) -> dict[str, str]:
        """The start of each article's indexed text (for snippets), by id."""
        rows = self._all(
            "SELECT article_id, substr(text, 1, %s) FROM article_search WHERE article_id = ANY(%b)",
            (min(chars, INDEX_CHARS), list(article_ids)),
        )
        return dict(rows)
