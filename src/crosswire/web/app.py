"""The web face: one FastAPI app serving the JSON API (/api/v1, OpenAPI schema at
/api/v1/openapi.json) and the HTML pages, over one store."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Path
from fastapi.responses import Response

from crosswire import __version__
from crosswire.service.search import ensure_search_index, ensure_summaries
from crosswire.web import api, errors, pages
from crosswire.web.config import Stores, WebSettings
from crosswire.web.head import HeadAsGet
from crosswire.web.render import counted, make_renderer, static_files
from crosswire.web.security import Guard

log = logging.getLogger("crosswire.web")


def create_app(web: WebSettings) -> FastAPI:
    """The app for ``web`` settings: store, token, limits."""
    stores = Stores(web.settings.db)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # A store from before search or summaries existed is brought up to date once, here,
        # rather than inside the first request.
        store = stores.get()
        ensure_summaries(store)
        indexed = ensure_search_index(store)
        if indexed:
            log.info("indexed %s for search", counted(indexed, "stored article"))
        yield

    app = FastAPI(
        title="crosswire",
        version=__version__,
        description="Stories, events and articles across languages: list, search, compare, ingest.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # the interactive docs load scripts from a CDN: not here
        redoc_url=None,
        lifespan=lifespan,
    )
    static = static_files()
    app.state.web = web
    app.state.stores = stores
    app.state.render = make_renderer(static)
    errors.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/static/{name}", include_in_schema=False)
    def static_file(name: str = Path(pattern=r"^[a-z0-9_-]{1,40}\.[a-z]{2,3}$")) -> Response:
        found = static.get(name)
        if found is None:
            raise HTTPException(404, "no such static file")
        headers = {"ETag": f'"{found.etag}"', "Cache-Control": "public, max-age=86400"}
        return Response(found.body, media_type=found.media_type, headers=headers)

    app.add_middleware(Guard, max_body=web.max_upload_bytes, loopback_only=web.loopback_only)
    app.add_middleware(HeadAsGet)  # outermost: the Guard's own refusals lose their body too
    return app


def app_from_environment() -> FastAPI:
    """The app of a worker process of ``crosswire serve --workers N`` (settings from the
    environment the parent set)."""
    from crosswire.web.serve import settings_from_environment

    return create_app(settings_from_environment())
