"""The JSON API under /api/v1: parse, call crosswire.service, shape (crosswire.web.views)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool

from crosswire import __version__, service
from crosswire.service.articles import STORY_PAGE, IngestOutcome
from crosswire.store.base import Store
from crosswire.web import params, uploads, views
from crosswire.web.auth import check_token
from crosswire.web.config import Stores
from crosswire.web.framing import framing_context
from crosswire.web.memo import remembered

router = APIRouter(prefix="/api/v1")


def store_of(request: Request) -> Store:
    """This thread's connection to the server's store."""
    stores: Stores = request.app.state.stores  # app.state is untyped: say what create_app put there
    return stores.get()


StoreDep = Depends(store_of)


@router.get("/health", summary="Liveness and what the store holds")
def health(store: Store = StoreDep) -> dict[str, Any]:
    return {
        "status": "ok",
        "version": __version__,
        "schema": store.schema_version,
        "articles": store.article_count(),
        "stories": service.story_count(store),
    }


@router.get("/stories", summary="List stories, or search them")
def list_stories(
    q: params.SearchText = None,
    language: params.Language = None,
    site: params.Site = None,
    since: params.Since = None,
    until: params.Until = None,
    limit: params.Limit = 20,
    offset: params.Offset = 0,
    store: Store = StoreDep,
) -> dict[str, Any]:
    """Stories, most recently active first; with `q`, the stories whose articles match it, best
    first (bm25 over title, text and lemmas), each with its best matching articles and snippets.
    Filters: stories covered in `language` or by `site`, and dated within `since`..`until`
    (ISO prefixes; with `q` they apply to the matching articles)."""
    filters = params.filters(language, site, since, until)
    if q and q.strip():
        page = service.search(store, q, limit=limit, offset=offset, **filters)
        return views.search_json(page, limit, offset)
    found = service.stories(store, limit=limit, offset=offset, with_articles=False, with_timeline=False, **filters)
    return views.stories_json(found, service.story_count(store, **filters), limit, offset)


@router.get("/stories/{story_id}", summary="One story: timeline, coverage, entities, a page of its articles")
def story_detail(
    request: Request,
    story_id: params.StoryId,
    limit: params.Limit = STORY_PAGE,
    offset: params.Offset = 0,
    store: Store = StoreDep,
) -> dict[str, Any]:
    page = service.story_page(store, story_id, limit=limit, offset=offset)
    said = remembered(
        store, page.story, "said", lambda: service.who_said_what(store, page.story, request.app.state.web.settings)
    )
    return views.with_framing(views.story_page_json(page, said), framing_context(request, store, page.story))


@router.get("/articles/{article_id}", summary="One article: clean text, metadata, removed lines with reasons")
def article_detail(article_id: params.ArticleId, store: Store = StoreDep) -> dict[str, Any]:
    return views.article_view_json(service.article_view(store, article_id))


@router.get("/compare", summary="How similar two stored articles are, and why")
def compare(a: params.ArticleRef, b: params.ArticleRef, request: Request, store: Store = StoreDep) -> dict[str, Any]:
    return views.comparison_json(service.compare_stored(store, a, b, request.app.state.web.settings))


_INGEST_BODY = {
    "requestBody": {
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                }
            },
        }
    }
}


@router.post(
    "/articles",
    summary="Ingest articles: JSON, JSON Lines, text, HTML or uploaded files",
    openapi_extra=_INGEST_BODY,
)
async def ingest(request: Request) -> dict[str, Any]:
    """Clean, analyse and cluster the documents in the body into the store. Bad documents are
    reported with reasons (`rejections`); the others go in. Requires the server's token when it
    has one."""
    check_token(request)
    web = request.app.state.web
    items, _ = await uploads.documents(request, web.max_upload_bytes)
    return views.ingest_json(await run_in_threadpool(ingest_items, request, items))


def ingest_items(request: Request, items: uploads.Items) -> IngestOutcome:
    """Ingest under the server's write lock (one writer at a time), on this thread's store."""
    state = request.app.state
    with state.stores.write_lock:
        return service.ingest_documents(state.stores.writer(), items, state.web.settings)
