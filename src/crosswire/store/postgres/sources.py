"""Live sources (feeds, fetched pages, pages held before ingest) on PostgreSQL: the same state and
rules as crosswire.store.sources, in PostgreSQL's SQL."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from crosswire.store import codec
from crosswire.store.postgres.writes import _now
from crosswire.store.sources import MAX_ATTEMPTS, FeedState, Held, Locked, SourceState
from crosswire.types import RawDocument

if TYPE_CHECKING:
    from crosswire.store.base import Store
    from crosswire.store.postgres.store import PostgresStore


class PostgresSourceState(SourceState):
    def __init__(self, store: PostgresStore) -> None:  # no super(): the base keeps a SQLite connection
        self.store = store
        self.pg = store

    @classmethod
    @contextmanager
    def for_threads(cls, store: Store) -> Iterator[Locked]:
        """A state over a connection of its own, for fetching threads (one thread at a time)."""
        from crosswire.store.postgres.store import PostgresStore

        assert isinstance(store, PostgresStore)
        own = PostgresStore(store.url)
        try:
            yield Locked(cls(own), threading.Lock())
        finally:
            own.close()

    def _run(self, query: str, params: Sequence[Any] = ()) -> None:
        with self.pg.transaction():
            self.pg.conn.execute(query, params)

    # -- feeds ---------------------------------------------------------------------------------
    def register(self, urls: Iterable[str], kind: str = "feed") -> None:
        self._run(
            "INSERT INTO sources (url, kind, added_at) SELECT u, %s, %s FROM unnest(%b::text[]) AS u "
            "ON CONFLICT DO NOTHING",
            (kind, _now(), list(dict.fromkeys(urls))),
        )

    def feed(self, url: str) -> FeedState | None:
        found = self.feeds([url])
        return found[0] if found else None

    def feeds(self, urls: Sequence[str]) -> list[FeedState]:
        rows = self.pg._all(
            "SELECT url, etag, last_modified, interval, next_poll, failures, last_error, last_polled "
            "FROM sources WHERE url = ANY(%b)",
            [list(urls)],
        )
        by_url = {row[0]: FeedState(*row) for row in rows}
        return [by_url[url] for url in urls if url in by_url]

    def polled(
        self, url: str, etag: str | None, last_modified: str | None, interval: float | None, next_poll: float
    ) -> None:
        """A successful poll whose entries are all handled: keep its validators and schedule."""
        self._run(
            "UPDATE sources SET etag = %s, last_modified = %s, interval = %s, next_poll = %s, failures = 0, "
            "last_error = NULL, last_polled = %s WHERE url = %s",
            (etag, last_modified, interval, next_poll, _now(), url),
        )

    def poll_failed(self, url: str, error: str, next_poll: float) -> None:
        self._run(
            "UPDATE sources SET failures = failures + 1, last_error = %s, next_poll = %s, last_polled = %s "
            "WHERE url = %s",
            (error[:500], next_poll, _now(), url),
        )

    # -- pages -----------------------------------------------------------------------------------
    def seen(self, urls: Sequence[str]) -> set[str]:
        """Those of ``urls`` already handled: held, stored, refused for good, or failed too often."""
        rows = self.pg._all(
            "SELECT url FROM fetched WHERE url = ANY(%b) AND (status != 'failed' OR attempts >= %s)",
            (list(urls), MAX_ATTEMPTS),
        )
        return {row[0] for row in rows}

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the page's last fetch, for a conditional request."""
        row = self.pg._one("SELECT etag, last_modified FROM fetched WHERE url = %s", (url,))
        return (row[0], row[1]) if row else (None, None)

    def hold(
        self,
        url: str,
        raw: RawDocument,
        article_id: str,
        *,
        feed: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """Keep a fetched page until it is ingested, and mark its URL seen, in one transaction."""
        now = _now()
        with self.pg.transaction():
            self.pg.conn.execute(
                "INSERT INTO pending_pages (url, source, kind, body, hints, flags, fetched_at) "
                "VALUES (%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (url) DO UPDATE SET source = excluded.source, "
                "kind = excluded.kind, body = excluded.body, hints = excluded.hints, flags = excluded.flags, "
                "fetched_at = excluded.fetched_at, seq = nextval('row_seq')",
                codec.raw_row(url, raw, now),
            )
            self._upsert(url, feed, "pending", article_id, etag, last_modified, now, None)

    def release(self, done: Iterable[tuple[str, str]]) -> None:
        """Pages ingest has committed (``(url, article_id)``): drop their held bodies. Each is
        'stored', or 'rejected' when cleaning refused it (the rejection is in the store)."""
        pairs = dict(done)
        if not pairs:
            return
        with self.pg.transaction(), self.pg.conn.pipeline():
            self.pg.conn.execute("DELETE FROM pending_pages WHERE url = ANY(%b)", [list(pairs)])
            self.pg.conn.execute(
                "UPDATE fetched f SET article_id = d.a, status = CASE WHEN EXISTS "
                "(SELECT 1 FROM articles WHERE id = d.a) THEN 'stored' ELSE 'rejected' END "
                "FROM unnest(%b::text[], %b::text[]) AS d(u, a) WHERE f.url = d.u",
                [list(pairs), list(pairs.values())],
            )

    def unchanged(self, url: str) -> None:
        """The page answered 304: what is stored is current."""
        self._run("UPDATE fetched SET fetched_at = %s WHERE url = %s", (_now(), url))

    def failed(self, url: str, reason: str, detail: str, *, permanent: bool, feed: str | None = None) -> None:
        """A page that could not be fetched: refused for good, or to be tried again (up to
        ``MAX_ATTEMPTS``)."""
        with self.pg.transaction():
            self._upsert(
                url, feed, "rejected" if permanent else "failed", None, None, None, _now(), f"{reason}: {detail}"
            )

    def held(self) -> Iterator[Held]:
        """Pages fetched by an earlier run and not yet ingested, oldest first (one body at a time)."""
        urls = [row[0] for row in self.pg._all("SELECT url FROM pending_pages ORDER BY seq")]
        for url in urls:
            row = self.pg._one("SELECT source, kind, body, hints, flags FROM pending_pages WHERE url = %s", (url,))
            if row is not None:
                yield Held(url, codec.raw_from_row(*row))

    def held_count(self) -> int:
        return self.pg._count("SELECT count(*) FROM pending_pages")

    def _upsert(
        self,
        url: str,
        feed: str | None,
        status: str,
        article_id: str | None,
        etag: str | None,
        last_modified: str | None,
        now: str,
        detail: str | None,
    ) -> None:
        self.pg.conn.execute(
            "INSERT INTO fetched AS f (url, feed, status, article_id, etag, last_modified, attempts, fetched_at, "
            "detail) VALUES (%s,%s,%s,%s,%s,%s,1,%s,%s) ON CONFLICT (url) DO UPDATE SET "
            "feed = coalesce(excluded.feed, f.feed), status = excluded.status, "
            "article_id = coalesce(excluded.article_id, f.article_id), etag = coalesce(excluded.etag, f.etag), "
            "last_modified = coalesce(excluded.last_modified, f.last_modified), attempts = f.attempts + 1, "
            "fetched_at = excluded.fetched_at, detail = excluded.detail",
            (url, feed, status, article_id, etag, last_modified, now, detail),
        )
