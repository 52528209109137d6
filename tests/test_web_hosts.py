"""DNS rebinding and cross-site writes, against a live server on loopback over raw sockets (so
that every Host and Origin goes out byte for byte as written here): only a well-formed Host
naming this machine is answered, never a name that merely starts like one, and a write whose
Origin is not this server stores nothing."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from live_server import live_server

from crosswire.web.hosts import is_loopback, parse_authority, parse_origin
from crosswire.web.security import Guard
from crosswire.web.serve import token_for

API = "/api/v1"
BODY = json.dumps({"text": "Ferries stopped running between the islands because of the storm. " * 4}).encode()

LOOPBACK = [
    "127.0.0.1",
    "127.0.0.1:8000",
    "127.1.2.3",
    "127.255.255.254:1",
    "localhost",
    "LOCALHOST",
    "LocalHost:65535",
    "[::1]",
    "[::1]:8000",
    "[0:0:0:0:0:0:0:1]",
    "[::ffff:127.0.0.1]",
    "[::FFFF:127.0.0.2]:80",
    "[::ffff:7f00:1]",
]
FOREIGN = [
    # names of someone else's that start like this machine's
    "127.0.0.1.evil.com",
    "127.evil.com",
    "127.0.0.1evil",
    "127.0.0.1:1@evil.com",
    "127.0.0.1:8000.evil.com",
    "localhost.evil.com",
    "localhost.",
    "foo.localhost",
    "[::1].evil.com",
    "[::1]evil",
    "[::ffff:127.0.0.1].evil.com",
    # userinfo, paths, lists, whitespace, empty
    "evil.com@127.0.0.1",
    "user@[::1]",
    "127.0.0.1/x",
    "127.0.0.1,evil.com",
    "127.0.0.1, 127.0.0.1",
    "127.0.0.1 evil.com",
    "",
    # ports that are not one number in range
    "127.0.0.1:",
    "127.0.0.1:0",
    "127.0.0.1:65536",
    "127.0.0.1:99999",
    "127.0.0.1:+80",
    "127.0.0.1:80:80",
    "127.0.0.1:\uff18\uff10",  # fullwidth digits
    "[::1]:",
    "[::1]:99999",
    # other addresses, and other spellings of this one that resolvers disagree on
    "0.0.0.0",
    "[::]",
    "[::2]",
    "[fe80::1]",
    "[::ffff:10.0.0.1]",
    "[::127.0.0.1]",
    "[::1%25lo]",
    "[127.0.0.1]",
    "::1",
    "[::1",
    "::1]",
    "127.1",
    "2130706433",
    "0x7f.0.0.1",
    "127.000.000.001",
    "attacker.example",
]


def _request(base: str, method: str, path: str, headers: list[tuple[str, str]], body: bytes = b"") -> tuple[int, bytes]:
    """One request as raw bytes (Host and Origin exactly as given; UTF-8 where not Latin-1)."""
    host, port = base.removeprefix("http://").rsplit(":", 1)
    lines = [f"{method} {path} HTTP/1.1", *(f"{name}: {value}" for name, value in headers), "Connection: close"]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall("\r\n".join(lines).encode() + b"\r\n\r\n" + body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, content = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), content


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(tmp_path_factory.mktemp("hosts") / "store.db") as base:
        yield base


def _articles(base: str) -> int:
    status, body = _request(base, "GET", f"{API}/health", [("Host", "127.0.0.1")])
    assert status == 200
    return int(json.loads(body)["articles"])


@pytest.mark.parametrize("host", LOOPBACK)
def test_loopback_hosts_are_answered(server: str, host: str) -> None:
    assert _request(server, "GET", f"{API}/health", [("Host", host)])[0] == 200
    assert _request(server, "GET", "/", [("Host", host)])[0] == 200


@pytest.mark.parametrize("host", FOREIGN)
def test_foreign_hosts_are_refused_and_write_nothing(server: str, host: str) -> None:
    status, body = _request(server, "GET", f"{API}/health", [("Host", host)])
    assert status == 400 and json.loads(body)["error"]["code"] == "bad_host", host
    assert _request(server, "GET", "/", [("Host", host)])[0] == 400
    before = _articles(server)
    status, _ = _request(server, "POST", f"{API}/articles", [("Host", host)], BODY)  # no token: none is set
    assert status == 400, host
    assert _articles(server) == before


def test_missing_and_repeated_hosts_are_refused(server: str) -> None:
    before = _articles(server)
    assert _request(server, "GET", f"{API}/health", [])[0] == 400
    assert _request(server, "GET", f"{API}/health", [("Host", "127.0.0.1"), ("Host", "evil.com")])[0] == 400
    assert _request(server, "POST", f"{API}/articles", [("Host", "127.0.0.1"), ("Host", "evil.com")], BODY)[0] == 400
    assert _articles(server) == before


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def _guard_status(
    headers: list[tuple[bytes, bytes]], *, method: str = "GET", version: str = "1.1", loopback_only: bool = True
) -> int:
    """The status the Guard answers with for these raw headers, before any HTTP server sees them."""
    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    async def receive() -> Any:
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": method, "path": "/", "headers": headers, "http_version": version}
    asyncio.run(Guard(_ok, max_body=100, loopback_only=loopback_only)(scope, receive, send))
    return int(sent[0]["status"])


def test_the_guard_itself_refuses_repeated_and_missing_hosts() -> None:
    """Whatever the HTTP server lets through (uvicorn's h11 already refuses some of these)."""
    assert _guard_status([(b"host", b"127.0.0.1")]) == 200
    assert _guard_status([(b"host", b"127.0.0.1"), (b"host", b"127.0.0.1")]) == 400
    assert _guard_status([]) == 400
    assert _guard_status([], version="1.0") == 400  # a loopback server needs to see the name
    # Off loopback any well-formed name will do; a malformed or repeated one never does.
    assert _guard_status([(b"host", b"crosswire.example.org:8443")], loopback_only=False) == 200
    assert _guard_status([], version="1.0", loopback_only=False) == 200
    assert _guard_status([], loopback_only=False) == 400
    assert _guard_status([(b"host", b"a.example"), (b"host", b"b.example")], loopback_only=False) == 400
    assert _guard_status([(b"host", b"a.example:1@b.example")], loopback_only=False) == 400
    # A declared length in other than ASCII digits ("\xb2" is a superscript two) is no number: it was a 500.
    assert _guard_status([(b"host", b"127.0.0.1"), (b"content-length", b"\xb2")], method="POST") == 200


def test_origin_is_compared_parsed(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    here = f"127.0.0.1:{port}"
    same = [
        (here, f"http://{here}"),
        (f"localhost:{port}", f"http://LOCALHOST:{port}"),
        (f"[::1]:{port}", f"http://[0:0::1]:{port}"),
    ]
    for host, origin in same:
        status, body = _request(server, "POST", f"{API}/articles", [("Host", host), ("Origin", origin)], BODY)
        assert status == 200, (host, origin, body)
    cross = [
        f"http://127.0.0.1:{port}.evil.com",
        f"http://127.0.0.1:{port}@evil.com",
        f"http://evil.com@127.0.0.1:{port}",
        f"http://{here}/",
        f"http://{here}/path",
        f"http://localhost:{port}",  # another origin, though the same machine
        "http://127.0.0.1:1",
        "http://127.0.0.1",
        f"ftp://{here}",
        here,
        "http://[::1",  # was a 500
        "null",
        "",
    ]
    before = _articles(server)
    for origin in cross:
        status, body = _request(server, "POST", f"{API}/articles", [("Host", here), ("Origin", origin)], BODY)
        assert status == 403 and json.loads(body)["error"]["code"] == "cross_origin", (origin, body)
    assert _articles(server) == before


def test_parsing() -> None:
    assert parse_authority("LocalHost:80") == parse_authority("localhost:80")
    found = parse_authority("[0:0:0:0:0:0:0:1]:8000")
    assert found is not None and (found.host, found.port) == ("[::1]", 8000)
    assert parse_origin("https://example.org:443") == parse_origin("https://example.org")
    assert parse_origin("http://example.org:443") != parse_origin("http://example.org")
    assert all(parse_authority(host) is None or not is_loopback(parse_authority(host).host) for host in FOREIGN)  # type: ignore[union-attr]


def test_serve_makes_up_a_token_for_any_address_that_is_not_loopback() -> None:
    for host in ("127.0.0.1", "127.0.0.2", "::1", "localhost", "LOCALHOST", "::ffff:127.0.0.1"):
        assert token_for(host, None) == (None, False), host
    for host in ("127.evil.com", "127.0.0.1.evil.com", "0.0.0.0", "::", "localhost.", "192.168.1.2"):
        made, generated = token_for(host, None)
        assert generated and made, host
