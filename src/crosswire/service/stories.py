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
from crosswire.store.base import Store
from crosswire.types import Article, Quote, StoryFilter, StoryMember, StorySummary

# The entity and place counts of a story come from its latest articles only: refreshing a story
# of thousands of articles after every batch would otherwise decode all their analyses each time.
MENTION_SAMPLE = 500
_CHUNK = 500  # stories summarized per round of queries
# A story this small is summarized again whenever it changes; a larger one once it has grown by
# REFRESH_GROWTH since its stored summary, and until then it is marked due and readers summarize
# it on the fly. (Summarizing a 2,000-article story after each added article made adding one
# article at 10,000 stored take 650 ms at p99.)
ALWAYS_REFRESH_UP_TO = 50
REFRESH_GROWTH = 0.1
# An ingest of this many articles or more leaves no summary due: readers summarized each due
# story on the fly, and after a bulk load of 100,000 articles 162 of them were (31,641 articles):
# listing 20 stories took 350-400 ms, against 3 ms from stored rows. Settling them took about 5 s
# at the end of a 40-minute load.
SETTLE_AFTER = 1000


def _summarize(store: Store, story_id: str, members: Sequence[StoryMember]) -> StorySummary:
    return summarize(story_id, members, *store.story_mentions(story_id, MENTION_SAMPLE))


def refresh_summaries(store: Store, story_ids: Iterable[str], *, force: bool = False) -> None:
    """Recompute and store the summaries of ``story_ids`` (call inside the transaction that
    changed them); a large story that grew little is marked due instead, unless ``force``. A
    story left without articles (merged away, emptied) loses its summary."""
    ids = sorted(set(story_ids))
    if ids and not force:
        sizes, stored = store.story_sizes(ids), store.summary_article_counts(ids)
        later = [i for i in ids if ALWAYS_REFRESH_UP_TO < sizes.get(i, 0) < stored.get(i, 0) * (1 + REFRESH_GROWTH)]
        if later:
            store.mark_summaries_due(later)
            ids = sorted(set(ids) - set(later))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        found = store.story_summary_members(chunk)
        for story_id, members in found.items():
            store.put_story_summary(_summarize(store, story_id, members))
        store.delete_story_summaries([story_id for story_id in chunk if story_id not in found])


def settle_summaries(store: Store, added: int) -> int:
    """After an ingest that added ``added`` articles: when that is ``SETTLE_AFTER`` or more,
    summarize and store every story marked due, so that readers list stored rows (one
    transaction); return how many."""
    if added < SETTLE_AFTER:
        return 0
    with store.transaction():
        due = sorted(store.summaries_due(store.story_ids()))
        refresh_summaries(store, due, force=True)
    return len(due)


def refresh_article_stories(store: Store, article_ids: Sequence[str]) -> None:
    """Refresh the summaries of the stories holding ``article_ids`` (their text or analysis changed)."""
    refresh_summaries(store, {placed.story_id for placed in store.assignments(article_ids).values()})


def rebuild_summaries(store: Store) -> None:
    """Recompute every story's summary (call inside a transaction, e.g. recluster's)."""
    store.clear_story_summaries()
    refresh_summaries(store, store.story_ids())


def _ensure(store: Store) -> None:
    """Build the summaries of a store whose stories predate them, once."""
    if store.story_summaries_stale():
        with store.transaction():
            if store.story_summaries_stale():
                rebuild_summaries(store)


def _with_articles(store: Store, found: list[StorySummary]) -> list[StorySummary]:
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
    store: Store,
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
    found = _current(store, store.story_summaries(where, limit, offset, timeline=with_articles or with_timeline))
    return _with_articles(store, found) if with_articles else found


def _current(store: Store, found: list[StorySummary]) -> list[StorySummary]:
    """``found`` with the summaries marked due made again from the story's articles now (reads
    do not write; the writer stores them once the story has grown enough)."""
    due = store.summaries_due([summary.id for summary in found])
    if not due:
        return found
    members = store.story_summary_members(sorted(due))
    return [_summarize(store, s.id, members[s.id]) if s.id in members else s for s in found]


def story_count(
    store: Store,
    *,
    language: str | None = None,
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> int:
    """How many stories ``stories`` would list with these filters and no limit."""
    _ensure(store)
    return store.story_summary_count(StoryFilter(language, site, since, until))


def story_quotes(store: Store, summary: StorySummary) -> list[tuple[Article, Quote]]:
    """The statements quoted or reported in a story's articles (read with them: ``story``), by
    article in the story's order, then in text order; from its latest ``MENTION_SAMPLE``
    articles when it has more. Articles analysed before quotes were extracted have none until
    ``crosswire reclean``."""
    articles = summary.articles[-MENTION_SAMPLE:]
    analyses = store.analyses([a.id for a in articles])
    return [(a, quote) for a in articles if (found := analyses.get(a.id)) for quote in found.statements]


def story(store: Store, story_id: str) -> StorySummary:
    """One story with its articles."""
    _ensure(store)
    summary = store.story_summary(story_id)
    if summary is None or store.summaries_due([story_id]):  # summarize it without storing: reads do not write
        members = store.story_summary_members([story_id]).get(story_id)
        if not members:
            raise CrosswireError(f"no story {story_id!r} in {store.path}")
        summary = _summarize(store, story_id, members)
    return _with_articles(store, [summary])[0]
