"""Fetching against a real HTTP server on loopback: the User-Agent, the SSRF guard (redirects
included), robots.txt, timeouts, size limits, retries, conditional requests, per-host pace and
concurrency."""

from __future__ import annotations

import ipaddress
import itertools
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from fixture_server import FixtureServer, Reply

from crosswire.sources.fetch import Fetcher, FetchError, FetchPolicy, Request, retry_after_seconds
from crosswire.sources.guard import AddressPolicy, is_public

LOOPBACK = FetchPolicy(allow_private="127.0.0.1", host_delay=0, timeout=2, backoff=0.01)
HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with FixtureServer().running() as running:
        yield running


def _fetcher(**changes: Any) -> Fetcher:
    return Fetcher(replace(LOOPBACK, **changes))


def _error(fetcher: Fetcher, url: str, **kwargs: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(url, **kwargs)
    return caught.value


def test_a_page_comes_with_its_type_charset_and_an_honest_user_agent(server: FixtureServer) -> None:
    url = server.route("/a", Reply(body="<p>Grüße</p>".encode(), headers=HTML))
    with _fetcher(user_agent="crosswire/0.1.0 (news monitoring; +mailto:desk@example.org)") as fetcher:
        page = fetcher.fetch(url)
    assert (page.status, page.media_type, page.charset, page.body) == (
        200,
        "text/html",
        "utf-8",
        "<p>Grüße</p>".encode(),
    )
    agents = {seen.headers["user-agent"] for seen in server.requests}
    assert agents == {"crosswire/0.1.0 (news monitoring; +mailto:desk@example.org)"}
    assert [seen.path for seen in server.requests] == ["/robots.txt", "/a"]


def test_the_default_user_agent_names_crosswire_and_the_contact() -> None:
    from crosswire.settings import Settings

    agent = FetchPolicy.from_settings(Settings(fetch_contact="https://example.org/bot")).user_agent
    assert agent.startswith("crosswire/") and "+https://example.org/bot" in agent


def test_loopback_is_refused_unless_allowed(server: FixtureServer) -> None:
    url = server.html("/a", "Title", "Text")
    with Fetcher(FetchPolicy(host_delay=0, retries=0)) as fetcher:
        assert _error(fetcher, url).reason == "blocked-address"
        assert _error(fetcher, url.replace("127.0.0.1", "localhost")).reason == "blocked-address"
    assert server.requests == []  # refused before connecting
    with _fetcher() as fetcher:
        assert fetcher.fetch(url).status == 200


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/", "http://[::1]/"])
def test_a_redirect_to_a_private_address_is_refused(server: FixtureServer, target: str) -> None:
    url = server.route("/away", Reply(302, headers={"Location": target}))
    started = time.monotonic()
    with _fetcher() as fetcher:  # 127.0.0.1 allowed, nothing else
        err = _error(fetcher, url)
    assert err.reason == "blocked-address" and err.permanent
    assert time.monotonic() - started < 2  # refused at once, not after a connection attempt


def test_redirects_are_followed_relative_and_bounded(server: FixtureServer) -> None:
    server.html("/final", "Title", "Text")
    server.route("/one", Reply(301, headers={"Location": "/two"}))
    server.route("/two", Reply(307, headers={"Location": server.url("/final")}))
    server.route("/loop", Reply(302, headers={"Location": "/loop"}))
    with _fetcher() as fetcher:
        page = fetcher.fetch(server.url("/one"))
        assert page.url == server.url("/final") and page.status == 200
        assert _error(fetcher, server.url("/loop")).reason == "too-many-redirects"
    assert server.hits["/loop"] == LOOPBACK.max_redirects + 1


def test_robots_txt_is_respected_and_fetched_once_per_site(server: FixtureServer) -> None:
    server.route(
        "/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private\n", headers={"Content-Type": "text/plain"})
    )
    open_url = server.html("/open", "Title", "Text")
    closed_url = server.html("/private/page", "Title", "Text")
    with _fetcher() as fetcher:
        assert fetcher.fetch(open_url).status == 200
        err = _error(fetcher, closed_url)
        assert err.reason == "robots-disallowed" and err.permanent
        fetcher.fetch(open_url)
    assert server.hits["/robots.txt"] == 1 and server.hits["/private/page"] == 0


def test_robots_rules_for_crosswire_by_name(server: FixtureServer) -> None:
    rules = b"User-agent: crosswire\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    server.route("/robots.txt", Reply(body=rules, headers={"Content-Type": "text/plain"}))
    with _fetcher() as fetcher:
        assert _error(fetcher, server.html("/a", "T", "x")).reason == "robots-disallowed"


def test_an_unreachable_robots_txt_disallows_and_a_missing_one_allows(server: FixtureServer) -> None:
    url = server.html("/a", "T", "x")
    server.route("/robots.txt", Reply(503))
    with _fetcher() as fetcher:
        assert _error(fetcher, url).reason == "robots-disallowed"
    server.route("/robots.txt", Reply(404))
    with _fetcher() as fetcher:
        assert fetcher.fetch(url).status == 200


def test_a_slow_response_times_out(server: FixtureServer) -> None:
    url = server.route("/slow", Reply(body=b"late", delay=2.0, headers=HTML))
    started = time.monotonic()
    with _fetcher(timeout=0.5, retries=0) as fetcher:
        err = _error(fetcher, url)
    assert err.reason == "timeout" and not err.permanent
    assert time.monotonic() - started < 1.8


@pytest.mark.parametrize("declared", [True, False])
def test_a_huge_response_is_cut_off_at_the_size_limit(server: FixtureServer, declared: bool) -> None:
    url = server.route("/huge", Reply(size=8 * 1024 * 1024, declare_length=declared, headers=HTML))
    started = time.monotonic()
    with _fetcher(max_bytes=256 * 1024) as fetcher:
        err = _error(fetcher, url)
    assert err.reason == "too-large" and err.permanent
    assert time.monotonic() - started < 5


def test_server_errors_are_retried_with_back_off_then_succeed(server: FixtureServer) -> None:
    ok = Reply(body=b"<p>fine</p>", headers=HTML)
    url = server.route("/flaky", [Reply(503), Reply(500, headers={"Retry-After": "0"}), ok])
    with _fetcher(retries=2) as fetcher:
        assert fetcher.fetch(url).body == b"<p>fine</p>"
    assert server.hits["/flaky"] == 3
    missing = server.url("/missing")
    with _fetcher(retries=2) as fetcher:
        err = _error(fetcher, missing)
    assert err.reason == "http-404" and err.permanent and server.hits["/missing"] == 1


def test_a_retry_after_beyond_the_bound_gives_up_and_says_when(server: FixtureServer) -> None:
    url = server.route("/busy", Reply(429, headers={"Retry-After": "3600"}))
    with _fetcher(retries=3, max_retry_after=5) as fetcher:
        err = _error(fetcher, url)
    assert err.reason == "http-429" and not err.permanent and err.retry_after == 3600
    assert server.hits["/busy"] == 1
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_conditional_requests_answer_304(server: FixtureServer) -> None:
    def page(headers: dict[str, str]) -> Reply:
        if (
            headers.get("if-none-match") == '"v1"'
            or headers.get("if-modified-since") == "Sat, 03 Feb 2024 10:00:00 GMT"
        ):
            return Reply(304)
        return Reply(
            body=b"<p>x</p>", headers={**HTML, "ETag": '"v1"', "Last-Modified": "Sat, 03 Feb 2024 10:00:00 GMT"}
        )

    url = server.route("/page", page)
    with _fetcher() as fetcher:
        first = fetcher.fetch(url)
        assert (first.etag, first.last_modified) == ('"v1"', "Sat, 03 Feb 2024 10:00:00 GMT")
        assert fetcher.fetch(url, etag=first.etag).not_modified
        assert fetcher.fetch(url, last_modified=first.last_modified).not_modified


def test_requests_to_one_host_keep_their_pace(server: FixtureServer) -> None:
    urls = [server.html(f"/p{i}", "T", "x") for i in range(4)]
    with _fetcher(host_delay=0.25) as fetcher:
        results = list(fetcher.fetch_many(Request(url) for url in urls))
    assert all(not isinstance(result, FetchError) for _, result in results)
    starts = [seen.at for seen in server.requests]  # robots.txt, then the four pages
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert min(gaps) >= 0.2, gaps


@pytest.mark.parametrize("per_host", [1, 3])
def test_concurrency_per_host_is_bounded(server: FixtureServer, per_host: int) -> None:
    urls = [server.route(f"/s{i}", Reply(body=b"<p>x</p>", delay=0.3, headers=HTML)) for i in range(6)]
    with _fetcher(host_concurrency=per_host, concurrency=6) as fetcher:
        results = list(fetcher.fetch_many(Request(url, context=i) for i, url in enumerate(urls)))
    assert [request.context for request, _ in results] == list(range(6))  # input order kept
    assert server.max_in_flight == per_host


def test_only_http_and_https_urls_are_fetched() -> None:
    with Fetcher(FetchPolicy()) as fetcher:
        assert _error(fetcher, "file:///etc/passwd").reason == "bad-url"
        assert _error(fetcher, "ftp://example.org/x").reason == "bad-url"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:8.8.8.8", True),
        ("64:ff9b::a00:1", False),
        ("2002:0a00:0001::1", False),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public


def test_address_policy_settings() -> None:
    loop = ipaddress.ip_address("127.0.0.1")
    assert not AddressPolicy.parse("").allows(loop)
    assert AddressPolicy.parse("all").allows(loop)
    some = AddressPolicy.parse("127.0.0.1, 10.0.0.0/8")
    assert some.allows(loop) and some.allows(ipaddress.ip_address("10.9.8.7"))
    assert not some.allows(ipaddress.ip_address("192.168.0.1"))
    with pytest.raises(Exception, match="allow_private"):
        AddressPolicy.parse("not-a-network")
