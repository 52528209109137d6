"""The Store interface every service and face uses (a typing Protocol): SQLiteStore implements
it, and so must any other store (tests/test_store_contract.py runs one suite against each)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from crosswire.store.sqlite import SQLiteStore

# Filled in by the interface below once it is written out; until then the SQLite store is it.
Store: TypeAlias = "SQLiteStore"
