"""The HTML pages: parse, call crosswire.service, render a template. No logic of their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from crosswire import service
from crosswire.service.articles import STORY_PAGE, StoryPage
from crosswire.store.base import Store
from crosswire.web import params, uploads
from crosswire.web.api import StoreDep, ingest_items
from crosswire.web.auth import check_token
from crosswire.web.framing import framing_context
from crosswire.web.memo import remembered

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PAGE = 20  # stories per page
EVENTS_SHOWN = 100  # a story page lists this many events of its timeline
Page = Annotated[int, Query(ge=1, le=50_000)]


def _page(request: Request, template: str, **context: object) -> HTMLResponse:
    return HTMLResponse(request.app.state.render(template, request, **context))


@router.get("/")
def stories_page(
    request: Request,
    q: params.SearchText = None,
    language: params.Language = None,
    site: params.Site = None,
    since: params.Since = None,
    until: params.Until = None,
    page: Page = 1,
    store: Store = StoreDep,
) -> HTMLResponse:
    filters = params.filters(language, site, since, until)
    offset = (page - 1) * PAGE
    query = (q or "").strip()
    if query:
        found = service.search(store, query, limit=PAGE, offset=offset, **filters)
        total, results, listing = found.total_stories, found, []
    else:
        listing = service.stories(store, limit=PAGE, offset=offset, with_articles=False, with_timeline=False, **filters)
        total, results = service.story_count(store, **filters), None
    return _page(
        request,
        "stories.html",
        query=query,
        filters=filters,
        languages=sorted(store.covered_languages()),
        results=results,
        stories=listing,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE)),
    )


@router.get("/stories/{story_id}")
def story_page(request: Request, story_id: params.StoryId, page: Page = 1, store: Store = StoreDep) -> HTMLResponse:
    found = service.story_page(store, story_id, limit=STORY_PAGE, offset=(page - 1) * STORY_PAGE)
    return _page(
        request,
        "story.html",
        found=found,
        said=remembered(
            store,
            found.story,
            "said",
            lambda: service.who_said_what(store, found.story, request.app.state.web.settings),
        ),
        story=found.story,
        events=found.story.events[:EVENTS_SHOWN],
        pairs=_cross_language_pairs(found),
        page=page,
        pages=max(1, -(-found.story.article_count // STORY_PAGE)),
        **framing_context(request, store, found.story),
    )


def _cross_language_pairs(found: StoryPage, limit: int = 3) -> list[tuple[str, str, str, str]]:
    """Suggested comparisons: the first article of this page in each language against the first
    in the story's main language, as (a id, a language, b id, b language)."""
    first: dict[str, str] = {}
    for member in found.articles:
        if member.language and member.language not in first:
            first[member.language] = member.article_id
    languages = list(first)
    if len(languages) < 2:
        return []
    main = languages[0]
    return [(first[main], main, first[other], other) for other in languages[1 : limit + 1]]


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: params.ArticleId, store: Store = StoreDep) -> HTMLResponse:
    view = service.article_view(store, article_id)
    return _page(
        request,
        "article.html",
        view=view,
        article=view.article,
        paragraphs=[p for p in view.article.text.split("\n\n") if p.strip()],
    )


@router.get("/compare")
def compare_page(
    request: Request,
    a: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_-]{0,100}$")] = None,
    b: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_-]{0,100}$")] = None,
    store: Store = StoreDep,
) -> HTMLResponse:
    found = None
    if a and b:
        found = service.compare_stored(store, a, b, request.app.state.web.settings)
    return _page(request, "compare.html", found=found, a=a or "", b=b or "")


@router.get("/ingest")
def ingest_form(request: Request) -> HTMLResponse:
    return _page(request, "ingest.html", outcome=None)


@router.post("/ingest")
async def ingest_submit(request: Request) -> HTMLResponse:
    items, token = await uploads.documents(request, request.app.state.web.max_upload_bytes)
    check_token(request, token)
    if not items:
        return HTMLResponse(
            request.app.state.render("ingest.html", request, outcome=None, problem="Paste a text or choose files."),
            status_code=400,
        )
    outcome = await run_in_threadpool(ingest_items, request, items)
    return _page(request, "ingest.html", outcome=outcome)
