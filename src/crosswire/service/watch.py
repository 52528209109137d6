"""Watch mode: poll feeds on their own schedule, ingest new articles, keep stories current.

State lives in the store (crosswire.store.sources): each feed's validators, next poll and
failures; every entry seen; pages fetched but not yet ingested. So a restart (after a crash, a
SIGKILL, a reboot) goes on where the last run stopped: held pages are ingested first, seen
entries are not fetched again. A stop request (SIGINT, SIGTERM) lets the requests in flight
finish and ingests what they fetched before returning.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from crosswire.service.ingest import IngestReport, ingest
from crosswire.service.sources import FeedRun, Handover, entry_items, held_items
from crosswire.settings import Settings
from crosswire.sources.feeds import parse_feed
from crosswire.sources.fetch import Fetcher, FetchError, FetchPolicy
from crosswire.sources.listing import SourceSpec
from crosswire.sources.schedule import next_poll, poll_interval
from crosswire.store.base import Store

log = logging.getLogger("crosswire.watch")
MAX_SLEEP = 60.0  # wake at least this often (a feed's schedule may have been changed meanwhile)


@dataclass
class WatchReport:
    polls: int = 0
    added: int = 0
    present: int = 0
    rejected: int = 0
    failed_polls: int = 0


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"


class Watcher:
    def __init__(self, store: Store, specs: Sequence[SourceSpec], settings: Settings, stop: threading.Event):
        self.store = store
        self.specs = list(specs)
        self.settings = settings
        self.stop = stop
        self.state = store.source_state()
        self.report = WatchReport()
        self.fetcher = Fetcher(FetchPolicy.from_settings(settings), stop)

    def ingest_held(self) -> None:
        count = self.state.held_count()
        if count:
            handover = Handover(self.state)
            done = ingest(
                self.store,
                handover.track(held_items(self.state)),
                self.settings,
                handover.written,
                save_in_background=True,
            )
            self._count(done)
            log.info("ingested %d page(s) fetched before the last stop: %d added", count, done.added)

    def due(self, now: float, every_feed: bool) -> list[SourceSpec]:
        if every_feed:
            return list(self.specs)
        states = {state.url: state for state in self.state.feeds([spec.url for spec in self.specs])}
        return [spec for spec in self.specs if spec.url not in states or states[spec.url].next_poll <= now]

    def seconds_to_next(self) -> float:
        states = self.state.feeds([spec.url for spec in self.specs])
        soonest = min((state.next_poll for state in states), default=time.time())
        return min(max(soonest - time.time(), 0.5), MAX_SLEEP)

    def poll(self, spec: SourceSpec) -> None:
        """Fetch the feed (conditionally), ingest the pages of its new entries, schedule the next
        poll. Errors are logged and counted; the feed backs off."""
        known = self.state.feed(spec.url)
        self.report.polls += 1
        started = time.time()
        try:
            fetched = self.fetcher.fetch(
                spec.url, etag=known.etag if known else None, last_modified=known.last_modified if known else None
            )
        except FetchError as err:
            if err.reason != "cancelled":  # stopping is no failure of the feed
                self.failed(spec, f"{err.reason}: {err.detail}", err.retry_after)
            return
        if fetched.not_modified:
            before = known.interval if known else None
            interval = poll_interval(spec.every, before, fetched.max_age, self.settings.poll_interval)
            etag = fetched.etag or (known.etag if known else None)
            modified = fetched.last_modified or (known.last_modified if known else None)
            self._polled(spec, etag, modified, started, interval, "not modified")
            return
        feed = parse_feed(fetched.body, fetched.url)
        if feed is None:
            self.failed(spec, f"not-a-feed: {fetched.media_type or 'no content type'}", None)
            return
        interval = poll_interval(spec.every, feed.ttl, fetched.max_age, self.settings.poll_interval)
        run = FeedRun()
        handover = Handover(self.state)
        items = entry_items(self.state, self.fetcher, feed, spec.url, run, spec.language)
        done = ingest(self.store, handover.track(items), self.settings, handover.written, save_in_background=True)
        self._count(done)
        summary = (
            f"{run.entries} entries, {run.entries - run.seen} new: {done.added} added, "
            f"{done.present} already stored, {sum(done.rejected.values())} rejected"
        )
        if run.complete:  # validators kept only when no entry waits for another try (a 304 would hide it)
            keep = not run.to_retry
            etag, modified = (fetched.etag, fetched.last_modified) if keep else (None, None)
            self._polled(spec, etag, modified, started, interval, summary)
        else:  # stopped half-way: keep the old validators so the next run sees every entry again
            log.info("%s: %s; stopped before the rest", spec.url, summary)

    def _polled(
        self, spec: SourceSpec, etag: str | None, modified: str | None, started: float, interval: float, summary: str
    ) -> None:
        when = next_poll(started, interval)
        self.state.polled(spec.url, etag, modified, interval, when)
        log.info("%s: %s; next poll in %s", spec.url, summary, _minutes(when - time.time()))

    def failed(self, spec: SourceSpec, error: str, retry_after: float | None) -> None:
        self.report.failed_polls += 1
        known = self.state.feed(spec.url)
        failures = (known.failures if known else 0) + 1
        interval = poll_interval(spec.every, None, None, self.settings.poll_interval)
        when = next_poll(time.time(), interval, failures, retry_after)
        self.state.poll_failed(spec.url, error, when)
        log.warning("%s: %s (failure %d); next poll in %s", spec.url, error, failures, _minutes(when - time.time()))

    def _count(self, done: IngestReport) -> None:
        self.report.added += done.added
        self.report.present += done.present
        self.report.rejected += sum(done.rejected.values())


def watch(
    store: Store,
    specs: Sequence[SourceSpec],
    settings: Settings,
    *,
    stop: threading.Event | None = None,
    once: bool = False,
) -> WatchReport:
    """Poll ``specs`` until ``stop`` is set (with ``once``: every feed once, then return)."""
    stop = stop or threading.Event()
    watcher = Watcher(store, specs, settings, stop)
    watcher.state.register(spec.url for spec in specs)
    log.info("watching %d feed(s) into %s", len(specs), store.path)
    if not settings.fetch_contact:
        log.info("set fetch_contact (a URL or e-mail) so that site owners can reach you (docs/sources.md)")
    try:
        watcher.ingest_held()
        while not stop.is_set():
            for spec in watcher.due(time.time(), every_feed=once):
                if stop.is_set():
                    break
                try:
                    watcher.poll(spec)
                except Exception as err:  # one feed's bug or a store hiccup must not end the watch
                    log.exception("%s: unexpected error", spec.url)
                    watcher.failed(spec, f"error: {type(err).__name__}: {err}", None)
            if once:
                break
            stop.wait(watcher.seconds_to_next())
    finally:
        watcher.fetcher.close()
    report = watcher.report
    log.info(
        "stopped: %d poll(s), %d added, %d already stored, %d rejected, %d failed poll(s)",
        report.polls,
        report.added,
        report.present,
        report.rejected,
        report.failed_polls,
    )
    return report


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM ask ``stop`` to be set (a clean shutdown); a second one interrupts."""

    def request_stop(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        log.info("%s: stopping after the requests in flight", signal.Signals(signum).name)
        stop.set()

    previous = {signum: signal.signal(signum, request_stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
