"""What every part of the PostgreSQL store queries through: one connection and a few helpers."""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import psycopg

    from crosswire.types import Assignment, StorySummary


class Queries:
    conn: psycopg.Connection[tuple[Any, ...]]
    # Inside PostgresStore.transaction(): writes may wait for the commit (see _flush_summaries),
    # and reads may be answered from what this writer, holding the write lock, already read.
    _in_transaction: bool = False
    _pending_summaries: dict[str, StorySummary]
    _placed: dict[str, Assignment | None]  # see PostgresStore.__init__

    def _flush_summaries(self) -> None: ...

    def _reconnect(self) -> None: ...

    def _read(self, query: str, params: Sequence[Any], dicts: bool = False) -> list[Any]:
        """Rows of a read. Outside a transaction a connection the server dropped (a restart, an
        idle timeout) is opened again and the read retried once: a server's readers live for days."""
        import psycopg
        from psycopg.rows import dict_row

        for attempt in (1, 2):
            try:
                if not dicts:
                    return self.conn.execute(query, params).fetchall()
                with self.conn.cursor(row_factory=dict_row) as cursor:
                    return cursor.execute(query, params).fetchall()
            except psycopg.OperationalError:
                if attempt == 2 or self._in_transaction or not self.conn.broken:
                    raise
                self._reconnect()
        raise AssertionError("unreachable")

    def _all(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._read(query, params)

    def _one(self, query: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        rows = self._read(query, params)
        return rows[0] if rows else None

    def _count(self, query: str, params: Sequence[Any] = ()) -> int:
        row = self._one(query, params)
        return int(row[0]) if row else 0

    def _dicts(self, query: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return self._read(query, params, dicts=True)


class Int8Array(bytes):
    """A bigint[] parameter already in PostgreSQL's binary array format (see ``int8_array``)."""


def int8_array(values: Iterable[int] | np.ndarray) -> Int8Array:
    """Integers as one binary bigint[] parameter, built by NumPy: psycopg dumps a list item by
    item in Python, which cost more than the rest of a batch's writes for the ~30,000 feature ids
    whose document frequencies a batch changes."""
    found = values if isinstance(values, np.ndarray) else np.fromiter(values, dtype=np.int64)
    if not len(found):
        return Int8Array(struct.pack(">iii", 0, 0, _INT8_OID))
    items = np.empty(len(found), dtype=[("size", ">i4"), ("value", ">i8")])
    items["size"] = 8
    items["value"] = found
    return Int8Array(struct.pack(">iiiii", 1, 0, _INT8_OID, len(found), 1) + items.tobytes())


def register_adapters(conn: psycopg.Connection[tuple[Any, ...]]) -> None:
    from psycopg.adapt import Dumper
    from psycopg.pq import Format

    class Int8ArrayDumper(Dumper):
        format = Format.BINARY
        oid = _INT8_ARRAY_OID

        def dump(self, obj: Any) -> bytes:
            return bytes(obj)

    conn.adapters.register_dumper(Int8Array, Int8ArrayDumper)


_INT8_OID, _INT8_ARRAY_OID = 20, 1016


def placeholders(sqlite_clause: str) -> str:
    """A WHERE clause built for SQLite (``?`` parameters) in psycopg's form: the filters of story
    listings and search are shared with the SQLite store, so both keep the same rules."""
    return sqlite_clause.replace("length(?)", "length(%s::text)").replace("?", "%s")
