"""Story summary queries: the rows a summary is computed from, and the stored summaries a
listing reads (one row per story, with sortable columns and language and site facets).

Functions over the store's connection; ``SQLiteStore`` exposes them as methods.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from crosswire.types import (
    HEADLINE_CHARS,
    Assignment,
    EventSummary,
    StoryFilter,
    StoryMember,
    StoryMention,
    StorySummary,
    headline,
)

_BATCH = 500
_STALE = "story_summaries"  # meta key set while stored stories lack summaries (see migration 005)


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]


def compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def filter_sql(where: StoryFilter) -> tuple[str, list[str]]:
    """The WHERE clause (over story summaries ``s``) that keeps the stories ``where`` asks for."""
    clauses, params = [], []
    for kind, value in (("language", where.language), ("site", where.site)):
        if value:
            clauses.append(
                "EXISTS (SELECT 1 FROM story_facets f WHERE f.kind = ? AND f.value = ? AND f.story_id = s.story_id)"
            )
            params += [kind, value]
    if where.since:
        clauses.append("s.last_date >= ?")
        params.append(where.since)
    if where.until:
        clauses.append("substr(s.first_date, 1, length(?)) <= ?")
        params += [where.until, where.until]
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


# -- what summaries are computed from -------------------------------------------------------
def members(db: sqlite3.Connection, story_ids: Sequence[str]) -> dict[str, list[StoryMember]]:
    """Each story's articles as a summary needs them; the text is read only to make a headline
    for an untitled article."""
    found: dict[str, list[StoryMember]] = {}
    for chunk in _chunks(list(story_ids)):
        marks = ",".join("?" * len(chunk))
        for row in db.execute(
            "SELECT a.story_id, a.article_id, a.event_id, r.language, r.site, r.published, r.title, "
            f"CASE WHEN coalesce(r.title, '') = '' THEN substr(r.text, 1, {HEADLINE_CHARS + 1:d}) END "
            f"FROM assignments a JOIN articles r ON r.id = a.article_id WHERE a.story_id IN ({marks})",
            chunk,
        ):
            story_id, article_id, event_id, language, site, published, title, lead = row
            found.setdefault(story_id, []).append(
                StoryMember(article_id, event_id, language, site, published, title, headline(title, lead or ""))
            )
    return found


Mentions = dict[str, list[list[str]]]  # article id -> [key, surface, kind] as the analysis keeps them


def mentions(db: sqlite3.Connection, story_id: str, limit: int) -> tuple[Mentions, Mentions]:
    """Entity and place mentions of the story's ``limit`` most recently assigned articles, by
    article id (every such article is a key, also one that names nothing). Left as the lists
    the analysis JSON holds (see ``codec.analysis_to_row``): a record per mention cost more
    than the rest of summarizing a big story."""
    entities: Mentions = {}
    places: Mentions = {}
    for article_id, named, placed in db.execute(
        "SELECT a.article_id, n.data ->> '$.entities', n.data ->> '$.places' FROM assignments a "
        "JOIN analyses n ON n.article_id = a.article_id WHERE a.story_id = ? ORDER BY a.rowid DESC LIMIT ?",
        (story_id, limit),
    ):
        entities[article_id] = json.loads(named or "[]")
        places[article_id] = json.loads(placed or "[]")
    return entities, places


def assignments_of(db: sqlite3.Connection, story_ids: Sequence[str]) -> dict[str, list[Assignment]]:
    found: dict[str, list[Assignment]] = {}
    for chunk in _chunks(list(story_ids)):
        marks = ",".join("?" * len(chunk))
        for row in db.execute(f"SELECT * FROM assignments WHERE story_id IN ({marks})", chunk):
            found.setdefault(row["story_id"], []).append(
                Assignment(row["article_id"], row["event_id"], row["story_id"], row["score"])
            )
    return found


# -- stored summaries ----------------------------------------------------------------------
def mentions_json(found: Sequence[StoryMention]) -> list[Any]:
    return [[m.key, m.kind, list(m.surfaces), m.articles] for m in found]


def _mentions_from(data: list[Any]) -> tuple[StoryMention, ...]:
    return tuple(StoryMention(key, kind, tuple(surfaces), n) for key, kind, surfaces, n in data)


def put(db: sqlite3.Connection, summary: StorySummary, now: str) -> None:
    """Store ``summary`` (without its articles and the article ids of its events)."""
    data = {
        "titles": summary.titles,
        "languages": summary.language_counts,
        "sites": summary.sites,
        "entities": mentions_json(summary.entities),
        "places": mentions_json(summary.places),
        "sample": summary.mention_sample,
    }
    timeline = [[e.id, e.first_date, e.last_date, e.title, e.article_count, list(e.languages)] for e in summary.events]
    db.execute(
        "INSERT OR REPLACE INTO story_summaries VALUES (?,?,?,?,?,?,?,?,?)",
        (
            summary.id,
            summary.title,
            summary.article_count,
            len(summary.events),
            summary.first_date,
            summary.last_date,
            compact_json(data),
            compact_json(timeline),
            now,
        ),
    )
    db.execute("DELETE FROM story_facets WHERE story_id = ?", (summary.id,))
    db.execute("DELETE FROM story_summaries_due WHERE story_id = ?", (summary.id,))
    db.executemany(
        "INSERT INTO story_facets VALUES (?,?,?,?)",
        [("language", lang, summary.id, n) for lang, n in summary.language_counts]
        + [("site", site, summary.id, n) for site, n in summary.sites],
    )


def delete(db: sqlite3.Connection, story_ids: Sequence[str]) -> None:
    for chunk in _chunks(list(story_ids)):
        marks = ",".join("?" * len(chunk))
        db.execute(f"DELETE FROM story_summaries WHERE story_id IN ({marks})", chunk)
        db.execute(f"DELETE FROM story_facets WHERE story_id IN ({marks})", chunk)
        db.execute(f"DELETE FROM story_summaries_due WHERE story_id IN ({marks})", chunk)


def mark_due(db: sqlite3.Connection, story_ids: Sequence[str]) -> None:
    db.executemany("INSERT OR IGNORE INTO story_summaries_due VALUES (?)", [(i,) for i in story_ids])


def due(db: sqlite3.Connection, story_ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(list(story_ids)):
        marks = ",".join("?" * len(chunk))
        found.update(
            r[0] for r in db.execute(f"SELECT story_id FROM story_summaries_due WHERE story_id IN ({marks})", chunk)
        )
    return found


def article_counts(db: sqlite3.Connection, story_ids: Sequence[str]) -> dict[str, int]:
    """The article count each stored summary was made from."""
    found: dict[str, int] = {}
    for chunk in _chunks(list(story_ids)):
        marks = ",".join("?" * len(chunk))
        found.update(db.execute(f"SELECT story_id, articles FROM story_summaries WHERE story_id IN ({marks})", chunk))
    return found


def clear(db: sqlite3.Connection) -> None:
    """Forget every summary and mark them current (call inside the transaction that rebuilds them)."""
    for table in ("story_summaries", "story_facets", "story_summaries_due"):
        db.execute(f"DELETE FROM {table}")
    db.execute("DELETE FROM meta WHERE key = ?", (_STALE,))


def stale(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM meta WHERE key = ?", (_STALE,)).fetchone() is not None


BRIEF_COLUMNS = ("story_id", "title", "articles", "events", "first_date", "last_date", "data")


def summary_from_row(row: sqlite3.Row | Mapping[str, Any], timeline: bool = True) -> StorySummary:
    """A stored summary row (SQLite's, or a PostgreSQL row as a dict) as a StorySummary."""
    data = json.loads(row["data"])
    languages = tuple((lang, n) for lang, n in data["languages"])
    return StorySummary(
        id=row["story_id"],
        title=row["title"],
        languages=tuple(lang for lang, _ in languages),
        sites=tuple((site, n) for site, n in data["sites"]),
        first_date=row["first_date"],
        last_date=row["last_date"],
        articles=(),
        events=tuple(
            EventSummary(event_id, (), first, title, n, tuple(langs), last)
            for event_id, first, last, title, n, langs in (json.loads(row["timeline"]) if timeline else ())
        ),
        article_count=row["articles"],
        event_count=row["events"],
        titles=tuple((lang, title) for lang, title in data["titles"]),
        language_counts=languages,
        entities=_mentions_from(data["entities"]),
        places=_mentions_from(data["places"]),
        mention_sample=data["sample"],
    )


def listing(
    db: sqlite3.Connection, where: StoryFilter, limit: int | None, offset: int, timeline: bool
) -> list[StorySummary]:
    """Stories matching ``where``, most recently active first (undated last), then the biggest;
    without ``timeline`` their events are left unread (a big story has hundreds)."""
    clause, params = filter_sql(where)
    columns = "s.*" if timeline else ", ".join(f"s.{name}" for name in BRIEF_COLUMNS)
    rows = db.execute(
        f"SELECT {columns} FROM story_summaries s{clause} "
        "ORDER BY s.last_date DESC, s.articles DESC, s.story_id LIMIT ? OFFSET ?",
        (*params, -1 if limit is None else limit, offset),
    )
    return [summary_from_row(row, timeline) for row in rows]


def count(db: sqlite3.Connection, where: StoryFilter) -> int:
    facets = [(kind, value) for kind, value in (("language", where.language), ("site", where.site)) if value]
    if len(facets) == 1 and not (where.since or where.until):  # the facet index alone answers
        found = db.execute("SELECT count(*) FROM story_facets WHERE kind = ? AND value = ?", facets[0]).fetchone()
        return int(found[0])
    clause, params = filter_sql(where)
    return int(db.execute(f"SELECT count(*) FROM story_summaries s{clause}", params).fetchone()[0])


def one(db: sqlite3.Connection, story_id: str) -> StorySummary | None:
    row = db.execute("SELECT * FROM story_summaries WHERE story_id = ?", (story_id,)).fetchone()
    return summary_from_row(row) if row else None


def briefs(db: sqlite3.Connection, story_ids: Sequence[str]) -> dict[str, StorySummary]:
    """Stored summaries of ``story_ids`` without their timelines (a big story's runs to hundreds
    of events), by id."""
    found: dict[str, StorySummary] = {}
    columns = ", ".join(BRIEF_COLUMNS)
    for chunk in _chunks(list(story_ids)):
        marks = ",".join("?" * len(chunk))
        for row in db.execute(f"SELECT {columns} FROM story_summaries WHERE story_id IN ({marks})", chunk):
            found[row["story_id"]] = summary_from_row(row, timeline=False)
    return found
