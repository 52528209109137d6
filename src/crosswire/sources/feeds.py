"""RSS and Atom feeds (feedparser, over bytes already fetched: it never fetches anything itself)
-> the page URL of each entry with what the feed says about it (title, date, language)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

FEED_MEDIA_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/xml",
    "text/xml",
    "text/rss+xml",
}
_FEED_STARTS = (b"<rss", b"<feed", b"<rdf:rdf", b"<?xml")


@dataclass(frozen=True, slots=True)
class Entry:
    url: str
    title: str | None = None
    published: str | None = None  # ISO 8601 UTC
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Feed:
    title: str | None
    entries: tuple[Entry, ...]
    ttl: float | None = None  # seconds between polls the feed asks for (RSS <ttl>, in minutes there)


def looks_like_feed(media_type: str, body: bytes) -> bool:
    """A feed by its declared type, or (for servers that call everything text/html or
    text/plain) by how it starts."""
    if media_type in FEED_MEDIA_TYPES or media_type.endswith(("+xml", "/xml")):
        return True
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(_FEED_STARTS) and b"<html" not in head


def _iso(parsed: Any) -> str | None:
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat(timespec="seconds")
    except (OverflowError, TypeError, ValueError):
        return None


def _ttl(value: Any) -> float | None:
    try:
        minutes = float(value)
    except (TypeError, ValueError):
        return None
    return minutes * 60 if minutes > 0 else None


def parse_feed(body: bytes, url: str) -> Feed | None:
    """The feed in ``body`` (fetched from ``url``, against which entry links resolve), or None
    when ``body`` is not a feed."""
    import feedparser  # lazy: only feeds need it

    parsed = feedparser.parse(body, response_headers={"content-location": url})
    if not parsed.get("version") and not parsed.entries:
        return None
    feed = parsed.feed
    language = feed.get("language") or None
    entries = []
    seen: set[str] = set()
    for item in parsed.entries:
        link = item.get("link") or _first_link(item)
        if not link:
            continue
        page = urljoin(url, link.strip())
        if page in seen:
            continue
        seen.add(page)
        entries.append(
            Entry(
                url=page,
                title=(item.get("title") or "").strip() or None,
                published=_iso(item.get("published_parsed") or item.get("updated_parsed")),
                language=item.get("language") or language,
            )
        )
    return Feed(title=(feed.get("title") or "").strip() or None, entries=tuple(entries), ttl=_ttl(feed.get("ttl")))


def _first_link(item: Any) -> str | None:
    for link in item.get("links") or ():
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return None
