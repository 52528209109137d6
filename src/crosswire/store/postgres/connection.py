"""Connecting to a PostgreSQL server: what a location string names, the driver (psycopg 3,
the ``postgres`` extra, imported only here), and where the cache files of a server store live."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosswire.errors import CrosswireError, MissingDependency

if TYPE_CHECKING:
    import psycopg

_SCHEMES = ("postgresql://", "postgres://")
_PASSWORD = re.compile(r"(://[^:/@]*):[^@]*@")


def is_postgres_url(location: object) -> bool:
    """True for ``postgresql://…`` (or ``postgres://…``) locations; anything else is a file path."""
    return isinstance(location, str) and location.startswith(_SCHEMES)


def redacted(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    return _PASSWORD.sub(r"\1:***@", url)


def cache_path(url: str) -> Path:
    """A local file name for what a store keeps beside it (the vector index: ``<this>.vectors.usearch``),
    one per server and database: ``$XDG_CACHE_HOME/crosswire/postgres/<host>-<db>-<hash>.db``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    tail = redacted(url).split("://", 1)[1]
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", tail.split("?", 1)[0]).strip("-")[:80]
    digest = hashlib.sha256(redacted(url).encode("utf-8")).hexdigest()[:10]
    return Path(base) / "crosswire" / "postgres" / f"{readable}-{digest}.db"


def connect(url: str) -> psycopg.Connection[tuple[Any, ...]]:
    """A connection in autocommit mode: each read sees the latest committed state; writes go
    through ``PostgresStore.transaction``."""
    try:
        import psycopg
    except ImportError as err:
        raise MissingDependency("psycopg", "postgres") from err
    from crosswire.store.postgres.queries import register_adapters

    try:
        conn = psycopg.connect(url, autocommit=True, application_name="crosswire")
    except psycopg.Error as err:
        raise CrosswireError(f"cannot connect to {redacted(url)}: {str(err).strip()}") from err
    register_adapters(conn)
    return conn
