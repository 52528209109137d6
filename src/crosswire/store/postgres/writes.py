"""The PostgreSQL store's batch writes (call inside ``PostgresStore.transaction()``): each is one
statement over arrays (``INSERT ... SELECT ... FROM unnest(...) ON CONFLICT ...``), and the statements
of one call go in one pipeline, so a batch of articles costs a few round trips however many rows it
holds. Array parameters go in binary (``%b``): psycopg's text format quotes and escapes every
element in Python (article texts, compressed bodies), which cost more than the server's work.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import numpy as np

from crosswire.represent import compact
from crosswire.represent.compact import CompactRepresentation
from crosswire.store import codec
from crosswire.store.postgres.queries import Queries, int8_array
from crosswire.types import Analysis, Article, Assignment, RawDocument, Rejection

_T = TypeVar("_T")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _last_by_key(rows: Iterable[_T], key: Any) -> list[_T]:
    """One row per key, the last given (SQLite's INSERT OR REPLACE keeps the last; PostgreSQL's
    ON CONFLICT DO UPDATE refuses a key twice in one statement)."""
    return list({key(row): row for row in rows}.values())


def _columns(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """Rows as column arrays, the parameters of an ``unnest`` insert."""
    return [[row[i] for row in rows] for i in range(width)] if rows else [[] for _ in range(width)]


class BatchWrites(Queries):
    def add_raws(self, raws: Sequence[tuple[str, RawDocument]]) -> None:
        now = _now()
        rows = [codec.raw_row(article_id, raw, now) for article_id, raw in raws]
        self.conn.execute(
            "INSERT INTO raw_documents SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::bytea[], "
            "%b::text[], %b::text[], %b::text[]) ON CONFLICT (id) DO NOTHING",
            _columns(rows, 7),
        )

    def put_articles(self, articles: Sequence[Article]) -> None:
        now = _now()
        rows = [
            (
                a.id,
                a.source,
                a.title,
                a.text,
                a.language,
                a.published,
                a.site,
                a.author,
                a.url,
                codec.removed_to_json(a.removed),
                json.dumps(list(a.flags)),
            )
            for a in _last_by_key(articles, lambda a: a.id)
        ]
        self.conn.execute(
            "INSERT INTO articles (id, source, title, text, language, published, site, author, url, removed, flags, "
            "cleaned_at) SELECT *, %s FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[], %b::text[], "
            "%b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[]) "
            "ON CONFLICT (id) DO UPDATE SET source = excluded.source, title = excluded.title, text = excluded.text, "
            "language = excluded.language, published = excluded.published, site = excluded.site, "
            "author = excluded.author, url = excluded.url, removed = excluded.removed, flags = excluded.flags, "
            "cleaned_at = excluded.cleaned_at, seq = nextval('row_seq')",
            [now, *_columns(rows, 11)],
        )

    def put_analyses(self, analyses: Sequence[Analysis]) -> None:
        rows = [(a.article_id, *codec.analysis_to_row(a)) for a in _last_by_key(analyses, lambda a: a.article_id)]
        self.conn.execute(
            "INSERT INTO analyses (article_id, data, terms) SELECT * FROM unnest(%b::text[], %b::text[], %b::bytea[]) "
            "ON CONFLICT (article_id) DO UPDATE SET data = excluded.data, terms = excluded.terms",
            _columns(rows, 3),
        )

    def put_representations(
        self, reps: Sequence[CompactRepresentation], index: Mapping[str, Iterable[int]], *, fresh: bool = False
    ) -> None:
        """Store compact representations, their dense vectors and their postings (``index``:
        article id -> the feature ids it is filed under); ``fresh``: the articles have no
        postings yet (skips the delete)."""
        reps = _last_by_key(reps, lambda rep: rep.article_id)
        ids = [rep.article_id for rep in reps]
        if not fresh:  # an article filed again: its postings go, by the key they are stored under
            features: list[int] = []
            seqs_of: list[int] = []
            for data, seq in self._all(
                "SELECT data, seq FROM compact_representations WHERE article_id = ANY(%b)", [ids]
            ):
                found = compact.from_blob("", None, None, data).ids.tolist()
                features += found
                seqs_of += [seq] * len(found)
            self.conn.execute(
                "DELETE FROM feature_postings p USING unnest(%b::bigint[], %b::bigint[]) AS s(id, seq) "
                "WHERE p.id = s.id AND p.seq = s.seq",
                (int8_array(features), int8_array(seqs_of)),
            )
        # Each article filed gets the next number: a lookup reads a feature's latest postings.
        row = self._one(
            "UPDATE meta SET value = (value::bigint + %s)::text WHERE key = 'posting_seq' RETURNING value::bigint",
            (len(reps),),
        )
        first = int(row[0]) - len(reps) + 1 if row else 1
        seqs = [first + i for i in range(len(ids))]
        seq_of = dict(zip(ids, seqs, strict=True))
        filed = [(seq_of[article_id], [int(f) for f in fs]) for article_id, fs in index.items()]
        vectors = [
            (r.article_id, np.asarray(r.vector, dtype=np.float32).tobytes()) for r in reps if r.vector is not None
        ]
        with self.conn.pipeline():
            self.conn.execute(
                "INSERT INTO compact_representations (article_id, data, seq) "
                "SELECT * FROM unnest(%b::text[], %b::bytea[], %b::bigint[]) "
                "ON CONFLICT (article_id) DO UPDATE SET data = excluded.data, seq = excluded.seq",
                [ids, [compact.to_blob(rep) for rep in reps], seqs],
            )
            # Postings as (feature, seq) pairs; the article id joins in on the server.
            self.conn.execute(
                "INSERT INTO feature_postings SELECT p.id, p.seq, a.article_id "
                "FROM unnest(%b::bigint[], %b::bigint[]) AS p(id, seq) "
                "JOIN unnest(%b::text[], %b::bigint[]) AS a(article_id, seq) ON a.seq = p.seq ON CONFLICT DO NOTHING",
                (
                    int8_array(f for _, fs in filed for f in fs),
                    int8_array(seq for seq, fs in filed for _ in fs),
                    ids,
                    seqs,
                ),
            )
            self.conn.execute(
                "DELETE FROM vectors WHERE article_id = ANY(%b)", [[r.article_id for r in reps if r.vector is None]]
            )
            self.conn.execute(
                "INSERT INTO vectors SELECT * FROM unnest(%b::text[], %b::bytea[]) "
                "ON CONFLICT (article_id) DO UPDATE SET data = excluded.data",
                _columns(vectors, 2),
            )

    def count_features(self, counts: Mapping[int, int]) -> None:
        """Add ``counts`` (feature id -> number of new documents holding it) to the document frequencies."""
        ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        deltas = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
        added, removed = deltas >= 0, deltas < 0  # removed: only when articles are filed again
        with self.conn.pipeline():
            if added.any():
                self.conn.execute(
                    "INSERT INTO feature_freq SELECT * FROM unnest(%b::bigint[], %b::bigint[]) "
                    "ON CONFLICT (id) DO UPDATE SET n = feature_freq.n + excluded.n",
                    (int8_array(ids[added]), int8_array(deltas[added])),
                )
            if removed.any():
                self.conn.execute(
                    "UPDATE feature_freq f SET n = greatest(f.n + d.n, 0) "
                    "FROM unnest(%b::bigint[], %b::bigint[]) AS d(id, n) WHERE f.id = d.id",
                    (int8_array(ids[removed]), int8_array(deltas[removed])),
                )
                self.conn.execute(
                    "INSERT INTO feature_freq SELECT unnest(%b::bigint[]), 0 ON CONFLICT DO NOTHING",
                    (int8_array(ids[removed]),),
                )

    def count_site_lines(self, docs: Mapping[str, int], lines: Mapping[tuple[str, str], int]) -> None:
        """Add articles per site (``docs``) and, per (site, line key), the articles holding the line."""
        with self.conn.pipeline():
            self.conn.execute(
                "INSERT INTO site_docs SELECT * FROM unnest(%b::text[], %b::bigint[]) "
                "ON CONFLICT (site) DO UPDATE SET n = site_docs.n + excluded.n",
                [list(docs), list(docs.values())],
            )
            self.conn.execute(
                "INSERT INTO site_lines SELECT * FROM unnest(%b::text[], %b::text[], %b::bigint[]) "
                "ON CONFLICT (site, line) DO UPDATE SET n = site_lines.n + excluded.n",
                [[site for site, _ in lines], [key for _, key in lines], list(lines.values())],
            )

    def add_rejection(self, rejection: Rejection) -> None:
        """Record ``rejection``; one seen before (same source and reason) is counted again."""
        now = _now()
        self.conn.execute(
            "INSERT INTO rejections (source, reason, detail, at, first_at) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (source, reason) DO UPDATE SET detail = excluded.detail, at = excluded.at, "
            "times = rejections.times + 1",
            (rejection.source, rejection.reason, rejection.detail[:2000], now, now),
        )

    def put_placements(self, assignments: Sequence[Assignment]) -> None:
        """Store assignments with their stories and events (created when new)."""
        self._placed.clear()
        now = _now()
        events = list(dict.fromkeys((a.event_id, a.story_id) for a in assignments))
        placed = _last_by_key(assignments, lambda a: a.article_id)
        with self.conn.pipeline():
            self.conn.execute(
                "INSERT INTO stories SELECT s, %s FROM unnest(%b::text[]) AS s ON CONFLICT DO NOTHING",
                [now, list(dict.fromkeys(a.story_id for a in assignments))],
            )
            self.conn.execute(
                "INSERT INTO events SELECT e, s, %s FROM unnest(%b::text[], %b::text[]) AS u(e, s) "
                "ON CONFLICT DO NOTHING",
                [now, *_columns(events, 2)],
            )
            self.conn.execute(
                "INSERT INTO assignments (article_id, event_id, story_id, score, assigned_at) "
                "SELECT *, %s FROM unnest(%b::text[], %b::text[], %b::text[], %b::float8[]) "
                "ON CONFLICT (article_id) DO UPDATE SET event_id = excluded.event_id, story_id = excluded.story_id, "
                "score = excluded.score, assigned_at = excluded.assigned_at, seq = nextval('row_seq')",
                [
                    now,
                    [a.article_id for a in placed],
                    [a.event_id for a in placed],
                    [a.story_id for a in placed],
                    [float(a.score) for a in placed],
                ],
            )
