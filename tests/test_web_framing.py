"""The story page's "How outlets covered it" over a real server: hostile headlines and sites
come out as text (server-rendered HTML and in Chromium), the section fits 360 px, and the API
story carries the same ``framing`` as ``show --json``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import new_page, run_cli
from live_server import live_server

HOSTILE_SITE = "<img src=x onerror=alert('site')>.example"
HOSTILE_TITLE = "<script>alert('headline')</script> Lavrov threatens ultimatum"
BODY = (
    "Russian foreign minister Sergey Lavrov said in Geneva that Moscow expects written security guarantees "
    "from Washington and NATO. The talks on the guarantees continue next week, Lavrov said. "
)


def _articles() -> list[dict[str, str]]:
    return [
        {"title": HOSTILE_TITLE, "text": BODY + "Critics called the demands blackmail and an ultimatum. " * 3,
         "site": HOSTILE_SITE, "language": "en", "published": "2022-01-10"},
        {"title": "Lavrov: talks were businesslike", "text": BODY + "He called the reply businesslike. " * 3,
         "site": "www.wire.example", "language": "en", "published": "2022-01-11"},
        {"title": "Lavrov expects guarantees", "text": BODY + "The reply was businesslike and constructive. " * 2,
         "site": "wire.example", "language": "en", "published": "2022-01-12"},
    ]  # fmt: skip


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("framing") / "store.db"


@pytest.fixture(scope="module")
def story(store_path: Path) -> Iterator[tuple[str, str]]:
    with live_server(store_path) as base:
        report = httpx.post(f"{base}/api/v1/articles", json=_articles(), timeout=120).json()
        assert report["added"] == 3, report
        stories = {item["story_id"] for item in report["articles"]}
        assert len(stories) == 1, report  # one story, else there is nothing to compare
        yield base, stories.pop()


def test_story_page_escapes_hostile_headlines_and_sites(story: tuple[str, str]) -> None:
    base, story_id = story
    html = httpx.get(f"{base}/stories/{story_id}").text
    section = html[html.index('id="framing"') :]
    assert "How outlets covered it" in section
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;headline&#39;)&lt;/script&gt;" in section
    assert "&lt;img src=x onerror=alert(&#39;site&#39;)&gt;.example" in section
    assert section.count('<rect class="bar"') == 3  # three days, one bar each


def test_api_story_carries_framing(story: tuple[str, str]) -> None:
    base, story_id = story
    framing = httpx.get(f"{base}/api/v1/stories/{story_id}").json()["framing"]
    outlets = {o["outlet"]: o for o in framing["outlets"]}
    assert set(outlets) == {HOSTILE_SITE.lower(), "wire.example"}  # www. and case folded into one outlet
    assert outlets["wire.example"]["articles"] == 2
    assert framing["outlets"][0]["outlet"] == HOSTILE_SITE.lower()  # reported first
    assert [d["day"] for d in framing["timeline"]] == ["2022-01-10", "2022-01-11", "2022-01-12"]
    assert outlets["wire.example"]["compared_with"] == "same language"
    assert "businesslik" in [w["word"] for w in outlets["wire.example"]["distinctive_words"]][:3]


def test_outlets_file_joins_country_and_owner(story: tuple[str, str], store_path: Path, tmp_path: Path) -> None:
    _, story_id = story
    outlets = tmp_path / "outlets.csv"
    outlets.write_text("site,country,owner,notes\nwire.example,GB,Wire Ltd,<b>state-funded</b>\n", encoding="utf-8")
    result = run_cli("show", story_id, "--outlets", str(outlets), "--json", db=store_path)
    assert result.returncode == 0, result.stderr
    framing = json.loads(result.stdout)["framing"]
    assert framing["by_country"] == [{"country": "GB", "articles": 2}, {"country": None, "articles": 1}]
    (wire,) = [o for o in framing["outlets"] if o["outlet"] == "wire.example"]
    assert wire["outlet_info"]["owner"] == "Wire Ltd" and wire["outlet_info"]["notes"] == "<b>state-funded</b>"
    assert "wire.example GB" in run_cli("show", story_id, "--outlets", str(outlets), db=store_path).stdout


def test_framing_section_fits_360_px_and_runs_no_script(story: tuple[str, str], browser: Any) -> None:
    base, story_id = story
    page = new_page(browser, 360, 740, mobile=True)
    try:
        page.goto(f"{base}/stories/{story_id}")
        section = page.locator("#framing")
        assert section.is_visible()
        assert page.locator("#framing .timechart svg rect.bar").count() == 3
        assert HOSTILE_TITLE in section.inner_text()
        assert page.locator("#framing .outlets > li").count() == 2
        assert page.locator("main script, main img").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        box = section.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 360
        assert page.dialogs == []
    finally:
        page.context.close()
