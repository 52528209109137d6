"""Stories as the faces show them, read from the summaries the writer keeps current.

Every writer that changes which articles a story holds (ingest, reclean, recluster) calls
``refresh_summaries`` with the stories it touched, inside its own transaction, so a listing reads
one stored row per story and never every article of every story.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from crosswire.cluster.summary import summarize
from crosswire.errors import CrosswireError
from crosswire.store import SQLiteStore
from crosswire.store.summaries import StoryFilter
from crosswire.types import Article, StoryMember, StorySummary

# The entity and place counts of a story come from its latest articles only: refreshing a story
# of thousands of articles after every batch would otherwise decode all their analyses each time.
MENTION_SAMPLE = 500
_CHUNK = 500  # stories summarized per round of queries


def _summarize(store: SQLiteStore, story_id: str, members: Sequence[StoryMember]) -> StorySummary:
    return summarize(story_id, members, *store.story_mentions(story_id, MENTION_SAMPLE))


def refresh_summaries(store: SQLiteStore, story_ids: Iterable[str]) -> None:
    """Recompute and store the summaries of ``story_ids`` (call inside the transaction that
    changed them). A story left without articles (merged away, emptied) loses its summary."""
    ids = sorted(set(story_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        found = store.story_summary_members(chunk)
        for story_id, members in found.items():
            store.put_story_summary(_summarize(store, story_id, members))
        store.delete_story_summaries([story_id for story_id in chunk if story_id not in found])


def refresh_article_stories(store: SQLiteStore, article_ids: Sequence[str]) -> None:
    """Refresh the summaries of the stories holding ``article_ids`` (their text or analysis changed)."""
    refresh_summaries(store, {placed.story_id for placed in store.assignments(article_ids).values()})


def rebuild_summaries(store: SQLiteStore) -> None:
    """Recompute every story's summary (call inside a transaction, e.g. recluster's)."""
    store.clear_story_summaries()
    refresh_summaries(store, store.story_ids())


def _ensure(store: SQLiteStore) -> None:
    """Build the summaries of a store whose stories predate them, once."""
    if store.story_summaries_stale():
        with store.transaction():
            if store.story_summaries_stale():
                rebuild_summaries(store)


def _with_articles(store: SQLiteStore, found: list[StorySummary]) -> list[StorySummary]:
    """Attach each story's articles (by date, undated last) and its events' article ids."""
    placed = store.stories_members([summary.id for summary in found])
    articles = {a.id: a for a in store.articles([m.article_id for ms in placed.values() for m in ms])}
    complete = []
    for summary in found:
        members = placed.get(summary.id, [])
        ordered = sorted((articles[m.article_id] for m in members if m.article_id in articles), key=_by_date)
        event_of = {m.article_id: m.event_id for m in members}
        ids: dict[str, list[str]] = {}
        for article in ordered:
            ids.setdefault(event_of[article.id], []).append(article.id)
        events = tuple(replace(event, article_ids=tuple(ids.get(event.id, ()))) for event in summary.events)
        complete.append(replace(summary, articles=tuple(ordered), events=events))
    return complete


def _by_date(article: Article) -> tuple[str, str]:
    return (article.published or "9999", article.id)


def stories(
    store: SQLiteStore,
    *,
    limit: int | None = None,
    offset: int = 0,
    language: str | None = None,
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
    with_articles: bool = True,
    with_timeline: bool = True,
) -> list[StorySummary]:
    """Stories, most recently active first (undated last), then the biggest: ``limit`` of them
    from ``offset``, those covered in ``language`` or by ``site``, those whose dates meet
    ``since``..``until`` (ISO prefixes, inclusive). Without ``with_articles`` the summaries come
    from one stored row each, without their articles or the article ids of their events, and
    without ``with_timeline`` also without their events (``event_count`` still says how many)."""
    _ensure(store)
    where = StoryFilter(language, site, since, until)
    found = store.story_summaries(where, limit, offset, timeline=with_articles or with_timeline)
    return _with_articles(store, found) if with_articles else found


def story_count(
    store: SQLiteStore,
    *,
    language: str | None = None,
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> int:
    """How many stories ``stories`` would list with these filters and no limit."""
    _ensure(store)
    return store.story_summary_count(StoryFilter(language, site, since, until))


def story(store: SQLiteStore, story_id: str) -> StorySummary:
    """One story with its articles."""
    _ensure(store)
    summary = store.story_summary(story_id)
    if summary is None:  # not stored (yet): summarize it without storing, reads do not write
        members = store.story_summary_members([story_id]).get(story_id)
        if not members:
            raise CrosswireError(f"no story {story_id!r} in {store.path}")
        summary = _summarize(store, story_id, members)
    return _with_articles(store, [summary])[0]
