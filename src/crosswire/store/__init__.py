"""Stores behind one interface; SQLite is the embedded default."""

from crosswire.store.sqlite import SQLiteStore

__all__ = ["SQLiteStore", "open_store"]


def open_store(path: str) -> SQLiteStore:
    return SQLiteStore(path)
