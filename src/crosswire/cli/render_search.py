"""Search results for the terminal and as JSON (the API's search items have the same shape)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from crosswire.cli import render
from crosswire.cli.render import plural, safe, story_json

if TYPE_CHECKING:
    from crosswire.service.search import SearchPage, StoryMatch
    from crosswire.types import StoryMember, StorySummary


def story_brief_json(story: StorySummary) -> dict[str, Any]:
    """A story as a listing shows it: without its articles and its timeline."""
    found = story_json(story)
    del found["articles"], found["events"]
    found["event_count"] = story.event_count
    return found


def member_json(member: StoryMember) -> dict[str, Any]:
    return {
        "id": member.article_id,
        "event_id": member.event_id,
        "language": member.language,
        "site": member.site,
        "published": member.published,
        "title": member.title,
        "headline": member.headline,
    }


def story_match_json(found: StoryMatch) -> dict[str, Any]:
    item = story_brief_json(found.story)
    item["matching_articles"] = found.articles
    item["matches"] = [
        {
            **member_json(match.article),
            "rank": round(match.rank, 4),
            "snippet": [{"text": text, "match": matched} for text, matched in match.snippet],
        }
        for match in found.matches
    ]
    return item


def print_search(page: SearchPage, offset: int) -> None:
    for number, found in enumerate(page.stories, offset + 1):
        story = found.story
        render.out.print(Text(f"{number}. {safe(story.title, 110)}", style="bold"))
        languages = ", ".join(safe(lang, 8) for lang in story.languages)
        matching = f"{found.articles} of {plural(story.article_count, 'article')} matching"
        render.out.print(Text(f"   {story.id} · {languages} · {matching}"))
        for match in found.matches:
            article = match.article
            render.out.print(
                Text(f"   - {article.article_id} [{safe(article.language or '?', 8)}] {safe(article.headline, 100)}")
            )
            snippet = Text("     ")
            for text, matched in match.snippet:
                snippet.append(safe(text.replace("\n", " ")), style="bold yellow" if matched else "dim")
            render.out.print(snippet)
    more = " (ranked from the best articles only)" if page.capped else ""
    render.out.print(Text(f"{plural(page.total_stories, 'matching story')}{more}", style="dim"))
