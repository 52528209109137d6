"""Story summaries from stored articles and their assignments."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from crosswire.types import Article, Assignment, EventSummary, StorySummary


def _sort_key(article: Article) -> tuple[str, str]:
    return (article.published or "9999", article.id)


def summarize_story(story_id: str, members: Sequence[Assignment], articles: Sequence[Article]) -> StorySummary:
    by_id = {article.id: article for article in articles}
    ordered = sorted((by_id[m.article_id] for m in members if m.article_id in by_id), key=_sort_key)
    events: dict[str, list[Article]] = {}
    event_of = {m.article_id: m.event_id for m in members}
    for article in ordered:
        events.setdefault(event_of[article.id], []).append(article)
    dates = sorted(a.published for a in ordered if a.published)
    languages = Counter(a.language for a in ordered if a.language)
    sites = Counter(a.site for a in ordered if a.site)
    # A real headline names a story better than a first sentence does.
    titled = [a for a in ordered if a.title] or ordered
    return StorySummary(
        id=story_id,
        title=titled[0].headline if titled else "",
        languages=tuple(lang for lang, _ in languages.most_common()),
        sites=tuple(sites.most_common()),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        articles=tuple(ordered),
        events=tuple(
            EventSummary(
                event_id,
                tuple(a.id for a in group),
                next((a.published for a in group if a.published), None),
                next((a.headline for a in group if a.title), group[0].headline),
            )
            for event_id, group in sorted(events.items(), key=lambda item: _sort_key(item[1][0]))
        ),
    )
