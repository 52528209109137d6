"""Ingest from where the news lives: files and folders (web archives included), page URLs and
RSS/Atom feed URLs. URLs are fetched politely (crosswire.sources.fetch); every fetched page is
held in the store before it is handed to ingest, and released once ingest committed it, so a page
fetched is never lost and (content-hash ids) never stored twice."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from crosswire.clean import article_id
from crosswire.ingest.files import read_paths
from crosswire.service.ingest import IngestReport, ingest
from crosswire.settings import Settings
from crosswire.sources.feeds import Entry, Feed, looks_like_feed, parse_feed
from crosswire.sources.fetch import Fetched, Fetcher, FetchError, FetchPolicy, Request
from crosswire.sources.pages import page_document
from crosswire.store.base import Store
from crosswire.store.sources import SourceState
from crosswire.types import RawDocument, Rejection

Item = RawDocument | Rejection
Ack = tuple[str, str] | None  # (url, article id) of a held page, released once ingest wrote it


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


class Handover:
    """Items on their way into ingest. ``ingest`` reports each written batch (its size, in input
    order) through ``on_item``; the held pages among those items are then released."""

    def __init__(self, state: SourceState, on_item: Callable[[int], None] | None = None) -> None:
        self.state = state
        self.on_item = on_item
        self._order: deque[Ack] = deque()

    def track(self, items: Iterable[tuple[Item, Ack]]) -> Iterator[Item]:
        for item, ack in items:
            self._order.append(ack)
            yield item

    def written(self, count: int) -> None:
        done = [self._order.popleft() for _ in range(min(count, len(self._order)))]
        self.state.release(ack for ack in done if ack is not None)
        if self.on_item:
            self.on_item(count)


@dataclass
class FeedRun:
    """What one pass over a feed did; ``complete`` once every entry was handled (not stopped)."""

    entries: int = 0
    seen: int = 0
    fetched: int = 0
    failed: int = 0
    to_retry: int = 0  # pages that failed for a passing reason: the feed must be read in full again
    complete: bool = False


def held_items(state: SourceState) -> Iterator[tuple[Item, Ack]]:
    """Pages an earlier run fetched and did not see ingested."""
    for held in state.held():
        yield held.raw, (held.url, article_id(held.raw))


def hold_page(
    state: SourceState, requested: str, fetched: Fetched, entry: Entry | None = None, feed: str | None = None
) -> tuple[Item, Ack]:
    """A fetched page as a raw document, held in the store (or a rejection, recorded)."""
    entry = entry or Entry(requested)
    item = page_document(
        fetched.url,
        fetched.body,
        fetched.media_type,
        fetched.charset,
        captured=fetched.fetched_at,
        title=entry.title,
        published=entry.published,
        language=entry.language,
    )
    if isinstance(item, Rejection):
        state.failed(requested, item.reason, item.detail, permanent=True, feed=feed)
        return item, None
    raw_id = article_id(item)
    state.hold(requested, item, raw_id, feed=feed, etag=fetched.etag, last_modified=fetched.last_modified)
    return item, (requested, raw_id)


def entry_items(
    state: SourceState, fetcher: Fetcher, feed: Feed, feed_url: str, run: FeedRun, language: str | None = None
) -> Iterator[tuple[Item, Ack]]:
    """Fetch the pages of the entries not seen before; held pages and rejections, in feed order."""
    run.entries = len(feed.entries)
    seen = state.seen([entry.url for entry in feed.entries])
    run.seen = len(seen)
    wanted = [
        Request(entry.url, context=Entry(entry.url, entry.title, entry.published, language or entry.language))
        for entry in feed.entries
        if entry.url not in seen
    ]
    handled = 0
    with state.for_threads(state.store) as keeper:  # the state's own kind: SQLite or PostgreSQL

        def keep(request: Request, fetched: Fetched) -> tuple[Item, Ack]:
            with keeper.lock:  # held as it arrives, in the fetching thread: a kill now loses nothing
                return hold_page(keeper.state, request.url, fetched, request.context, feed_url)

        for request, result in fetcher.fetch_many(wanted, then=keep):
            if not isinstance(result, FetchError):
                run.fetched += 1
                handled += 1
                yield result
                continue
            run.failed += 1
            if result.reason != "cancelled":  # a stop: the entry stays unseen, for the next poll
                handled += 1
                run.to_retry += not result.permanent
                state.failed(request.url, result.reason, result.detail, permanent=result.permanent, feed=feed_url)
                yield Rejection(request.url, result.reason, result.detail), None
    run.complete = handled == len(wanted)


@dataclass
class _Counts:
    unchanged: int = 0  # pages and feeds answering 304, feed entries seen before


def _url_items(state: SourceState, fetcher: Fetcher, url: str, counts: _Counts) -> Iterator[tuple[Item, Ack]]:
    known = state.feed(url)
    etag, last_modified = (known.etag, known.last_modified) if known else state.validators(url)
    try:
        fetched = fetcher.fetch(url, etag=etag, last_modified=last_modified)
    except FetchError as err:
        state.failed(url, err.reason, err.detail, permanent=err.permanent)
        yield Rejection(url, err.reason, err.detail), None
        return
    if fetched.not_modified:
        counts.unchanged += 1
        if known is None:
            state.unchanged(url)
        return
    feed = parse_feed(fetched.body, fetched.url) if looks_like_feed(fetched.media_type, fetched.body) else None
    if feed is None:
        yield hold_page(state, url, fetched)
        return
    state.register([url])
    run = FeedRun()
    yield from entry_items(state, fetcher, feed, url, run)
    counts.unchanged += run.seen
    if run.complete and not run.to_retry:  # validators only once every entry is handled: a 304 must not hide one
        current = state.feed(url)
        if current is not None:
            state.polled(url, fetched.etag, fetched.last_modified, current.interval, current.next_poll)


def _items(
    state: SourceState, inputs: Sequence[str], settings: Settings, counts: _Counts
) -> Iterator[tuple[Item, Ack]]:
    yield from held_items(state)
    fetcher: Fetcher | None = None
    try:
        for entry in inputs:
            if is_url(entry):
                fetcher = fetcher or Fetcher(FetchPolicy.from_settings(settings))
                yield from _url_items(state, fetcher, entry, counts)
            else:
                for item in read_paths([entry]):
                    yield item, None
    finally:
        if fetcher is not None:
            fetcher.close()


def ingest_sources(
    store: Store,
    inputs: Sequence[str],
    settings: Settings,
    on_item: Callable[[int], None] | None = None,
) -> IngestReport:
    """Ingest files, folders, web archives, page URLs and feed URLs (each feed entry's page is
    fetched; entries seen before are skipped). Pages a crashed run fetched go in first. Feed
    entries seen before and pages answering 304 count as present."""
    state = store.source_state()
    counts = _Counts()
    handover = Handover(state, on_item)
    report = ingest(store, handover.track(_items(state, inputs, settings, counts)), settings, handover.written)
    report.present += counts.unchanged
    return report
