"""Reads for exporting a whole store: every article with its raw input and placement, streamed
(the cursor is read row by row, so memory stays flat in the size of the store)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from crosswire.store import codec
from crosswire.types import Article, RawDocument


@dataclass(frozen=True, slots=True)
class StoredArticle:
    raw: RawDocument
    article: Article
    event_id: str | None
    story_id: str | None


def stored_articles(db: sqlite3.Connection) -> Iterator[StoredArticle]:
    """Every stored article in the order it was stored (write nothing while reading them)."""
    rows = db.execute(
        "SELECT a.*, r.source AS raw_source, r.kind AS raw_kind, r.body AS raw_body, r.hints AS raw_hints, "
        "r.flags AS raw_flags, s.event_id, s.story_id FROM articles a JOIN raw_documents r ON r.id = a.id "
        "LEFT JOIN assignments s ON s.article_id = a.id ORDER BY a.rowid"
    )
    for row in rows:
        raw = codec.raw_from_row(
            row["raw_source"], row["raw_kind"], row["raw_body"], row["raw_hints"], row["raw_flags"]
        )
        yield StoredArticle(raw, codec.article_from_row(row), row["event_id"], row["story_id"])
