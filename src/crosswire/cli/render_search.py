"""Search results for the terminal and as JSON (the API's search items have the same shape)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from crosswire.cli import render
from crosswire.cli.render import plural, safe

if TYPE_CHECKING:
    from crosswire.service.search import SearchPage


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
            if not match.snippet:  # only each story's best article has one: no blank line for the rest
                continue
            snippet = Text("     ")
            for text, matched in match.snippet:
                snippet.append(safe(text.replace("\n", " ")), style="bold yellow" if matched else "dim")
            render.out.print(snippet)
    more = " (ranked from the best articles only)" if page.capped else ""
    render.out.print(Text(f"{plural(page.total_stories, 'matching story')}{more}", style="dim"))
