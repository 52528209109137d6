"""Export articles and stories as JSON Lines, CSV or Parquet.

An article's JSON line is an input line ``crosswire ingest`` reads back (``text`` or ``html``: the
raw input as it was ingested, with the hints it came with), plus ``id``, the cleaned ``article``
and its ``event_id`` and ``story_id``: ingesting an export into a fresh store gives the same
article ids and texts. CSV and Parquet hold one flat row per article or story (lists joined by
"; "), for spreadsheets and data frames.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from crosswire.errors import CrosswireError, MissingDependency
from crosswire.schema import article_json, story_record
from crosswire.service.stories import stories
from crosswire.store.base import Store
from crosswire.store.exports import StoredArticle
from crosswire.types import StorySummary

FORMATS = ("jsonl", "csv", "parquet")
WHAT = ("articles", "stories")
_HINTS = ("url", "title", "published", "site", "language", "author", "captured")
ARTICLE_COLUMNS = (
    "id",
    "source",
    "url",
    "title",
    "published",
    "language",
    "site",
    "author",
    "captured",
    "event_id",
    "story_id",
    "flags",
    "text",
)
STORY_COLUMNS = (
    "id",
    "title",
    "languages",
    "first_date",
    "last_date",
    "article_count",
    "event_count",
    "sites",
    "article_ids",
)
_COUNTS = {"article_count", "event_count"}
_PAGE = 500  # stories read per query
_NOT_CLEANED = ("id", "source", "removed")  # an export line has these apart, or not at all


def article_record(stored: StoredArticle) -> dict[str, Any]:
    """The JSON line of one article: re-ingestable input, then what crosswire made of it."""
    raw, article = stored.raw, stored.article
    record: dict[str, Any] = {"id": article.id, "source": raw.source, raw.kind: raw.body}
    record.update({name: getattr(raw, name) for name in _HINTS if getattr(raw, name)})
    record["article"] = {k: v for k, v in article_json(article).items() if k not in _NOT_CLEANED}
    record["event_id"] = stored.event_id
    record["story_id"] = stored.story_id
    return record


def article_row(stored: StoredArticle) -> dict[str, Any]:
    article = stored.article
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "published": article.published,
        "language": article.language,
        "site": article.site,
        "author": article.author,
        "captured": stored.raw.captured,
        "event_id": stored.event_id,
        "story_id": stored.story_id,
        "flags": "; ".join(article.flags),
        "text": article.text,
    }


def _story_pages(store: Store) -> Iterator[tuple[StorySummary, dict[str, list[str]], list[str]]]:
    """Each story with its events' article ids and all its article ids, a page at a time."""
    offset = 0
    while page := stories(store, limit=_PAGE, offset=offset, with_articles=False, with_timeline=True):
        members = store.stories_members([story.id for story in page])
        for story in page:
            placed = members.get(story.id, [])
            by_event: dict[str, list[str]] = {}
            for member in placed:
                by_event.setdefault(member.event_id, []).append(member.article_id)
            yield story, by_event, [member.article_id for member in placed]
        offset += len(page)


def story_row(story: StorySummary, by_event: dict[str, list[str]], article_ids: list[str]) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "languages": "; ".join(story.languages),
        "first_date": story.first_date,
        "last_date": story.last_date,
        "article_count": story.article_count,
        "event_count": story.event_count,
        "sites": "; ".join(f"{site} ({n})" for site, n in story.sites),
        "article_ids": "; ".join(article_ids),
    }


def _write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def _write_parquet(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:
        raise MissingDependency("pyarrow", "parquet") from err
    schema = pa.schema([(name, pa.int64() if name in _COUNTS else pa.string()) for name in columns])
    count = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == 1000:  # one row group per thousand rows: memory stays flat
                writer.write_table(pa.Table.from_pylist(chunk, schema))
                count, chunk = count + len(chunk), []
        if chunk or not count:
            writer.write_table(pa.Table.from_pylist(chunk, schema))
            count += len(chunk)
    return count


def export(store: Store, what: str, fmt: str, output: Path | None, stdout: TextIO) -> int:
    """Write every article or story of ``store`` to ``output`` (``stdout`` when None; Parquet
    needs a file). Returns how many were written."""
    if what not in WHAT:
        raise CrosswireError(f"export: {what!r} is not one of {', '.join(WHAT)}")
    if fmt not in FORMATS:
        raise CrosswireError(f"export: format {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if output is None:
            raise CrosswireError("export: Parquet is binary; give a file with --output")
        return _write_parquet(_rows(store, what), _columns(what), output)
    if output is None:
        return _write_text(store, what, fmt, stdout)
    with output.open("w", encoding="utf-8", newline="") as out:
        return _write_text(store, what, fmt, out)


def _columns(what: str) -> tuple[str, ...]:
    return ARTICLE_COLUMNS if what == "articles" else STORY_COLUMNS


def _rows(store: Store, what: str) -> Iterator[dict[str, Any]]:
    if what == "articles":
        return (article_row(stored) for stored in store.stored_articles())
    return (story_row(*found) for found in _story_pages(store))


def _write_text(store: Store, what: str, fmt: str, out: TextIO) -> int:
    if fmt == "csv":
        return _write_csv(_rows(store, what), _columns(what), out)
    if what == "articles":
        return _write_jsonl((article_record(stored) for stored in store.stored_articles()), out)
    return _write_jsonl((story_record(*found) for found in _story_pages(store)), out)
