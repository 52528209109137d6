"""The Store interface on a PostgreSQL server (the ``postgres`` extra: psycopg 3). See docs/postgres.md."""

from __future__ import annotations

from crosswire.store.postgres.connection import is_postgres_url
from crosswire.store.postgres.store import PostgresStore

__all__ = ["PostgresStore", "is_postgres_url"]
