"""Stores behind one interface (crosswire.store.base.Store): SQLite, the embedded default, and
PostgreSQL for a server (crosswire.store.postgres, loaded only when a location names one)."""

from __future__ import annotations

from pathlib import Path

from crosswire.store.base import Store
from crosswire.store.sqlite import CACHE_KIB, SQLiteStore

__all__ = ["SQLiteStore", "Store", "open_store"]


def open_store(location: str | Path, *, create: bool = True, cache_kib: int = CACHE_KIB) -> Store:
    """The store at ``location``: a SQLite file path, or a ``postgresql://USER@HOST:PORT/DB`` URL.
    ``create=False`` refuses a missing one (no file; a database without the crosswire schema)."""
    from crosswire.store.postgres.connection import is_postgres_url  # no driver import: a string test

    if is_postgres_url(location):
        from crosswire.store.postgres import PostgresStore

        return PostgresStore(str(location), create=create)
    return SQLiteStore(location, create=create, cache_kib=cache_kib)
