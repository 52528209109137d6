"""Stores behind one interface (crosswire.store.base.Store); SQLite is the embedded default."""

from __future__ import annotations

from pathlib import Path

from crosswire.store.base import Store
from crosswire.store.sqlite import CACHE_KIB, SQLiteStore

__all__ = ["SQLiteStore", "Store", "open_store"]


def open_store(location: str | Path, *, create: bool = True, cache_kib: int = CACHE_KIB) -> Store:
    """The store at ``location`` (a SQLite file path); ``create=False`` refuses a missing one."""
    return SQLiteStore(location, create=create, cache_kib=cache_kib)
