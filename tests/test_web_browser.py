"""The web UI as a person uses it, in real headless Chromium (Debian's ``chromium`` package, which
``make test`` installs; driven by Playwright, whose own browser downloads are never used):
ingest the two seeds through the form, find their story, open it, compare the Ukrainian and the
Russian report and see Lavrov marked in both; hostile articles fire no script and show their
markup as text; every page fits 360 px."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import RU_SEED, UK_SEED, new_page, require_shared
from live_server import live_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(tmp_path_factory.mktemp("browser") / "store.db") as base:
        yield base


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    opened = new_page(browser)
    yield opened
    opened.context.close()
    assert opened.dialogs == [], f"a page opened a dialog: {opened.dialogs}"


def test_ingest_seeds_find_story_and_compare_across_languages(server: str, page: Any) -> None:
    seeds = [str(require_shared(UK_SEED)), str(require_shared(RU_SEED))]
    page.goto(f"{server}/ingest")
    page.set_input_files("input[name=file]", seeds)
    page.click("form.ingest button[type=submit]")
    page.wait_for_selector("section.outcome")
    assert "Added 2" in page.inner_text("section.outcome")

    page.goto(server)
    page.fill("input[name=q]", "Лавров")
    page.click("form.search button[type=submit]")
    story_link = page.locator("ol.stories li.story a.title").first
    assert "2 matching" in page.inner_text("ol.stories li.story")
    story_link.click()
    page.wait_for_selector("h1")
    assert "/stories/s-" in page.url
    assert page.locator(".timeline li").count() >= 1 and page.locator("table.articles tbody tr").count() == 2
    assert page.locator(".chart svg rect").count() >= 2  # coverage by language: uk and ru

    page.locator("a.compare-link").first.click()
    page.wait_for_selector(".side-by-side")
    for side in ("#side-a", "#side-b"):
        marks = page.locator(f'{side} mark[data-key="lvrv"]')
        assert marks.count() >= 1, side
        assert marks.first.inner_text().startswith("Лавров")
    assert {page.get_attribute("#side-a", "lang"), page.get_attribute("#side-b", "lang")} == {"uk", "ru"}
    page.locator('.reasons .reason[data-key="lvrv"]').hover()  # the script lights up both texts
    assert page.locator('#side-b mark.on[data-key="lvrv"]').count() >= 1


HOSTILE = [
    {
        "title": "<script>alert('title')</script> Hostile <img src=x onerror=alert('img')>",
        "text": "Sergey Lavrov met Antony Blinken in Geneva on Friday. <script>alert('text')</script> "
        "<img src=x onerror=alert('onerror')> <a href=\"javascript:alert('link')\">a link</a> "
        "<svg onload=alert('svg')></svg> The talks went on for hours. " * 3,
        "url": "javascript:alert('url')",
        "language": "en",
    },
    {"title": "A line of a million characters", "text": "Lavrov " + "ы" * 1_000_000 + " end.", "language": "en"},
]


@pytest.fixture(scope="module")
def hostile_ids(server: str) -> list[str]:
    report = httpx.post(f"{server}/api/v1/articles", json=HOSTILE, timeout=60).json()
    assert report["added"] == 2, report
    return [item["id"] for item in report["articles"]]


def test_hostile_articles_run_no_script_and_show_their_markup(server: str, page: Any, hostile_ids: list[str]) -> None:
    page.goto(f"{server}/articles/{hostile_ids[0]}")
    assert page.inner_text("h1").startswith("<script>alert('title')</script> Hostile <img")
    text = page.inner_text(".text")
    assert "<script>alert('text')</script>" in text and "<img src=x onerror=alert('onerror')>" in text
    assert page.locator(".text script, .text img, .text svg, .text a").count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0
    assert "javascript:alert('url')" in page.inner_text("dl.facts")
    page.click("details.removed summary")  # what cleaning removed, on demand
    for path in ("/", "/?q=Lavrov", f"/compare?a={hostile_ids[0]}&b={hostile_ids[1]}"):
        page.goto(server + path)
        assert page.locator("main script, main img").count() == 0, path
    page.goto(server)
    page.locator("ol.stories a.title").first.click()
    page.wait_for_selector("h1")
    assert page.locator("main script, main img").count() == 0
    # the fixture asserts that no dialog opened on any of these pages


def test_every_page_fits_360_px(server: str, browser: Any, hostile_ids: list[str]) -> None:
    narrow = new_page(browser, 360, 740, mobile=True)
    story = httpx.get(f"{server}/api/v1/articles/{hostile_ids[1]}").json()["story_id"]
    try:
        for path in (
            "/",
            "/?q=Lavrov",
            "/ingest",
            "/compare",
            f"/stories/{story}",
            f"/articles/{hostile_ids[0]}",
            f"/articles/{hostile_ids[1]}",  # the million-character line
            f"/compare?a={hostile_ids[0]}&b={hostile_ids[1]}",
        ):
            narrow.goto(server + path)
            width = narrow.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, (path, width)
            assert narrow.locator("header.top nav a").count() == 4
    finally:
        narrow.context.close()
