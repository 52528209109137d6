"""Running the app: who may write, and uvicorn on the chosen address.

On a loopback address (127.0.0.1, ::1, localhost) writes need a token only when one is given.
On any other address they always do: the token given (``--token`` or ``CROSSWIRE_TOKEN``), else
one made up at start and printed once on stderr.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import sys
from typing import TYPE_CHECKING

from crosswire.settings import Settings
from crosswire.web.config import MAX_UPLOAD_BYTES, WebSettings
from crosswire.web.hosts import is_loopback

if TYPE_CHECKING:
    from uvicorn import Config


def token_for(host: str, given: str | None) -> tuple[str | None, bool]:
    """The token writes will need (None: none) and whether it was made up here."""
    if given:
        return given, False
    if is_loopback(host):
        return None, False
    return secrets.token_urlsafe(24), True


def serve(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    workers: int = 1,
    log_level: str = "info",
) -> None:
    """Serve until interrupted. With ``workers`` > 1, uvicorn runs that many processes, each
    building the app from the environment this sets (``crosswire.web.app.app_from_environment``)."""
    import uvicorn

    from crosswire.service.search import ensure_search_index, ensure_summaries
    from crosswire.store import open_store
    from crosswire.web.app import create_app
    from crosswire.web.render import counted

    token, generated = token_for(host, token)
    if generated:
        print(f"crosswire: writes to this server need the token {token}", file=sys.stderr, flush=True)
    web = WebSettings(settings, token=token, max_upload_bytes=max_upload_bytes, loopback_only=is_loopback(host))
    store = open_store(settings.db)  # bring an older store up to date once, before any worker starts
    ensure_summaries(store)
    indexed = ensure_search_index(store)
    store.close()
    if indexed:
        print(f"crosswire: indexed {counted(indexed, 'stored article')} for search", file=sys.stderr, flush=True)
    print(f"crosswire: serving {settings.db} on http://{host}:{port}/", file=sys.stderr, flush=True)
    if workers <= 1:
        uvicorn.run(create_app(web), host=host, port=port, log_level=log_level, server_header=False)
        return
    os.environ.update(environment(web))
    app = "crosswire.web.app:app_from_environment"
    _run_workers(
        uvicorn.Config(
            app, factory=True, workers=workers, host=host, port=port, log_level=log_level, server_header=False
        )
    )


def _run_workers(config: Config) -> None:
    """What ``uvicorn.run`` does with workers, but with Nagle's algorithm off: uvicorn's listening
    socket carries no protocol number, so asyncio leaves Nagle on for its connections and every
    response on a kept-alive connection waited ~40 ms for the client's delayed ACK. Connections
    accepted on Linux inherit the listening socket's TCP_NODELAY."""
    from uvicorn.supervisors import Multiprocess

    sock = config.bind_socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[sock]).run()


def environment(web: WebSettings) -> dict[str, str]:
    """What a worker process needs to build the same app (read by ``settings_from_environment``)."""
    found = {
        "CROSSWIRE_DB": web.settings.db,
        "CROSSWIRE_WEB_MAX_UPLOAD_BYTES": str(web.max_upload_bytes),
        "CROSSWIRE_WEB_LOOPBACK_ONLY": "1" if web.loopback_only else "0",
    }
    if web.token:
        found["CROSSWIRE_TOKEN"] = web.token
    return found


def settings_from_environment() -> WebSettings:
    from crosswire.settings import load_settings

    return WebSettings(
        load_settings(os.environ.get("CROSSWIRE_DB")),
        token=os.environ.get("CROSSWIRE_TOKEN") or None,
        max_upload_bytes=int(os.environ.get("CROSSWIRE_WEB_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)),
        loopback_only=os.environ.get("CROSSWIRE_WEB_LOOPBACK_ONLY", "1") == "1",
    )
