"""What every part of the PostgreSQL store queries through: one connection and a few helpers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

    from crosswire.types import StorySummary


class Queries:
    conn: psycopg.Connection[tuple[Any, ...]]
    # Inside PostgresStore.transaction(): writes may wait for the commit (see _flush_summaries),
    # and reads may be answered from what this writer, holding the write lock, already read.
    _in_transaction: bool = False
    _pending_summaries: dict[str, StorySummary]

    def _flush_summaries(self) -> None: ...

    def _all(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(query, params).fetchall()

    def _one(self, query: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self.conn.execute(query, params).fetchone()

    def _count(self, query: str, params: Sequence[Any] = ()) -> int:
        row = self._one(query, params)
        return int(row[0]) if row else 0

    def _dicts(self, query: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        from psycopg.rows import dict_row

        with self.conn.cursor(row_factory=dict_row) as cursor:
            return cursor.execute(query, params).fetchall()


def int_array(values: Iterable[int]) -> str:
    """An array literal of integers, sent as one text parameter (cast ``::bigint[]``): psycopg
    dumps a list item by item in Python, which cost more than the rest of a batch's writes for the
    ~100,000 feature ids of a batch."""
    return "{" + ",".join(map(str, values)) + "}"


def placeholders(sqlite_clause: str) -> str:
    """A WHERE clause built for SQLite (``?`` parameters) in psycopg's form: the filters of story
    listings and search are shared with the SQLite store, so both keep the same rules."""
    return sqlite_clause.replace("length(?)", "length(%s::text)").replace("?", "%s")
