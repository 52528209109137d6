"""The JSON API through an HTTP client against a running server over a real store: ingest in
every accepted shape, list, filter, search, page, detail, compare, and one error shape."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import RU_SEED, UK_SEED, require_shared
from live_server import live_server

API = "/api/v1"


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """A server over a SQLite file, then over a PostgreSQL database: every test asks both."""
    uk, ru = require_shared(UK_SEED), require_shared(RU_SEED)
    folder = tmp_path_factory.mktemp("api")
    db: Path | str = folder / "store.db"
    with pytest.MonkeyPatch.context() as env:
        if request.param == "postgres":
            db = request.getfixturevalue("postgres_server").new_database()
            env.setenv("XDG_CACHE_HOME", str(folder / "cache"))
        with live_server(db) as base, httpx.Client(base_url=base, timeout=60) as http:
            files = [("file", (path.name, path.read_bytes(), "text/plain")) for path in (uk, ru)]
            ingested = http.post(f"{API}/articles", files=files)
            assert ingested.status_code == 200, ingested.text
            http.seeds = ingested.json()  # type: ignore[attr-defined]
            yield http


def _error(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, object] = body["error"]
    assert error["status"] == status and isinstance(error["code"], str) and isinstance(error["message"], str)
    return error


def _story_id(client: httpx.Client) -> str:
    return client.seeds["articles"][0]["story_id"]  # type: ignore[attr-defined,no-any-return]


def test_uploaded_seeds_land_in_one_story(client: httpx.Client) -> None:
    report = client.seeds  # type: ignore[attr-defined]
    assert report["added"] == 2 and report["rejected"] == {}
    assert len({item["story_id"] for item in report["articles"]}) == 1
    again = client.post(f"{API}/articles", files=[("file", (UK_SEED.name, UK_SEED.read_bytes(), "text/plain"))])
    assert again.json()["present"] == 1 and again.json()["added"] == 0


def test_health_and_schema(client: httpx.Client) -> None:
    health = client.get(f"{API}/health").json()
    assert health["status"] == "ok" and health["articles"] >= 2 and health["schema"] >= 7
    schema = client.get(f"{API}/openapi.json").json()
    paths = set(schema["paths"])
    assert {f"{API}/stories", f"{API}/stories/{{story_id}}", f"{API}/articles/{{article_id}}"} <= paths
    assert {f"{API}/compare", f"{API}/articles", f"{API}/health"} <= paths
    assert "multipart/form-data" in schema["paths"][f"{API}/articles"]["post"]["requestBody"]["content"]


def test_story_list_filters_and_pages(client: httpx.Client) -> None:
    listing = client.get(f"{API}/stories").json()
    assert listing["total"] >= 1 and listing["items"][0]["article_count"] >= 2
    story = next(item for item in listing["items"] if item["id"] == _story_id(client))
    assert {"uk", "ru"} <= set(story["languages"]) and "articles" not in story
    assert client.get(f"{API}/stories", params={"language": "uk"}).json()["total"] >= 1
    assert client.get(f"{API}/stories", params={"language": "de"}).json()["total"] == 0
    assert client.get(f"{API}/stories", params={"since": "2100"}).json()["items"] == []
    paged = client.get(f"{API}/stories", params={"limit": 1, "offset": 0}).json()
    assert len(paged["items"]) == 1 and paged["limit"] == 1


def test_search_groups_matches_by_story(client: httpx.Client) -> None:
    found = client.get(f"{API}/stories", params={"q": "Лавров"}).json()
    assert found["total"] == 1
    item = found["items"][0]
    assert item["id"] == _story_id(client) and item["matching_articles"] == 2
    assert {m["language"] for m in item["matches"]} == {"uk", "ru"}
    marked = [piece["text"] for m in item["matches"] for piece in m["snippet"] if piece["match"]]
    assert any(text.startswith("Лавров") for text in marked)
    assert (
        client.get(f"{API}/stories", params={"q": "Лавров", "language": "ru"}).json()["items"][0]["matching_articles"]
        == 1
    )
    assert client.get(f"{API}/stories", params={"q": "zzzzqqq"}).json()["total"] == 0


def test_story_detail(client: httpx.Client) -> None:
    story = client.get(f"{API}/stories/{_story_id(client)}").json()
    assert story["article_count"] == 2 and len(story["articles"]) == 2
    assert story["events"] and all("article_ids" not in event for event in story["events"])
    assert {a["event_id"] for a in story["articles"]} <= {e["id"] for e in story["events"]}
    assert any(entity["key"] == "lvrv" for entity in story["entities"])
    assert {p["key"] for p in story["places"]} >= {"RU", "US"}
    assert {c["language"] for c in story["language_counts"]} == {"uk", "ru"}
    one = client.get(f"{API}/stories/{_story_id(client)}", params={"limit": 1, "offset": 1}).json()
    assert [a["id"] for a in one["articles"]] == [story["articles"][1]["id"]]


def test_article_detail_has_text_and_removed_lines_with_reasons(client: httpx.Client) -> None:
    article_id = client.seeds["articles"][0]["id"]  # type: ignore[attr-defined]
    article = client.get(f"{API}/articles/{article_id}").json()
    assert article["id"] == article_id and article["language"] == "uk" and "Лавров" in article["text"]
    assert article["removed"] and all(item["reason"] and item["text"] for item in article["removed"])
    assert article["story_id"] == _story_id(client)
    assert client.get(f"{API}/articles/{article_id[:8]}").json()["id"] == article_id  # a prefix will do


def test_compare_two_stored_articles(client: httpx.Client) -> None:
    a, b = (item["id"] for item in client.seeds["articles"])  # type: ignore[attr-defined]
    result = client.get(f"{API}/compare", params={"a": a, "b": b}).json()
    assert result["level"] in (1, 2) and 0 < result["score"] <= 1
    lavrov = next(reason for reason in result["reasons"] if reason["key"] == "lvrv")
    assert lavrov["a"].startswith("Лавров") and lavrov["b"].startswith("Лавров")
    assert result["articles"]["a"]["language"] == "uk"


def test_ingest_json_json_lines_and_text(client: httpx.Client) -> None:
    text = "Сергей Лавров встретился с Энтони Блинкеном в Женеве. Переговоры длились полтора часа. " * 3
    one = client.post(f"{API}/articles", json={"text": text, "title": "Лавров и Блинкен", "language": "ru"}).json()
    assert one["added"] == 1 and one["articles"][0]["story_id"]
    lines = "\n".join(
        [json.dumps({"text": f"Article number {n} about a harbour strike in Rotterdam. " * 4}) for n in range(3)]
        + ["{broken", json.dumps({"title": "no body"})]
    )
    many = client.post(f"{API}/articles", content=lines, headers={"content-type": "application/x-ndjson"}).json()
    assert many["added"] == 3 and many["rejected"] == {"bad-json": 2}
    plain = client.post(
        f"{API}/articles",
        content="Storm floods the coast of Portugal.\n\nRescue teams worked through the night in Porto.",
        headers={"content-type": "text/plain"},
        params={"title": "Storm in Portugal", "published": "2024-02-03", "language": "en"},
    ).json()
    article = client.get(f"{API}/articles/{plain['articles'][0]['id']}").json()
    assert article["title"] == "Storm in Portugal" and article["published"].startswith("2024-02-03")
    html = "<html><body><article><h1>Harbour</h1><p>The harbour reopened after the strike.</p></article></body></html>"
    assert client.post(f"{API}/articles", content=html, headers={"content-type": "text/html"}).json()["added"] == 1


def test_errors_share_one_shape(client: httpx.Client) -> None:
    assert _error(client.get(f"{API}/stories/s-nothing"), 404)["code"] == "not_found"
    assert _error(client.get(f"{API}/articles/0000000000000000"), 404)["code"] == "not_found"
    invalid = _error(client.get(f"{API}/stories", params={"limit": 0}), 422)
    assert invalid["details"][0]["where"] == "query.limit"  # type: ignore[index]
    _error(client.get(f"{API}/stories", params={"since": "yesterday"}), 422)
    assert "is no date" in str(_error(client.get(f"{API}/stories", params={"until": "2022-02-30"}), 400))
    _error(client.get(f"{API}/nothing-here"), 404)
    _error(client.delete(f"{API}/stories"), 405)
    _error(client.post(f"{API}/articles", content=b"{", headers={"content-type": "application/json"}), 400)
    deep = b"[" * 200_000  # deeper than the parser's recursion limit: bad JSON, not a server error
    _error(client.post(f"{API}/articles", content=deep, headers={"content-type": "application/json"}), 400)
    _error(client.post(f"{API}/articles", content=b"x", headers={"content-type": "image/png"}), 415)
    _error(client.get(f"{API}/compare", params={"a": "only-one"}), 422)


def test_upload_size_limit(tmp_path: Path) -> None:
    with live_server(tmp_path / "small.db", max_upload_bytes=10_000) as base, httpx.Client(base_url=base) as http:
        declared = http.post(f"{API}/articles", content=b"x" * 20_000, headers={"content-type": "text/plain"})
        assert _error(declared, 413)["code"] == "too_large"

        def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while streaming
            for _ in range(20):
                yield b"y" * 1000

        streamed = http.post(f"{API}/articles", content=chunks(), headers={"content-type": "text/plain"})
        assert _error(streamed, 413)["code"] == "too_large"
        files = [("file", ("big.txt", b"z" * 20_000, "text/plain"))]
        assert _error(http.post(f"{API}/articles", files=files), 413)["code"] == "too_large"
