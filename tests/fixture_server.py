"""A real HTTP server on a free loopback port, in a thread of the test process, serving what a
test routes to it: feeds, pages, robots.txt, slow and huge responses, redirects and errors. It
records every request, and how many were in flight at once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    size: int = 0  # when set: a body of this many bytes, streamed in 64 KiB chunks
    declare_length: bool = True  # send Content-Length (else the body ends when the connection closes)


Route = Reply | list[Reply] | Callable[[dict[str, str]], Reply]


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


class FixtureServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.hits: Counter[str] = Counter()
        self.served: list[str] = []  # paths whose whole response was written
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, reply: Route) -> str:
        self.routes[path] = reply
        return self.url(path)

    def html(self, path: str, title: str, text: str, **headers: str) -> str:
        page = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        page += "".join(f"<p>{paragraph}</p>" for paragraph in text.split("\n\n")) + "</article></body></html>"
        return self.route(
            path, Reply(body=page.encode(), headers={"Content-Type": "text/html; charset=utf-8", **headers})
        )

    def _reply(self, path: str, headers: dict[str, str]) -> Reply:
        route = self.routes.get(path)
        if route is None:
            return Reply(404, b"not found", {"Content-Type": "text/plain"})
        if callable(route):
            return route(headers)
        if isinstance(route, list):
            return route[min(self.hits[path] - 1, len(route) - 1)]
        return route

    @contextmanager
    def running(self) -> Iterator[FixtureServer]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                headers = {key.lower(): value for key, value in self.headers.items()}
                with owner._lock:
                    owner.hits[self.path] += 1
                    owner.requests.append(Seen(self.path, headers, time.monotonic()))
                    owner.in_flight += 1
                    owner.max_in_flight = max(owner.max_in_flight, owner.in_flight)
                counted = True
                try:
                    reply = owner._reply(self.path, headers)
                    time.sleep(reply.delay)
                    # Out of flight before the reply goes: a client that has read it may send its
                    # next request before this thread would get back to count it out.
                    with owner._lock:
                        owner.in_flight -= 1
                        counted = False
                    self.send_response(reply.status)
                    length = reply.size or len(reply.body)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    if reply.declare_length:
                        self.send_header("Content-Length", str(length))
                    self.send_header("Date", formatdate(usegmt=True))
                    self.end_headers()
                    if reply.size:
                        chunk = b"a" * 65536
                        for start in range(0, reply.size, len(chunk)):
                            self.wfile.write(chunk[: reply.size - start])
                    else:
                        self.wfile.write(reply.body)
                    with owner._lock:
                        owner.served.append(self.path)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a size limit, a timeout): what the test wanted
                finally:
                    if counted:
                        with owner._lock:
                            owner.in_flight -= 1

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self._server = Server(("127.0.0.1", 0), Handler)
        server = self._server
        thread = threading.Thread(target=lambda: server.serve_forever(0.05), name="fixture-server", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join(5)


def rss(entries: list[tuple[str, str, str]], *, ttl: int | None = None, language: str | None = None) -> bytes:
    """An RSS 2.0 feed of ``(link, title, pubDate)`` entries."""
    items = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid><pubDate>{date}</pubDate></item>"
        for link, title, date in entries
    )
    extra = (f"<ttl>{ttl}</ttl>" if ttl else "") + (f"<language>{language}</language>" if language else "")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test feed</title>'
        f"<link>http://example.org/</link><description>d</description>{extra}{items}</channel></rss>"
    ).encode()


def atom(entries: list[tuple[str, str, str]]) -> bytes:
    """An Atom feed of ``(link, title, updated)`` entries (ISO dates)."""
    items = "".join(
        f'<entry><title>{title}</title><link href="{link}"/><id>{link}</id><updated>{date}</updated></entry>'
        for link, title, date in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom test</title>'
        f"<id>urn:test</id><updated>2024-02-03T10:00:00Z</updated>{items}</feed>"
    ).encode()


_PLACES = ["Lisbon", "Porto", "Braga", "Coimbra", "Faro", "Aveiro", "Evora", "Setubal", "Leiria", "Viseu"]
_SUBJECTS = ["dock workers", "train drivers", "teachers", "nurses", "bus drivers", "farmers", "pilots", "miners"]


def article(number: int) -> tuple[str, str]:
    """A distinct short news article (title, text) for page ``number``."""
    place = _PLACES[number % len(_PLACES)]
    subject = _SUBJECTS[number // len(_PLACES) % len(_SUBJECTS)]
    title = f"{subject.capitalize()} in {place} end strike number {number}"
    text = (
        f"The {subject} of {place} ended their strike number {number} on Monday after {number + 3} days, "
        f"the regional council of {place} said in a statement.\n\n"
        f"Talks with the ministry will resume on {number % 28 + 1} March, and {number * 7 + 120} workers "
        f"are expected back at work by Friday, according to the union representing the {subject}."
    )
    return title, text


def cli_env(db: Path, **settings: str) -> dict[str, str]:
    """The environment of a crosswire subprocess on ``db``: no user settings, these ones
    (``allow_private="127.0.0.1"`` becomes CROSSWIRE_ALLOW_PRIVATE=127.0.0.1)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CROSSWIRE_")}
    env["CROSSWIRE_DB"] = str(db)
    env["XDG_CONFIG_HOME"] = str(db.parent / "no-config")
    env.update({f"CROSSWIRE_{name.upper()}": value for name, value in settings.items()})
    return env


def crosswire(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crosswire", *args], capture_output=True, text=True, env=env, timeout=timeout
    )
