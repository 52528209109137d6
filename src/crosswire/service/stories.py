"""Stories as the faces show them."""

from __future__ import annotations

from typing import Any

from crosswire.cluster.summary import summarize_story
from crosswire.errors import CrosswireError
from crosswire.store import SQLiteStore
from crosswire.types import StorySummary


def stories(store: SQLiteStore) -> list[StorySummary]:
    grouped: dict[str, list[Any]] = {}
    for member in store.all_assignments():
        grouped.setdefault(member.story_id, []).append(member)
    summaries = []
    for story_id in store.story_ids():
        members = grouped[story_id]
        summaries.append(summarize_story(story_id, members, store.articles([m.article_id for m in members])))
    return summaries


def story(store: SQLiteStore, story_id: str) -> StorySummary:
    members = store.story_members(story_id)
    if not members:
        raise CrosswireError(f"no story {story_id!r} in {store.path}")
    return summarize_story(story_id, members, store.articles([m.article_id for m in members]))
