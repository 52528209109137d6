"""Fetching pages politely and safely: an honest User-Agent, robots.txt, a per-host pace and
concurrency, timeouts, a size limit, retries with back-off, conditional requests, and the SSRF
guard on every connection (redirects included).

One ``Fetcher`` per run; ``fetch`` is safe to call from several threads and ``fetch_many`` does
so, yielding results in input order with a bounded number in flight.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import httpx

from crosswire import __version__
from crosswire.errors import InputError
from crosswire.sources.robots import RobotsCache
from crosswire.sources.transport import guarded_transport

if TYPE_CHECKING:
    from crosswire.settings import Settings

REDIRECTS = {301, 302, 303, 307, 308}
TRANSIENT = {408, 425, 429, 500, 502, 503, 504}  # worth asking again; other 4xx/5xx are final
MAX_CRAWL_DELAY = 60.0  # a robots.txt Crawl-delay is honoured up to this many seconds
_MAX_AGE = re.compile(r"max-age\s*=\s*(\d+)", re.IGNORECASE)


def default_user_agent(contact: str = "") -> str:
    """``crosswire/VERSION (news monitoring; +CONTACT)``: who is asking, and how to reach them."""
    about = f"news monitoring; +{contact.strip()}" if contact.strip() else "news monitoring"
    return f"crosswire/{__version__} ({about})"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    user_agent: str = default_user_agent()
    timeout: float = 20.0  # per connect or read; one attempt as a whole gets three times this
    max_bytes: int = 10 * 1024 * 1024  # of decoded body; larger responses are refused
    host_delay: float = 1.0  # seconds between the starts of two requests to one host
    host_concurrency: int = 2  # requests in flight to one host
    concurrency: int = 8  # requests in flight in all
    retries: int = 2  # further attempts after a timeout, network error, 429 or 5xx
    backoff: float = 1.0  # first wait before a retry, doubled each time (with jitter)
    max_retry_after: float = 60.0  # a longer Retry-After gives up now (the caller may come back)
    max_redirects: int = 5
    allow_private: str = ""  # crosswire.sources.guard.AddressPolicy.parse

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        return cls(
            user_agent=default_user_agent(settings.fetch_contact),
            timeout=settings.fetch_timeout,
            max_bytes=settings.fetch_max_bytes,
            host_delay=settings.fetch_delay,
            host_concurrency=max(settings.fetch_host_concurrency, 1),
            concurrency=max(settings.fetch_concurrency, 1),
            retries=max(settings.fetch_retries, 0),
            allow_private=settings.allow_private,
        )


class FetchError(InputError):
    """A fetch that failed. ``permanent``: asking again will not help (404, robots, SSRF guard);
    ``retry_after``: seconds the server asked us to wait, when it did."""

    def __init__(self, reason: str, detail: str = "", *, permanent: bool = True, retry_after: float | None = None):
        super().__init__(reason, detail)
        self.permanent = permanent
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # where the body came from, after redirects
    status: int  # 2xx, or 304 when the validators still hold
    body: bytes
    media_type: str  # "text/html", lower-case, without parameters ("" when not given)
    charset: str | None
    etag: str | None
    last_modified: str | None
    max_age: float | None  # Cache-Control max-age, seconds
    fetched_at: str  # ISO 8601 UTC

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True, slots=True)
class Request:
    """A URL to fetch, with validators from an earlier fetch and whatever the caller needs back."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    context: Any = None


@dataclass(frozen=True, slots=True)
class _Reply:
    url: str
    status: int
    headers: httpx.Headers
    body: bytes


class _Host:
    """Pace and concurrency of the requests to one host."""

    def __init__(self, concurrency: int) -> None:
        self.slots = threading.BoundedSemaphore(concurrency)
        self.lock = threading.Lock()
        self.next_start = 0.0


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds from now (it is either seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("bad-url", f"{url}: only http and https URLs are fetched")


class Fetcher:
    def __init__(self, policy: FetchPolicy | None = None, stop: threading.Event | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self.stop = stop or threading.Event()  # set: no new request starts, waits end early
        self.client = httpx.Client(
            transport=guarded_transport(self.policy.allow_private),
            timeout=httpx.Timeout(self.policy.timeout),
            headers={"User-Agent": self.policy.user_agent},
            follow_redirects=False,  # followed here, so robots and the pace apply to every hop
            trust_env=False,  # no proxy from the environment: the guard must see the real address
        )
        self.robots = RobotsCache(self.policy.user_agent, self._robots_txt)
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    # -- one URL ---------------------------------------------------------------------------
    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET ``url`` (conditionally, given validators). Raises FetchError."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            try:
                return self._fetch_once(url, headers)
            except FetchError as err:
                if err.permanent or attempt >= self.policy.retries or self.stop.is_set():
                    raise
                wait = err.retry_after
                if wait is None:
                    wait = self.policy.backoff * 2**attempt * random.uniform(1.0, 1.5)
                if wait > self.policy.max_retry_after:
                    raise
                if self.stop.wait(wait):
                    raise
                attempt += 1

    def _fetch_once(self, url: str, headers: dict[str, str]) -> Fetched:
        reply = self._follow(url, headers, robots=True)
        if reply.status >= 400 or (reply.status >= 300 and reply.status != 304):
            raise FetchError(
                f"http-{reply.status}",
                reply.url,
                permanent=reply.status not in TRANSIENT,
                retry_after=retry_after_seconds(reply.headers.get("retry-after")),
            )
        content_type = reply.headers.get("content-type", "")
        media_type, _, params = content_type.partition(";")
        charset = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.IGNORECASE)
        max_age = _MAX_AGE.search(reply.headers.get("cache-control", ""))
        return Fetched(
            url=reply.url,
            status=reply.status,
            body=reply.body,
            media_type=media_type.strip().lower(),
            charset=charset.group(1).lower() if charset else None,
            etag=reply.headers.get("etag"),
            last_modified=reply.headers.get("last-modified"),
            max_age=float(max_age.group(1)) if max_age else None,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )

    def _follow(self, url: str, headers: dict[str, str], *, robots: bool) -> _Reply:
        current = url
        for _ in range(self.policy.max_redirects + 1):
            _check_url(current)
            delay = self.policy.host_delay
            if robots:
                if not self.robots.allowed(current):
                    raise FetchError("robots-disallowed", f"{current}: robots.txt disallows it")
                delay = max(delay, min(self.robots.crawl_delay(current), MAX_CRAWL_DELAY))
            with self._turn(current, delay):
                reply = self._get(current, headers)
            location = reply.headers.get("location")
            if reply.status in REDIRECTS and location:
                current = urljoin(current, location.strip())
                continue
            return reply
        raise FetchError("too-many-redirects", f"{url}: more than {self.policy.max_redirects} redirects")

    @contextmanager
    def _turn(self, url: str, delay: float) -> Iterator[None]:
        """Wait for a free slot at the host and for its pace, then hold the slot."""
        if self.stop.is_set():
            raise FetchError("cancelled", f"{url}: stopping", permanent=False)
        host = (urlsplit(url).hostname or "").lower()
        with self._hosts_lock:
            state = self._hosts.setdefault(host, _Host(self.policy.host_concurrency))
        while not state.slots.acquire(timeout=0.2):
            if self.stop.is_set():
                raise FetchError("cancelled", f"{url}: stopping", permanent=False)
        try:
            with state.lock:
                now = time.monotonic()
                start = max(now, state.next_start)
                state.next_start = start + delay
            if start > now and self.stop.wait(start - now):
                raise FetchError("cancelled", f"{url}: stopping", permanent=False)
            yield
        finally:
            state.slots.release()

    def _get(self, url: str, headers: dict[str, str]) -> _Reply:
        limit = self.policy.max_bytes
        deadline = time.monotonic() + 3 * self.policy.timeout  # a server dripping bytes is cut off
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status >= 300:  # redirects, 304 and errors: the body is not wanted
                    return _Reply(url, status, response.headers, b"")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError("too-large", f"{url}: {declared} bytes > {limit}")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError("too-large", f"{url}: more than {limit} bytes")
                    if time.monotonic() > deadline:
                        raise FetchError(
                            "timeout", f"{url}: slower than {3 * self.policy.timeout:g} s", permanent=False
                        )
                    chunks.append(chunk)
                return _Reply(url, status, response.headers, b"".join(chunks))
        except FetchError:
            raise
        except InputError as err:  # the guard refused the address
            raise FetchError(err.reason, err.detail, permanent=err.reason != "network") from err
        except httpx.TimeoutException as err:
            raise FetchError("timeout", f"{url}: {type(err).__name__}", permanent=False) from err
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as err:
            raise FetchError("bad-url", f"{url}: {err}") from err
        except httpx.HTTPError as err:
            raise FetchError("network", f"{url}: {type(err).__name__}: {err}", permanent=False) from err

    def _robots_txt(self, url: str) -> tuple[int, bytes] | None:
        try:
            reply = self._follow(url, {}, robots=False)
        except FetchError as err:
            if err.reason in ("blocked-address", "cancelled"):  # out of bounds, or stopping: not a rule to keep
                raise
            return None
        return reply.status, reply.body

    # -- many URLs ---------------------------------------------------------------------------
    def fetch_many(
        self, requests: Iterable[Request], then: Callable[[Request, Fetched], Any] | None = None
    ) -> Iterator[tuple[Request, Any]]:
        """Fetch ``requests`` concurrently; yield each with its result (a FetchError, or what
        ``then`` made of the page, in the fetching thread, e.g. kept it), in input order. Once
        ``stop`` is set no new request starts; those in flight finish and are yielded."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.policy.concurrency, thread_name_prefix="crosswire-fetch")
        window: deque[tuple[Request, Future[Any]]] = deque()
        pending = iter(requests)
        while True:
            while len(window) < 2 * self.policy.concurrency and not self.stop.is_set():
                request = next(pending, None)
                if request is None:
                    break
                window.append((request, self._pool.submit(self._fetch_request, request, then)))
            if not window:
                return
            request, future = window.popleft()
            try:
                yield request, future.result()
            except FetchError as err:
                yield request, err

    def _fetch_request(self, request: Request, then: Callable[[Request, Fetched], Any] | None) -> Any:
        fetched = self.fetch(request.url, etag=request.etag, last_modified=request.last_modified)
        return fetched if then is None else then(request, fetched)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
