"""The fast extractor (Resiliparse, `extractor = "fast"`): main text and metadata of real-looking
pages, furniture gone, bad HTML never a crash, the seeds as the default path has them, a clear
message without the `fast` extra, and the default path untouched."""

from __future__ import annotations

import contextlib
import importlib.util
import subprocess
import sys
import time
from dataclasses import replace
from typing import Any

import pytest
from conftest import RU_SEED, UK_SEED
from hypothesis import given, settings
from hypothesis import strategies as st

from crosswire.clean import EXTRACTORS, clean, clean_batch, require_extractor
from crosswire.clean import fast as fast_module
from crosswire.errors import CrosswireError, InputError, MissingDependency
from crosswire.stages import PreparedDocument, StageContext, prepare
from crosswire.types import Article, RawDocument, Rejection

# The tests of the extraction itself need the `fast` extra; those of the choice and of the
# message without it do not.
needs_extra = pytest.mark.skipif(importlib.util.find_spec("resiliparse") is None, reason="no `fast` extra")

PARAGRAPHS = [
    "Negotiators from the United States and Russia agreed on Wednesday to hold another round of talks "
    "in Geneva next week, officials on both sides said after a day of meetings.",
    'The minister said: "We are ready to discuss every proposal, but not our sovereignty." He added that '
    "the next round would focus on arms control and military exercises near the border.",
    "Diplomats described the mood in the room as businesslike. Neither side expected a breakthrough "
    "before the end of the month, according to two people familiar with the talks.",
    "The talks will continue next week.",
]
FURNITURE = ("Home", "Business", "Markets fall", "Storm leaves", "All rights reserved", "Privacy", "Share on")

NAV = """<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
  <li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>"""
RELATED = """<aside class="related"><h2>Related stories</h2><ul>
  <li><a href="/a">Markets fall after the central bank raises rates</a> <span>March 3, 2021</span></li>
  <li><a href="/b">Storm leaves thousands without power in the north</a> <span>March 2, 2021</span></li>
</ul></aside>"""
SHARE = """<div class="share"><a href="https://facebook.com/x">Share on Facebook</a>
  <a href="https://x.com/x">Share on X</a></div>"""
FOOTER = """<footer><p>© 2022 Example News. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>"""
BODY = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)

OPENGRAPH_PAGE = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Negotiators agree to meet again in Geneva | Example News</title>
  <meta property="og:title" content="Negotiators agree to meet again in Geneva">
  <meta property="og:site_name" content="Example News">
  <meta property="og:url" content="https://news.example.com/2022/01/12/geneva-talks">
  <meta name="author" content="Jane Doe">
  <meta property="article:published_time" content="2022-01-12T14:35:00+00:00">
</head>
<body>{NAV}<main><article><h1>Negotiators agree to meet again in Geneva</h1>
  <p class="byline">By Jane Doe</p><time datetime="2022-01-12T14:35:00+00:00">January 12, 2022</time>
  {BODY}{SHARE}</article>{RELATED}</main>{FOOTER}</body></html>"""

# No OpenGraph: the title from <title> less the site's name, the date from JSON-LD, the address
# from the canonical link, the author from a rel="author" link, the site from the host.
PLAIN_PAGE = f"""<html><head>
  <TITLE>Regional Desk – Negotiators agree to meet again in Geneva</TITLE>
  <link rel="canonical" href="https://www.example.org/world/geneva-talks">
  <script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "2022-01-12T09:00:00Z"}}</script>
</head><body>{NAV}<div id="content"><h1>Negotiators agree to meet again in Geneva</h1>
  <div class="meta">by <a rel="author" href="/people/jane">Jane Doe (@janedoe)</a></div>
  {BODY}</div>{RELATED}{FOOTER}</body></html>"""

# As the news-stream pages have it: an XML-style '<iframe/>' before the text (an HTML parser
# would read the rest of the page as the frame's raw text), metadata in <time> and the URL.
SELF_CLOSED_PAGE = f"""<html><head><meta property="og:title" content="Negotiators agree to meet again"/></head>
<body><article><h1>Negotiators agree to meet again</h1>
<figure><iframe src="https://video.example.com/embed/1" width="640"/></figure>{BODY}</article></body></html>"""

RUSSIAN_PAGE = """<!DOCTYPE html><html lang="ru"><head>
<meta property="og:title" content="Переговорщики договорились встретиться в Женеве">
<meta property="og:site_name" content="Пример Новости"></head>
<body><nav><a href="/">Главная</a> <a href="/politics">Политика</a></nav><article>
<h1>Переговорщики договорились встретиться в Женеве</h1>
<time datetime="2022-01-12">12 января 2022</time>
<p>Переговорщики США и России договорились в среду провести ещё один раунд переговоров в Женеве на
следующей неделе, сообщили представители обеих сторон после дня встреч.</p>
<p>Министр заявил, что стороны готовы обсуждать любые предложения, но не суверенитет, и добавил, что
следующий раунд будет посвящён контролю над вооружениями.</p></article>
<footer>© 2022 Пример Новости. Все права защищены.</footer></body></html>"""


def _fast(body: str, **hints: Any) -> Article:  # RawDocument fields: url, title, published, ...
    return clean(replace(RawDocument(source="test.html", body=body, kind="html"), **hints), "fast")


def test_extractors_are_default_and_fast() -> None:
    assert EXTRACTORS == ("default", "fast")


@needs_extra
def test_opengraph_page() -> None:
    article = _fast(OPENGRAPH_PAGE)
    assert article.title == "Negotiators agree to meet again in Geneva"
    assert article.published == "2022-01-12"
    assert article.author == "Jane Doe"
    assert article.site == "Example News"
    assert article.url == "https://news.example.com/2022/01/12/geneva-talks"
    assert article.language == "en"
    assert article.text.split("\n\n") == PARAGRAPHS
    for furniture in FURNITURE:
        assert furniture not in article.text


@needs_extra
def test_page_without_opengraph() -> None:
    article = _fast(PLAIN_PAGE)
    assert article.title == "Negotiators agree to meet again in Geneva"
    assert article.published == "2022-01-12"
    assert article.author == "Jane Doe"
    assert article.url == "https://www.example.org/world/geneva-talks"
    assert article.site == "example.org"
    assert article.language == "en"  # from the text: the page names none
    assert article.text.split("\n\n") == PARAGRAPHS
    for furniture in FURNITURE:
        assert furniture not in article.text


@needs_extra
def test_self_closed_iframe_hides_no_text() -> None:
    article = _fast(SELF_CLOSED_PAGE, url="https://news.example.com/2022/01/12/talks")
    assert article.text.split("\n\n") == PARAGRAPHS
    assert article.published == "2022-01-12"  # from the address, as nothing else dates it
    assert article.site == "news.example.com"


@needs_extra
def test_russian_page() -> None:
    article = _fast(RUSSIAN_PAGE)
    assert article.title == "Переговорщики договорились встретиться в Женеве"
    assert article.language == "ru"
    assert article.published == "2022-01-12"
    assert article.site == "Пример Новости"
    assert len(article.text.split("\n\n")) == 2
    assert article.text.startswith("Переговорщики США и России")
    assert "Главная" not in article.text and "права защищены" not in article.text


@needs_extra
def test_the_fast_path_matches_the_default_on_these_pages() -> None:
    for page in (OPENGRAPH_PAGE, PLAIN_PAGE):
        ours, default = _fast(page), clean(RawDocument(source="test.html", body=page, kind="html"))
        assert (ours.title, ours.text, ours.published, ours.language) == (
            default.title,
            default.text,
            default.published,
            default.language,
        )


@needs_extra
def test_hints_win_over_the_page() -> None:
    article = _fast(OPENGRAPH_PAGE, title="Given title", published="2022-01-13", site="Given site", author="A B")
    assert (article.title, article.published, article.site, article.author) == (
        "Given title",
        "2022-01-13",
        "Given site",
        "A B",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-11-01T12:00:46+00:00", "2019-11-01"),
        ("2019/11/01", "2019-11-01"),
        ("2019-02-30", None),
        ("1970-01-01", None),
        ("soon", None),
        (None, None),
    ],
)
def test_dates_are_real_iso_dates(value: str | None, expected: str | None) -> None:
    assert fast_module._iso_date(value) == expected


@needs_extra
@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ('<meta name="author" content="By Jane Roe (@janeroe)">', "Jane Roe"),
        ('<meta name="author" content="https://facebook.com/example">', None),
        ('<meta name="author" content="editor">', None),
        ('<meta property="article:author" content="Ivan  Petrov">', "Ivan Petrov"),
    ],
)
def test_authors_are_names(meta: str, expected: str | None) -> None:
    page = f"<html><head>{meta}</head><body>{BODY}</body></html>"
    assert _fast(page).author == expected


@needs_extra
def test_metadata_is_unescaped_and_printable() -> None:
    page = (
        '<html><head><meta property="og:title" content="Q&amp;A:\u200b talks &quot;resume&quot;">'
        f"</head><body>{BODY}</body></html>"
    )
    assert _fast(page).title == 'Q&A: talks "resume"'


@needs_extra
def test_mostly_linked_lines_are_dropped() -> None:
    teaser = '<p><a href="/other">Read next: markets fall after the central bank raises its rates again</a></p>'
    inline = '<p>The talks, first <a href="/earlier">reported in March</a>, will resume in Geneva next week.</p>'
    article = _fast(f"<html><body><article>{BODY}{inline}{teaser}</article></body></html>")
    assert "Read next" not in article.text
    assert "first reported in March, will resume" in article.text


@needs_extra
@pytest.mark.parametrize("path", [UK_SEED, RU_SEED], ids=["uk", "ru"])
def test_seeds_clean_as_on_the_default_path(path) -> None:  # type: ignore[no-untyped-def]
    raw = RawDocument(source=path.name, body=path.read_text("utf-8"))
    assert clean(raw, "fast") == clean(raw)  # text input: the extractor has nothing to do


@needs_extra
@pytest.mark.parametrize("path", [UK_SEED, RU_SEED], ids=["uk", "ru"])
def test_seed_as_a_web_page(path) -> None:  # type: ignore[no-untyped-def]
    """A seed's lines as paragraphs of a page with navigation and a footer: the fast path keeps
    what the default path keeps of the article."""
    lines = [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]
    page = (
        f"<html><head><title>{lines[0]}</title></head><body>{NAV}<article>"
        + "".join(f"<p>{line}</p>" for line in lines)
        + f"</article>{FOOTER}</body></html>"
    )
    raw = RawDocument(source=path.name, body=page, kind="html")
    ours, default = clean(raw, "fast"), clean(raw)
    assert ours.language == default.language
    assert ours.text == default.text
    assert "All rights reserved" not in ours.text


@needs_extra
@pytest.mark.parametrize(
    "body",
    [
        "<html><body>" + "<div>" * 10_000 + f"<p>{PARAGRAPHS[0]}</p>" + "</div>" * 10_000 + "</body></html>",
        "<div>" * 10_000,
        "<html><body><p>Unclosed <b>tags <i>everywhere" + "<p>" * 500,
        "<<<>>><!-- <p> --><![CDATA[ ]]>&&&;;;",
        "<html><body><script>var x = '<p>not text</p>';</script></body></html>",
        "<html><head><meta content=><meta name=author content='x' <title></head><body><p>Text here.</p>",
        "<textarea/><p>After a self-closed textarea.</p>",
    ],
    ids=["deep-with-text", "deep-empty", "unclosed", "garbage", "script-only", "broken-meta", "textarea"],
)
def test_broken_html_gives_an_article_or_input_error(body: str) -> None:
    try:
        article = _fast(body)
    except InputError as error:
        assert error.reason in {"empty", "unparseable"}
    else:
        assert article.text
        assert "not text" not in article.text


@needs_extra
def test_deep_nesting_keeps_its_text() -> None:
    body = "<html><body>" + "<div>" * 10_000 + f"<p>{PARAGRAPHS[0]}</p>" + "</div>" * 10_000 + "</body></html>"
    assert PARAGRAPHS[0] in _fast(body).text


@needs_extra
@pytest.mark.parametrize("body", ["", "   \n ", "<html></html>", "<html><body><nav><a href=/>Home</a></nav></body>"])
def test_empty_html(body: str) -> None:
    with pytest.raises(InputError) as raised:
        _fast(body)
    assert raised.value.reason == "empty" or raised.value.reason == "unparseable"


@needs_extra
@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["<p>", "</p>", "<div>", "<a href='x'>", "</a>", "<!--", "-->", "&amp;", "<", "<iframe/>"]),
            st.text(max_size=20),
        ),
        max_size=40,
    ).map("".join)
)
def test_any_markup_gives_an_article_or_input_error(body: str) -> None:
    with contextlib.suppress(InputError):
        _fast(body)


# --- choosing the extractor ------------------------------------------------------------------------


@needs_extra
def test_the_stage_context_chooses_the_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = RawDocument(source="page.html", body=OPENGRAPH_PAGE, kind="html")
    done = prepare(raw, StageContext(extractor="fast"))
    assert isinstance(done, PreparedDocument) and done.article.text.split("\n\n") == PARAGRAPHS
    calls: list[str] = []

    def broken(html: str, url: str) -> None:
        calls.append(url)
        raise RuntimeError("extractor failed")

    monkeypatch.setattr("crosswire.clean.extract_fast", broken)
    assert isinstance(prepare(raw, StageContext(extractor="fast")), Rejection)
    assert isinstance(prepare(raw, StageContext()), PreparedDocument)
    assert len(calls) == 1


@needs_extra
def test_clean_batch_takes_the_extractor() -> None:
    raws = [RawDocument(source="a.html", body=SELF_CLOSED_PAGE, kind="html"), RawDocument(source="b.html", body="")]
    article, rejection = clean_batch(raws, "fast")
    assert isinstance(article, Article) and article.text.split("\n\n") == PARAGRAPHS
    assert isinstance(rejection, Rejection) and rejection.reason == "empty"


def test_an_unknown_extractor_is_refused_before_any_document() -> None:
    with pytest.raises(CrosswireError, match="unknown extractor 'turbo'") as raised:
        clean(RawDocument(source="a.html", body=OPENGRAPH_PAGE, kind="html"), "turbo")
    assert not isinstance(raised.value, InputError)
    with pytest.raises(CrosswireError, match="default, fast"):
        clean_batch([], "turbo")


def test_without_the_extra_the_message_names_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes the import raise ImportError, as when the extra is not installed.
    monkeypatch.setitem(sys.modules, "resiliparse.extract.html2text", None)
    monkeypatch.setattr(fast_module, "_extract_plain_text", None)
    for attempt in (
        lambda: require_extractor("fast"),
        lambda: clean(RawDocument(source="a.html", body=OPENGRAPH_PAGE, kind="html"), "fast"),
        lambda: clean_batch([], "fast"),
    ):
        with pytest.raises(MissingDependency) as raised:
            attempt()
        assert str(raised.value) == "resiliparse is not installed; run: pip install 'crosswire[fast]'"
    # The default path needs nothing more.
    assert clean(RawDocument(source="a.html", body=OPENGRAPH_PAGE, kind="html")).text.split("\n\n") == PARAGRAPHS


def test_the_default_path_never_loads_resiliparse() -> None:
    code = (
        "import sys\n"
        "from crosswire.clean import clean\n"
        "from crosswire.types import RawDocument\n"
        f"clean(RawDocument(source='a.html', body={OPENGRAPH_PAGE!r}, kind='html'))\n"
        "print('resiliparse' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@needs_extra
@pytest.mark.parametrize("tag", ["<h1>x", "<title>", "<meta name=a content=b ", "<a rel=author>x", "<time datetime"])
def test_a_repeated_unclosed_tag_costs_no_scan_each(tag: str) -> None:
    # Unbounded, each of these would scan to the end of the page: minutes, not a fraction of a second.
    page = f"<p>{PARAGRAPHS[0]}</p>" + tag * 30_000
    start = time.perf_counter()
    with contextlib.suppress(InputError):
        _fast(page)
    assert time.perf_counter() - start < 20
