"""robots.txt, fetched through the same guarded client and kept per site for a while.

Following RFC 9309: a robots.txt that is missing (4xx) allows everything; one that cannot be
reached (5xx, network error) disallows everything until it is asked for again.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Callable
from urllib.parse import urlsplit

ROBOTS_TTL = 6 * 3600.0  # seconds a site's rules are kept before asking again
ROBOTS_RETRY = 600.0  # after an unreachable robots.txt, ask again this soon
MAX_ROBOTS_BYTES = 512 * 1024  # RFC 9309: crawlers may stop parsing at 500 KiB

# (status, body) of a GET, or None when it could not be made (network error, timeout).
RobotsGetter = Callable[[str], tuple[int, bytes] | None]


class _Rules:
    def __init__(self, parser: urllib.robotparser.RobotFileParser | None, allow_all: bool, expires: float) -> None:
        self.parser = parser
        self.allow_all = allow_all
        self.expires = expires

    def allowed(self, agent: str, url: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float:
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay else 0.0


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class RobotsCache:
    """The rules of each site (scheme, host and port), fetched once per ``ROBOTS_TTL``."""

    def __init__(self, agent: str, get: RobotsGetter) -> None:
        self.agent = agent
        self._get = get
        self._rules: dict[str, _Rules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, site: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(site, threading.Lock())

    def rules(self, url: str) -> _Rules:
        site = origin(url)
        with self._lock(site):  # one fetch of a site's robots.txt, however many pages wait for it
            found = self._rules.get(site)
            if found is None or found.expires < time.monotonic():
                found = self._rules[site] = self._fetch(site)
            return found

    def allowed(self, url: str) -> bool:
        return self.rules(url).allowed(self.agent, url)

    def crawl_delay(self, url: str) -> float:
        return self.rules(url).crawl_delay(self.agent)

    def _fetch(self, site: str) -> _Rules:
        now = time.monotonic()
        got = self._get(site + "/robots.txt")
        if got is None or got[0] >= 500:
            return _Rules(None, allow_all=False, expires=now + ROBOTS_RETRY)
        status, body = got
        if status >= 400:
            return _Rules(None, allow_all=True, expires=now + ROBOTS_TTL)
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace").splitlines())
        return _Rules(parser, allow_all=True, expires=now + ROBOTS_TTL)
