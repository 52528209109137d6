"""What a running server needs: the crosswire settings, who may write, how much a request may
carry, and one store connection per thread (SQLite connections are not shared between threads;
WAL lets the readers run beside the one writer)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from crosswire.settings import Settings
from crosswire.store import open_store
from crosswire.store.base import Store

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class WebSettings:
    settings: Settings
    token: str | None = None  # when set, write endpoints require it
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    loopback_only: bool = True  # served on a loopback address: answer loopback host names only


READ_CACHE_KIB = 32 * 1024  # page cache of each reading connection (the OS caches the file too)


@dataclass
class Stores:
    """One reading ``Store`` per thread, and one writing store used under ``write_lock``
    (SQLite has one writer at a time; a server's thread pool has dozens of threads, and a
    writer's large page cache in each would add up)."""

    path: str
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    _local: threading.local = field(default_factory=threading.local)
    _writer: Store | None = None

    def get(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = open_store(self.path, cache_kib=READ_CACHE_KIB)
        return store

    def writer(self) -> Store:
        """The writing store: call with ``write_lock`` held."""
        if self._writer is None:
            self._writer = open_store(self.path)
        return self._writer
