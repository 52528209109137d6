"""HTML pages: main text and metadata, furniture gone, bad HTML never a crash."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosswire.clean import clean
from crosswire.errors import InputError
from crosswire.types import Article, RawDocument

PARAGRAPHS = [
    "Negotiators from the United States and Russia agreed on Wednesday to hold another round of talks "
    "in Geneva next week, officials on both sides said after a day of meetings.",
    'The minister said: "We are ready to discuss every proposal, but not our sovereignty." He added that '
    "the next round would focus on arms control and military exercises near the border.",
    "Diplomats described the mood in the room as businesslike. Neither side expected a breakthrough "
    "before the end of the month, according to two people familiar with the talks.",
    "The talks will continue next week.",
]

PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Negotiators agree to meet again in Geneva | Example News</title>
  <meta property="og:title" content="Negotiators agree to meet again in Geneva">
  <meta property="og:site_name" content="Example News">
  <meta property="og:url" content="https://news.example.com/2022/01/12/geneva-talks">
  <meta name="author" content="Jane Doe">
  <meta property="article:published_time" content="2022-01-12T14:35:00+00:00">
</head>
<body>
  <header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
    <li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
  <main>
    <article>
      <h1>Negotiators agree to meet again in Geneva</h1>
      <p class="byline">By Jane Doe</p>
      <time datetime="2022-01-12T14:35:00+00:00">January 12, 2022</time>
      {"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
    </article>
    <aside class="related">
      <h2>Related stories</h2>
      <ul>
        <li><a href="/a">Markets fall after the central bank raises rates</a> <span>March 3, 2021</span></li>
        <li><a href="/b">Storm leaves thousands without power in the north</a> <span>March 2, 2021</span></li>
        <li><a href="/c">Parliament approves the budget for next year</a> <span>March 1, 2021</span></li>
      </ul>
    </aside>
  </main>
  <footer><p>© 2022 Example News. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body>
</html>"""


def _html(body: str, **hints: Any) -> Article:
    return clean(RawDocument(source="test.html", body=body, kind="html", **hints))


def test_article_page() -> None:
    article = _html(PAGE)
    assert article.title == "Negotiators agree to meet again in Geneva"
    assert article.published == "2022-01-12"
    assert article.author == "Jane Doe"
    assert article.site == "Example News"
    assert article.url == "https://news.example.com/2022/01/12/geneva-talks"
    assert article.language == "en"
    assert article.text.split("\n\n") == PARAGRAPHS
    for furniture in ("Home", "Business", "Markets fall", "March 3, 2021", "All rights reserved", "Privacy"):
        assert furniture not in article.text


def test_hints_win_over_the_page() -> None:
    article = _html(PAGE, title="Given title", published="2022-01-13", site="Given site", author="Given Author")
    assert (article.title, article.published, article.site, article.author) == (
        "Given title",
        "2022-01-13",
        "Given site",
        "Given Author",
    )


def test_truncated_html_still_gives_an_article() -> None:
    article = _html(PAGE[: PAGE.index(PARAGRAPHS[2][:40])])
    assert article.text.split("\n\n")[:2] == PARAGRAPHS[:2]


@pytest.mark.parametrize(
    "body",
    [
        "<html><body>" + "<div>" * 10_000 + f"<p>{PARAGRAPHS[0]}</p>" + "</div>" * 10_000 + "</body></html>",
        "<div>" * 10_000,
        "<html><body><p>Unclosed <b>tags <i>everywhere" + "<p>" * 500,
        "<<<>>><!-- <p> --><![CDATA[ ]]>&&&;;;",
        "<html><body><script>var x = '<p>not text</p>';</script></body></html>",
    ],
    ids=["deep-with-text", "deep-empty", "unclosed", "garbage", "script-only"],
)
def test_broken_html_gives_an_article_or_input_error(body: str) -> None:
    try:
        article = _html(body)
    except InputError as error:
        assert error.reason in {"empty", "unparseable"}
    else:
        assert article.text


@pytest.mark.parametrize("body", ["", "   \n ", "<html></html>"])
def test_empty_html(body: str) -> None:
    with pytest.raises(InputError) as raised:
        _html(body)
    assert raised.value.reason == "empty"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["<p>", "</p>", "<div>", "<a href='x'>", "<!--", "-->", "&amp;", "<"]), st.text(max_size=20)
        ),
        max_size=40,
    ).map("".join)
)
def test_any_markup_gives_an_article_or_input_error(body: str) -> None:
    with contextlib.suppress(InputError):
        _html(body)
