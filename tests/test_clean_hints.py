"""A source's metadata is read strictly: a published value that is no date, or a language that
is no language, is dropped and flagged, and the page's own reading stands in."""

from __future__ import annotations

from datetime import date

import pytest

from crosswire.clean import clean
from crosswire.clean.hints import language_hint, published_hint
from crosswire.types import RawDocument

TEXT = (
    "Talks in Geneva\n\nThe delegations met in Geneva on Monday for three hours of talks on security "
    "guarantees, officials said after the meeting ended in the evening.\n"
)
PAGE = (
    "<html><head><title>Talks in Geneva</title>"
    '<meta property="article:published_time" content="2022-01-10T09:30:00+00:00"></head>'
    "<body><article><h1>Talks in Geneva</h1><p>"
    + "The delegations met in Geneva on Monday for talks. " * 6
    + "</p></article></body></html>"
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2022-01-10", "2022-01-10"),
        ("2022-01-10T09:30:00Z", "2022-01-10T09:30:00Z"),
        ("2022-01", "2022-01"),
        ("2022", "2022"),
        ("20220110", "2022-01-10"),
        ("Mon, 10 Jan 2022 09:30:00 GMT", "2022-01-10T09:30:00+00:00"),
    ],
)
def test_dates_a_source_may_send(given: str, expected: str) -> None:
    assert published_hint(given) == (expected, False)


@pytest.mark.parametrize(
    "given", ["9999-99-99", "2022-01-10T25:61:00Z", "2022-13", "0001-01-01", "9999-12-31", "yesterday", "1" * 100]
)
def test_values_that_are_no_publication_date(given: str) -> None:
    assert published_hint(given) == (None, True)


def test_no_hint_is_no_problem() -> None:
    assert published_hint(None) == (None, False) and published_hint("  ") == (None, False)
    assert published_hint(f"{date.today().year + 1}-01-01") == (f"{date.today().year + 1}-01-01", False)
    assert language_hint(None) == (None, False) and language_hint("und") == (None, False)


def test_language_hints() -> None:
    assert [language_hint(code)[0] for code in ("uk-UA", "uk_UA", "UK", "sr-Latn", "fil")] == [
        "uk",
        "uk",
        "uk",
        "sr",
        "fil",
    ]
    assert [language_hint(code) for code in ("xx", "xx-evil", "english", "<b>")] == [(None, True)] * 4


def test_a_bad_hint_is_flagged_and_the_page_reading_stands() -> None:
    article = clean(RawDocument("a.json", TEXT, published="9999-99-99", language="xx-evil"))
    assert article.published is None and article.language == "en"
    assert {"bad-date-hint", "bad-language-hint"} <= set(article.flags)
    page = clean(RawDocument("a.html", PAGE, kind="html", published="2022-01-10T25:61:00Z"))
    assert page.published is not None and page.published.startswith("2022-01-10") and "bad-date-hint" in page.flags
    good = clean(RawDocument("b.json", TEXT, published="Mon, 10 Jan 2022 09:30:00 GMT", language="en-GB"))
    assert good.published == "2022-01-10T09:30:00+00:00" and good.language == "en"
    assert not {"bad-date-hint", "bad-language-hint"} & set(good.flags)
