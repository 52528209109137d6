"""Write endpoints and the token. A server given a token (``--token`` or ``CROSSWIRE_TOKEN``;
``crosswire serve`` makes one up on a non-loopback address) requires it on every write, as
``Authorization: Bearer TOKEN``, an ``X-Crosswire-Token`` header, or the ingest form's token
field. Reads never need it."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request


def presented_token(request: Request, form_token: str | None = None) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-crosswire-token") or form_token or None


def check_token(request: Request, form_token: str | None = None) -> None:
    """Refuse (401) a write without the server's token, when the server has one."""
    expected: str | None = request.app.state.web.token
    if not expected:
        return
    given = presented_token(request, form_token)
    if given is None or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(401, "this server requires a token for writes (Authorization: Bearer TOKEN)")
