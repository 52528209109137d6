"""The PostgreSQL store's schema: numbered SQL files in ``migrations/``, applied in order, each in
its own transaction, and the version reached kept in ``crosswire_schema``.

Several processes may open a store at once (``serve`` and ``watch``): a transaction-scoped
advisory lock lets one of them migrate while the others wait, then find nothing left to do.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING, Any

from crosswire.errors import StoreNotFound

if TYPE_CHECKING:
    import psycopg

MIGRATE_LOCK = 0x63777300  # advisory lock keys ('cws' + n): migrating, writing
WRITE_LOCK = 0x63777301


def migrations() -> list[tuple[int, str]]:
    folder = resources.files("crosswire.store.postgres") / "migrations"
    found = [
        (int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    ]
    return sorted(found)


def has_schema(conn: psycopg.Connection[tuple[Any, ...]]) -> bool:
    row = conn.execute("SELECT to_regclass('crosswire_schema') IS NOT NULL").fetchone()
    return bool(row and row[0])


def version(conn: psycopg.Connection[tuple[Any, ...]]) -> int:
    row = conn.execute("SELECT coalesce(max(version), 0) FROM crosswire_schema").fetchone()
    return int(row[0]) if row else 0


def migrate(conn: psycopg.Connection[tuple[Any, ...]], where: str, *, create: bool) -> None:
    """Bring the schema up to date; with ``create=False`` a database without the crosswire schema
    is refused (a mistyped database name must not read as a store without articles)."""
    if not has_schema(conn):
        if not create:
            raise StoreNotFound(f"no crosswire store at {where} (the database has no crosswire schema)")
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS crosswire_schema (version INTEGER PRIMARY KEY)")
    for number, script in migrations():
        if number <= version(conn):
            continue
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
            if number <= version(conn):  # another process applied it while this one waited
                continue
            conn.execute(script.encode("utf-8"))  # no parameters: a multi-statement script runs as one
            conn.execute("INSERT INTO crosswire_schema VALUES (%s)", (number,))
