"""The server's guard, as one ASGI middleware (cheaper per request than a stack of them):

- security headers on every response (a Content-Security-Policy that allows scripts and styles
  from this server's own static files only, so an article can never run script here);
- request bodies bounded in size (declared and streamed), answered 413 beyond the limit;
- one well-formed Host header, and on a loopback server only a loopback name or address in it
  (a page on another site cannot reach it through DNS rebinding; ``crosswire.web.hosts``);
- no cross-site writes: a POST whose Origin is another site is refused (a page elsewhere could
  otherwise submit the ingest form to a server on this machine).

Tokens for write endpoints are checked where those endpoints are (``crosswire.web.auth``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from crosswire.web.hosts import DEFAULT_PORTS, Authority, is_loopback, parse_authority, parse_origin

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class TooLarge(HTTPException):
    """A body that outgrew the limit while streaming in: an HTTP error, so that FastAPI's body
    parsing lets it through to the error handlers (it turns other exceptions into a 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over the limit of {limit} bytes")


class Guard:
    def __init__(self, app: ASGIApp, *, max_body: int, loopback_only: bool) -> None:
        self.app = app
        self.max_body = max_body
        self.loopback_only = loopback_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await _error(send, *refusal, api=scope["path"].startswith("/api/"))
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (name, value) for name, value in HEADERS if name not in present
                ]
            await send(message)

        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise TooLarge(self.max_body)
            return message

        try:
            await self.app(scope, bounded_receive, send_with_headers)
        except TooLarge as err:  # read outside any route's error handling
            if started:
                raise
            await _error(send, 413, "too_large", str(err.detail), api=scope["path"].startswith("/api/"))

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str, str] | None:
        hosts = [value for name, value in scope["headers"] if name.lower() == b"host"]
        host = parse_authority(hosts[0].decode("latin-1")) if len(hosts) == 1 else None
        if self.loopback_only and (host is None or not is_loopback(host.host)):
            return 400, "bad_host", "this server answers on loopback names only (127.0.0.1, [::1], localhost)"
        # RFC 9112: 400 for more than one Host, or a malformed one; only HTTP/1.0 may go without.
        if host is None and (hosts or scope.get("http_version") != "1.0"):
            return 400, "bad_host", "the Host header must be one host name or address, with an optional port"
        if scope["method"] in _UNSAFE:
            if not _same_origin(headers, host, scope.get("scheme", "http")):
                return 403, "cross_origin", "writes from another site are refused"
            length = headers.get("content-length")
            if length is not None and length.isascii() and length.isdigit() and int(length) > self.max_body:
                return 413, "too_large", TooLarge(self.max_body).detail
        return None


def _same_origin(headers: dict[str, str], host: Authority | None, scheme: str) -> bool:
    """Whether a write comes from this server's own pages (or from no page: a client). Browsers
    say so in Sec-Fetch-Site; under Referrer-Policy: no-referrer their Origin on a form post is
    'null', so Origin decides only for clients that send no Sec-Fetch-Site. Origin and Host are
    compared parsed (name, address and port), never as strings; not by scheme, since behind a
    TLS proxy this server sees http for an https page."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return True
    parsed = parse_origin(origin)
    if parsed is None or host is None:
        return False
    port = None if host.port == DEFAULT_PORTS.get(scheme) else host.port
    return parsed[1] == Authority(host.host, port)


async def _error(send: Send, status: int, code: str, message: str, *, api: bool) -> None:
    """The JSON error shape (``crosswire.web.errors``) for API paths, a short page otherwise."""
    if api:
        body = json.dumps({"error": {"status": status, "code": code, "message": message}}).encode()
        kind = b"application/json"
    else:
        body = f"<!doctype html><title>{status}</title><p>{status}: {message}</p>".encode()
        kind = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()), *HEADERS],
        }
    )
    await send({"type": "http.response.body", "body": body})
