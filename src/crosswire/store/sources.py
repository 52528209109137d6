"""What crosswire knows about its live sources, kept in the store (migration 008): each feed's
validators and schedule, each page URL fetched or seen, and pages fetched but not yet ingested.

A fetched page is held (``hold``: its body and its ``fetched`` row, one transaction) before it is
handed to ingest, and released (``release``) once ingest has committed it; a crash in between
leaves it held, and the next run ingests it first. Ingest skips content it already stored, so a
page released late is never stored twice.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from crosswire.store import codec
from crosswire.store.sqlite import SQLiteStore
from crosswire.types import RawDocument

if TYPE_CHECKING:
    from crosswire.store.base import Store

MAX_ATTEMPTS = 3  # a page that failed this often (timeouts, 5xx) is not tried again


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class FeedState:
    url: str
    etag: str | None
    last_modified: str | None
    interval: float | None
    next_poll: float
    failures: int
    last_error: str | None
    last_polled: str | None


@dataclass(frozen=True, slots=True)
class Locked:
    state: SourceState
    lock: threading.Lock


@dataclass(frozen=True, slots=True)
class Held:
    """A page fetched and kept, waiting to be ingested."""

    url: str
    raw: RawDocument


class SourceState:
    def __init__(self, store: SQLiteStore) -> None:
        self.store: Store = store
        self.db = store.db

    @classmethod
    @contextmanager
    def for_threads(cls, store: Store) -> Iterator[Locked]:
        """A state over a connection of its own, for fetching threads to hold pages the moment
        they arrive (whatever the caller's connection is doing): one thread at a time."""
        own = SQLiteStore(store.path)
        try:
            yield Locked(cls(own), threading.Lock())
        finally:
            own.close()

    # -- feeds ---------------------------------------------------------------------------------
    def register(self, urls: Iterable[str], kind: str = "feed") -> None:
        with self.store.transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO sources (url, kind, added_at) VALUES (?,?,?)",
                [(url, kind, _now()) for url in urls],
            )

    def feed(self, url: str) -> FeedState | None:
        row = self.db.execute(
            "SELECT url, etag, last_modified, interval, next_poll, failures, last_error, last_polled "
            "FROM sources WHERE url = ?",
            (url,),
        ).fetchone()
        return FeedState(*row) if row else None

    def feeds(self, urls: Sequence[str]) -> list[FeedState]:
        found = [self.feed(url) for url in urls]
        return [state for state in found if state is not None]

    def polled(
        self, url: str, etag: str | None, last_modified: str | None, interval: float | None, next_poll: float
    ) -> None:
        """A successful poll whose entries are all handled: keep its validators and schedule."""
        with self.store.transaction():
            self.db.execute(
                "UPDATE sources SET etag = ?, last_modified = ?, interval = ?, next_poll = ?, failures = 0, "
                "last_error = NULL, last_polled = ? WHERE url = ?",
                (etag, last_modified, interval, next_poll, _now(), url),
            )

    def poll_failed(self, url: str, error: str, next_poll: float) -> None:
        with self.store.transaction():
            self.db.execute(
                "UPDATE sources SET failures = failures + 1, last_error = ?, next_poll = ?, last_polled = ? "
                "WHERE url = ?",
                (error[:500], next_poll, _now(), url),
            )

    # -- pages -----------------------------------------------------------------------------------
    def seen(self, urls: Sequence[str]) -> set[str]:
        """Those of ``urls`` already handled: held, stored, refused for good, or failed too often."""
        found: set[str] = set()
        for start in range(0, len(urls), 500):
            chunk = list(urls[start : start + 500])
            marks = ",".join("?" * len(chunk))
            found.update(
                row[0]
                for row in self.db.execute(
                    f"SELECT url FROM fetched WHERE url IN ({marks}) AND (status != 'failed' OR attempts >= ?)",
                    [*chunk, MAX_ATTEMPTS],
                )
            )
        return found

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the page's last fetch, for a conditional request."""
        row = self.db.execute("SELECT etag, last_modified FROM fetched WHERE url = ?", (url,)).fetchone()
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
        with self.store.transaction():
            self.db.execute("INSERT OR REPLACE INTO pending_pages VALUES (?,?,?,?,?,?,?)", codec.raw_row(url, raw, now))
            self._upsert(url, feed, "pending", article_id, etag, last_modified, now, None)

    def release(self, done: Iterable[tuple[str, str]]) -> None:
        """Pages ingest has committed (``(url, article_id)``): drop their held bodies. Each is
        'stored', or 'rejected' when cleaning refused it (the rejection is in the store)."""
        done = list(done)
        if not done:
            return
        with self.store.transaction():
            self.db.executemany("DELETE FROM pending_pages WHERE url = ?", [(url,) for url, _ in done])
            self.db.executemany(
                "UPDATE fetched SET article_id = ?, status = CASE WHEN EXISTS "
                "(SELECT 1 FROM articles WHERE id = ?) THEN 'stored' ELSE 'rejected' END WHERE url = ?",
                [(article_id, article_id, url) for url, article_id in done],
            )

    def unchanged(self, url: str) -> None:
        """The page answered 304: what is stored is current."""
        with self.store.transaction():
            self.db.execute("UPDATE fetched SET fetched_at = ? WHERE url = ?", (_now(), url))

    def failed(self, url: str, reason: str, detail: str, *, permanent: bool, feed: str | None = None) -> None:
        """A page that could not be fetched: refused for good, or to be tried again (up to
        ``MAX_ATTEMPTS``)."""
        with self.store.transaction():
            self._upsert(
                url, feed, "rejected" if permanent else "failed", None, None, None, _now(), f"{reason}: {detail}"
            )

    def held(self) -> Iterator[Held]:
        """Pages fetched by an earlier run and not yet ingested, oldest first (one body at a time)."""
        urls = [row[0] for row in self.db.execute("SELECT url FROM pending_pages ORDER BY rowid")]
        for url in urls:
            row = self.db.execute(
                "SELECT source, kind, body, hints, flags FROM pending_pages WHERE url = ?", (url,)
            ).fetchone()
            if row is not None:
                yield Held(url, codec.raw_from_row(*row))

    def held_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM pending_pages").fetchone()[0])

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
        self.db.execute(
            "INSERT INTO fetched (url, feed, status, article_id, etag, last_modified, attempts, fetched_at, detail) "
            "VALUES (?,?,?,?,?,?,1,?,?) ON CONFLICT(url) DO UPDATE SET feed = coalesce(excluded.feed, feed), "
            "status = excluded.status, article_id = coalesce(excluded.article_id, article_id), "
            "etag = coalesce(excluded.etag, etag), last_modified = coalesce(excluded.last_modified, last_modified), "
            "attempts = attempts + 1, fetched_at = excluded.fetched_at, detail = excluded.detail",
            (url, feed, status, article_id, etag, last_modified, now, detail),
        )
