"""Reads for browsing a big store: a page of a story's articles without their texts, and where
one article was placed. Functions over the store's connection; ``SQLiteStore`` exposes them."""

from __future__ import annotations

import sqlite3

from crosswire.types import HEADLINE_CHARS, Assignment, StoryMember, headline


def story_articles(db: sqlite3.Connection, story_id: str, limit: int, offset: int) -> list[StoryMember]:
    """``limit`` of the story's articles from ``offset``, by date (undated last), then id; the
    text is read only as far as a headline for an untitled article."""
    rows = db.execute(
        "SELECT a.article_id, a.event_id, r.language, r.site, r.published, r.title, "
        f"CASE WHEN coalesce(r.title, '') = '' THEN substr(r.text, 1, {HEADLINE_CHARS + 1:d}) END "
        "FROM assignments a JOIN articles r ON r.id = a.article_id WHERE a.story_id = ? "
        "ORDER BY r.published IS NULL, r.published, a.article_id LIMIT ? OFFSET ?",
        (story_id, limit, offset),
    )
    return [
        StoryMember(article_id, event_id, language, site, published, title, headline(title, lead or ""))
        for article_id, event_id, language, site, published, title, lead in rows
    ]


def placement(db: sqlite3.Connection, article_id: str) -> Assignment | None:
    row = db.execute(
        "SELECT article_id, event_id, story_id, score FROM assignments WHERE article_id = ?", (article_id,)
    ).fetchone()
    return Assignment(*row) if row else None


def members_of(db: sqlite3.Connection, article_ids: list[str]) -> dict[str, StoryMember]:
    """What listing an article needs (its headline, not its text), by id."""
    found: dict[str, StoryMember] = {}
    for start in range(0, len(article_ids), 500):
        chunk = article_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for article_id, event_id, language, site, published, title, lead in db.execute(
            "SELECT a.article_id, a.event_id, r.language, r.site, r.published, r.title, "
            f"CASE WHEN coalesce(r.title, '') = '' THEN substr(r.text, 1, {HEADLINE_CHARS + 1:d}) END "
            f"FROM assignments a JOIN articles r ON r.id = a.article_id WHERE a.article_id IN ({marks})",
            chunk,
        ):
            found[article_id] = StoryMember(
                article_id, event_id, language, site, published, title, headline(title, lead or "")
            )
    return found


def languages(db: sqlite3.Connection) -> list[str]:
    """The languages stories are covered in (from the story facets: no scan of the articles)."""
    return [row[0] for row in db.execute("SELECT DISTINCT value FROM story_facets WHERE kind = 'language'")]
