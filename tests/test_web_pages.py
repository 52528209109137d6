"""Pages and endpoints as HTTP sees them, against a live server over a real store of one article:
HEAD is answered wherever GET is (same status and headers, no body), and counts read in the
right number ("1 article", never "1 articles")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from live_server import live_server
from starlette.routing import Route

from crosswire.settings import Settings
from crosswire.web import WebSettings, api, create_app, pages
from crosswire.web.render import counted

API = "/api/v1"
ARTICLE = {
    "title": "Ferries stop between the islands",
    "text": "Ferries stopped running between the islands on Tuesday because of the storm. " * 4,
    "language": "en",
    "published": "2022-01-13",
}
WRONG_NUMBER = re.compile(r"\b1 (?:articles|events|stories|lines|more events|stored articles)\b")


@pytest.fixture(scope="module")
def one(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, str, str, Path]]:
    """A client of a server whose store holds one article: one story of one event."""
    db = tmp_path_factory.mktemp("pages") / "store.db"
    with live_server(db) as base, httpx.Client(base_url=base, timeout=60) as http:
        report = http.post(f"{API}/articles", json=ARTICLE).json()
        assert report["added"] == 1, report
        placed = report["articles"][0]
        yield http, placed["id"], placed["story_id"], db


def _concrete(path: str, article: str, story: str) -> str:
    return path.replace("{article_id}", article).replace("{story_id}", story).replace("{name}", "style.css")


def test_head_is_answered_wherever_get_is(one: tuple[httpx.Client, str, str, Path]) -> None:
    http, article, story, db = one
    app = create_app(WebSettings(Settings(db=str(db))))
    routes = [*app.routes, *api.router.routes, *pages.router.routes]  # the app's own, and the included ones
    gets = {route.path for route in routes if isinstance(route, Route) and "GET" in (route.methods or ())}
    assert {"/", "/stories/{story_id}", f"{API}/stories/{{story_id}}", "/static/{name}", f"{API}/openapi.json"} <= gets
    queries = {"/compare": f"?a={article}&b={article}", f"{API}/compare": f"?a={article}&b={article}"}
    paths = [_concrete(path, article, story) + queries.get(path, "") for path in sorted(gets)]
    paths += ["/?q=Ferries", f"{API}/stories?q=Ferries", "/nothing", f"{API}/nothing", f"/articles/{'0' * 16}"]
    for path in paths:
        got, head = http.get(path), http.head(path)
        assert head.status_code == got.status_code, (path, head.status_code, got.status_code)
        assert got.status_code in (200, 404), path
        assert head.content == b"" and got.content, path
        assert dict(head.headers) | {"date": ""} == dict(got.headers) | {"date": ""}, path
        assert int(head.headers["content-length"]) == len(got.content), path
    # Where there is no GET there is no HEAD either: the 405 says what is allowed.
    before = http.get(f"{API}/health").json()["articles"]
    refused = http.head(f"{API}/articles")
    assert refused.status_code == 405 and refused.content == b"" and "POST" in refused.headers["allow"]
    assert http.get(f"{API}/health").json()["articles"] == before
    # The guard's own refusals lose their body too.
    foreign = http.head(f"{API}/health", headers={"host": "127.0.0.1.evil.com"})
    assert foreign.status_code == 400 and foreign.content == b"" and int(foreign.headers["content-length"]) > 0


def test_counts_read_in_the_right_number(one: tuple[httpx.Client, str, str, Path]) -> None:
    http, article, story, _ = one
    pages = {path: http.get(path).text for path in ("/", "/?q=Ferries", f"/stories/{story}", f"/articles/{article}")}
    for path, page in pages.items():
        assert not WRONG_NUMBER.search(page), (path, WRONG_NUMBER.search(page))
    text = {path: re.sub(r"<[^>]+>", "", page) for path, page in pages.items()}
    assert "1 story, most recently active first" in text["/"]
    assert "1 article · 1 event ·" in text["/"]
    assert "1 story match" in text["/?q=Ferries"] and "1 article · 1 matching" in text["/?q=Ferries"]
    assert "1 article · 1 event ·" in text[f"/stories/{story}"]
    assert re.search(r"<small>1 article\b", pages[f"/stories/{story}"])  # the event on the timeline
    assert "What cleaning removed (0 lines)" in text[f"/articles/{article}"]


def test_counted() -> None:
    assert [counted(n, "article") for n in (0, 1, 2)] == ["0 articles", "1 article", "2 articles"]
    assert [counted(n, "story", "stories") for n in (1, 3)] == ["1 story", "3 stories"]
    assert counted(1, "more event") == "1 more event"
