from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crosswire.errors import CrosswireError
from crosswire.store import SQLiteStore
from crosswire.types import Article, RawDocument, Removed


def _article(article_id: str) -> Article:
    return Article(
        id=article_id,
        source="x.txt",
        title="T",
        text="Body.",
        language="en",
        published=None,
        removed=(Removed("loader", "ui"),),
        flags=("no-date",),
    )


def test_schema_is_created_once_in_wal_mode(db: Path) -> None:
    store = SQLiteStore(db)
    version = store.schema_version
    assert version >= 1
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    assert SQLiteStore(db).schema_version == version


def test_raw_input_is_kept_beside_the_article(db: Path) -> None:
    store = SQLiteStore(db)
    raw = RawDocument(source="x.txt", body="Заголовок\n\nТекст статті." * 50, title="hint")
    with store.transaction():
        store.add_raws([("abc", raw)])
        store.put_articles([_article("abc")])
    assert store.raw("abc") == raw
    assert store.article("abc") == _article("abc")
    assert store.existing_ids(["abc", "nope"]) == {"abc"}


def test_a_failed_batch_leaves_nothing_half_written(db: Path) -> None:
    store = SQLiteStore(db)
    with store.transaction():
        store.add_raws([("kept", RawDocument(source="k", body="k"))])
        store.put_articles([_article("kept")])
    with pytest.raises(RuntimeError), store.transaction():
        store.add_raws([("lost", RawDocument(source="l", body="l"))])
        store.put_articles([_article("lost")])
        raise RuntimeError("crash mid-batch")
    reopened = SQLiteStore(db)
    assert reopened.existing_ids(["kept", "lost"]) == {"kept"}
    assert reopened.raw("lost") is None


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(CrosswireError, match="not a crosswire store"):
        SQLiteStore(bogus)


def test_short_id_prefixes_are_escaped(db: Path) -> None:
    store = SQLiteStore(db)
    with store.transaction():
        for article_id in ("abc1", "abd2"):
            store.add_raws([(article_id, RawDocument(source=article_id, body=article_id))])
            store.put_articles([_article(article_id)])
    assert store.find_article_ids("abc") == ["abc1"]
    assert sorted(store.find_article_ids("ab")) == ["abc1", "abd2"]
    assert store.find_article_ids("a_") == [] and store.find_article_ids("%") == []
    assert isinstance(store.db, sqlite3.Connection)
