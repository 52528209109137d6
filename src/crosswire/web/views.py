"""JSON shapes of the API. Stories, articles and comparisons keep the shapes the CLI prints
(``crosswire.cli.render``: one output contract, README "Output contracts"); the rest is paging
and what only the API has (search matches, where ingested documents went)."""

from __future__ import annotations

from typing import Any

from crosswire.schema import (
    article_json,
    member_json,
    similarity_json,
    story_brief_json,
    story_json,
    story_match_json,
    who_said_what_json,
)
from crosswire.schema_framing import framing_json
from crosswire.service.articles import ArticleView, Comparison, IngestOutcome, StoryPage
from crosswire.service.search import SearchPage
from crosswire.service.statements import WhoSaidWhat
from crosswire.types import StorySummary


def stories_json(stories: list[StorySummary], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": [story_brief_json(s) for s in stories]}


def search_json(page: SearchPage, limit: int, offset: int) -> dict[str, Any]:
    return {
        "query": page.query,
        "total": page.total_stories,
        "articles": page.total_articles,
        "capped": page.capped,
        "limit": limit,
        "offset": offset,
        "items": [story_match_json(found) for found in page.stories],
    }


def story_page_json(page: StoryPage, said: WhoSaidWhat | None = None) -> dict[str, Any]:
    found = story_json(page.story)
    found["event_count"] = page.story.event_count
    for event in found["events"]:
        del event["article_ids"]  # the articles carry their event ids
    found["articles"] = [member_json(member) for member in page.articles]
    found["articles_offset"] = page.offset
    found["articles_limit"] = page.limit
    if said is not None:
        found["who_said_what"] = who_said_what_json(said)
    return found


def with_framing(found: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    """A story's JSON with its ``framing`` (the shape ``show --json`` prints), and the outlets
    file's error when it could not be used."""
    found["framing"] = framing_json(context["framing"])
    if context["outlets_problem"]:
        found["framing"]["outlets_error"] = context["outlets_problem"]
    return found


def article_view_json(view: ArticleView) -> dict[str, Any]:
    found = article_json(view.article)
    found["event_id"] = view.placement.event_id if view.placement else None
    found["story_id"] = view.placement.story_id if view.placement else None
    return found


def comparison_json(found: Comparison) -> dict[str, Any]:
    result = similarity_json(found.similarity, found.a, found.b)
    result["articles"] = {
        side: {"id": article.id, "language": article.language, "title": article.headline}
        for side, article in (("a", found.a), ("b", found.b))
    }
    return result


def ingest_json(outcome: IngestOutcome) -> dict[str, Any]:
    report = outcome.report
    return {
        "added": report.added,
        "present": report.present,
        "rejected": dict(report.rejected),
        "rejections": [{"source": r.source, "reason": r.reason, "detail": r.detail} for r in report.rejections],
        "articles": [{"id": p.article_id, "source": p.source, "story_id": p.story_id} for p in outcome.placed],
    }
