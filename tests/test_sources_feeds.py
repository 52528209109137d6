"""Feeds and URLs through ``crosswire ingest``: each entry's page fetched from a loopback server
and cleaned with the feed's title, date and language; entries seen before skipped; feeds asked
conditionally; the sources file and the poll schedule."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fixture_server import FixtureServer, Reply, article, atom, cli_env, crosswire, rss

from crosswire.clean import article_id
from crosswire.errors import CrosswireError
from crosswire.service.sources import ingest_sources
from crosswire.settings import Settings
from crosswire.sources.feeds import looks_like_feed, parse_feed
from crosswire.sources.listing import SourceSpec, parse_sources
from crosswire.sources.pages import page_document
from crosswire.sources.schedule import MAX_BACKOFF, next_poll, poll_interval
from crosswire.store import SQLiteStore
from crosswire.store.sources import SourceState
from crosswire.types import RawDocument

DATE = "Sat, 03 Feb 2024 10:00:00 GMT"


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with FixtureServer().running() as running:
        yield running


def _settings(db: Path) -> Settings:
    return Settings(db=str(db), allow_private="127.0.0.1", fetch_delay=0, workers=0, fetch_retries=0)


def _news_feed(server: FixtureServer, count: int, path: str = "/feed.xml", **feed: object) -> list[str]:
    links = []
    for number in range(count):
        title, text = article(number)
        links.append((server.html(f"/news/{number}", title, text), title, DATE))
    server.route(path, Reply(body=rss(links, **feed), headers={"Content-Type": "application/rss+xml"}))  # type: ignore[arg-type]
    return [link for link, _, _ in links]


def test_parse_rss_and_atom() -> None:
    feed = parse_feed(
        rss([("/a", "First", DATE), ("http://x.org/b", "Second", DATE)], ttl=30, language="de-DE"), "http://host/feed"
    )
    assert feed is not None
    assert [entry.url for entry in feed.entries] == ["http://host/a", "http://x.org/b"]
    assert (feed.entries[0].title, feed.entries[0].published, feed.entries[0].language) == (
        "First",
        "2024-02-03T10:00:00+00:00",
        "de-DE",
    )
    assert feed.ttl == 1800
    feed = parse_feed(atom([("http://x.org/c", "Third", "2024-02-04T08:30:00Z")]), "http://host/atom")
    assert feed is not None and feed.entries[0].url == "http://x.org/c"
    assert feed.entries[0].published == "2024-02-04T08:30:00+00:00"
    assert parse_feed(b"<html><body>a page</body></html>", "http://host/") is None


def test_feeds_are_told_from_pages() -> None:
    assert looks_like_feed("application/rss+xml", b"")
    assert looks_like_feed("text/html", rss([]))  # a server calling its feed a page
    assert not looks_like_feed("text/html", b"<!doctype html><html><body></body></html>")
    assert not looks_like_feed("text/html", b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">')


def test_page_documents_by_content_type() -> None:
    assert page_document("http://h/a", b"<p>x</p>", "text/html", None).kind == "html"  # type: ignore[union-attr]
    assert page_document("http://h/a", b"plain words", "text/plain", None).kind == "text"  # type: ignore[union-attr]
    refused = page_document("http://h/a.pdf", b"%PDF-1.4", "application/pdf", None)
    assert refused.reason == "unsupported-content"  # type: ignore[union-attr]
    latin = page_document("http://h/a", "café".encode("latin-1"), "text/plain", "iso-8859-1")
    assert latin.body == "café"  # type: ignore[union-attr]


def test_a_feed_url_ingests_each_entry_page_once(server: FixtureServer, db: Path) -> None:
    pages = _news_feed(server, 5, language="en")
    store = SQLiteStore(db)
    report = ingest_sources(store, [server.url("/feed.xml")], _settings(db))
    assert (report.added, report.present, dict(report.rejected)) == (5, 0, {})
    articles = store.articles(store.all_article_ids())
    assert {a.url for a in articles} == set(pages)
    assert {a.published for a in articles} == {"2024-02-03T10:00:00+00:00"}
    assert {a.title for a in articles} == {article(n)[0] for n in range(5)}
    assert {a.language for a in articles} == {"en"}
    again = ingest_sources(store, [server.url("/feed.xml")], _settings(db))
    assert (again.added, again.present) == (0, 5)
    assert all(server.hits[f"/news/{n}"] == 1 for n in range(5))  # seen entries are not fetched again
    assert store.db.execute("SELECT count(*) FROM pending_pages").fetchone()[0] == 0
    statuses = dict(store.db.execute("SELECT url, status FROM fetched").fetchall())
    assert statuses == dict.fromkeys(pages, "stored")


def test_a_feed_is_asked_again_conditionally(server: FixtureServer, db: Path) -> None:
    _news_feed(server, 2)
    body = server.routes["/feed.xml"].body  # type: ignore[union-attr]

    def feed(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == '"v1"':
            return Reply(304)
        return Reply(body=body, headers={"Content-Type": "application/rss+xml", "ETag": '"v1"'})

    server.route("/feed.xml", feed)
    store = SQLiteStore(db)
    assert ingest_sources(store, [server.url("/feed.xml")], _settings(db)).added == 2
    assert ingest_sources(store, [server.url("/feed.xml")], _settings(db)).added == 0
    asked = [seen.headers.get("if-none-match") for seen in server.requests if seen.path == "/feed.xml"]
    assert asked == [None, '"v1"']


def test_entries_that_fail_are_rejected_and_the_rest_go_in(server: FixtureServer, db: Path) -> None:
    pages = _news_feed(server, 3)
    server.route("/news/1", Reply(404))
    server.route(
        "/robots.txt", Reply(body=b"User-agent: *\nDisallow: /news/2\n", headers={"Content-Type": "text/plain"})
    )
    store = SQLiteStore(db)
    report = ingest_sources(store, [server.url("/feed.xml")], _settings(db))
    assert report.added == 1 and dict(report.rejected) == {"http-404": 1, "robots-disallowed": 1}
    statuses = dict(store.db.execute("SELECT url, status FROM fetched").fetchall())
    assert statuses == {pages[0]: "stored", pages[1]: "rejected", pages[2]: "rejected"}
    assert ingest_sources(store, [server.url("/feed.xml")], _settings(db)).present == 3  # not asked again


def test_a_page_url_and_a_blocked_url(server: FixtureServer, db: Path) -> None:
    title, text = article(7)
    page = server.html("/story", title, text)
    store = SQLiteStore(db)
    report = ingest_sources(store, [page], _settings(db))
    assert report.added == 1
    stored = store.articles(store.all_article_ids())[0]
    assert stored.url == page and stored.title == title
    raw = store.raw(stored.id)
    assert raw is not None and raw.captured is not None
    blocked = ingest_sources(store, [page], Settings(db=str(db), workers=0))  # loopback not allowed
    assert dict(blocked.rejected) == {"blocked-address": 1}


def test_pages_held_by_a_crashed_run_go_in_first(db: Path) -> None:
    title, text = article(3)
    held = page_document("http://example.org/held", f"<h1>{title}</h1><p>{text}</p>".encode(), "text/html", None)
    assert isinstance(held, RawDocument)
    store = SQLiteStore(db)
    state = SourceState(store)
    state.hold("http://example.org/held", held, article_id(held))
    assert state.held_count() == 1 and state.seen(["http://example.org/held"]) == {"http://example.org/held"}
    report = ingest_sources(store, [], Settings(db=str(db), workers=0))
    assert report.added == 1 and state.held_count() == 0
    assert store.articles(store.all_article_ids())[0].url == "http://example.org/held"


def test_the_cli_ingests_a_feed_and_a_page(server: FixtureServer, tmp_path: Path, db: Path) -> None:
    _news_feed(server, 3)
    title, text = article(11)
    page = server.html("/extra", title, text)
    env = cli_env(db, allow_private="127.0.0.1", fetch_delay="0", workers="0")
    done = crosswire("ingest", server.url("/feed.xml"), page, env=env)
    assert done.returncode == 0, done.stderr
    assert "added 4" in done.stderr
    refused = crosswire("ingest", server.url("/extra"), env=cli_env(db))  # loopback not allowed
    assert refused.returncode == 1 and "blocked-address" in refused.stderr


def test_sources_file_format() -> None:
    specs = parse_sources(
        "# feeds\n\nhttps://a.example/rss\nhttps://b.example/atom.xml  every=10m language=de  # hourly news\n"
        "https://a.example/rss\nhttps://c.example/feed#main\n"
    )
    assert specs == [
        SourceSpec("https://a.example/rss"),
        SourceSpec("https://b.example/atom.xml", every=600.0, language="de"),
        SourceSpec("https://c.example/feed#main"),
    ]
    for bad in ("ftp://a.example/x", "https://a.example/x every=5s", "https://a.example/x colour=red"):
        with pytest.raises(CrosswireError, match="sources:1"):
            parse_sources(bad)


def test_poll_schedule() -> None:
    assert poll_interval(None, None, None, 900) == 900
    assert poll_interval(None, 3600, None, 900) == 3600  # the feed asks for longer
    assert poll_interval(None, 60, 30, 900) == 900  # never faster than the default
    assert poll_interval(300, 3600, None, 900) == 300  # the sources file wins
    steady = lambda low, high: 1.0  # noqa: E731
    assert next_poll(0, 900, uniform=steady) == 900
    assert next_poll(0, 900, failures=2, uniform=steady) == 3600
    assert next_poll(0, 900, failures=20, uniform=steady) == MAX_BACKOFF
    assert next_poll(0, 900, failures=1, retry_after=7200, uniform=steady) == 7200
    spread = {round(next_poll(0, 1000)) for _ in range(50)}
    assert len(spread) > 1 and all(900 <= when <= 1100 for when in spread)
