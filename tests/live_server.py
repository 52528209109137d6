"""A real crosswire server on a free loopback port, in a thread of the test process, over a real
store (a SQLite file, or a PostgreSQL database): what the API, security and browser tests talk to over HTTP."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from crosswire.settings import Settings
from crosswire.web import WebSettings, create_app
from crosswire.web.config import MAX_UPLOAD_BYTES


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def live_server(
    db: Path | str, *, token: str | None = None, max_upload_bytes: int = MAX_UPLOAD_BYTES, loopback_only: bool = True
) -> Iterator[str]:
    """Serve ``db`` (a SQLite file, or a PostgreSQL URL) and yield the base URL; stop the server on exit."""
    web = WebSettings(Settings(db=str(db)), token=token, max_upload_bytes=max_upload_bytes, loopback_only=loopback_only)
    config = uvicorn.Config(create_app(web), host="127.0.0.1", port=free_port(), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="crosswire-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(15)
