"""The scale benchmark's document generator: deterministic, distinct inputs, dates crosswire reads."""

from __future__ import annotations

import sys
from datetime import date, timedelta

import pytest
from conftest import ROOT, SHARED, require_shared

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.scale_corpus import ScaleCorpus, news_pages, shift_dates
from crosswire.clean import article_id, clean
from crosswire.clean.site import article_line_keys
from crosswire.types import RawDocument

PAGES = 12  # a small corpus: round k is documents 12k .. 12k+11


@pytest.fixture(scope="module")
def corpus() -> ScaleCorpus:
    require_shared(SHARED / "data" / "news-stream" / "tgnews-2019-html.tar.xz")
    return ScaleCorpus(news_pages()[:PAGES])


def _document(corpus: ScaleCorpus, j: int) -> RawDocument:
    found = corpus.document(j)
    assert found is not None, f"page {j % len(corpus.pages)} is not readable"
    return found


def test_deterministic(corpus: ScaleCorpus) -> None:
    again = ScaleCorpus(corpus.pages)
    for j in range(3 * PAGES):
        assert corpus.document(j) == again.document(j)
    other_seed = ScaleCorpus(corpus.pages, seed=corpus.seed + 1)
    assert _document(corpus, PAGES).body != _document(other_seed, PAGES).body
    assert corpus.document(0) == other_seed.document(0)  # round 0 is the pages as they are


def test_distinct_ids(corpus: ScaleCorpus) -> None:
    docs = list(corpus.stream(0, 4 * PAGES))
    assert len({article_id(doc) for doc in docs}) == len(docs) == 4 * PAGES


def test_dates_shifted_as_crosswire_reads_them(corpus: ScaleCorpus) -> None:
    for index in range(4):
        original = clean(_document(corpus, index))
        copy = clean(_document(corpus, 2 * PAGES + index))
        assert original.published and copy.published
        assert date.fromisoformat(copy.published[:10]) == date.fromisoformat(original.published[:10]) + timedelta(
            days=2 * corpus.shift_days
        )
        assert copy.site == original.site


def test_copies_differ_line_by_line(corpus: ScaleCorpus) -> None:
    for index in range(4):
        original = article_line_keys(clean(_document(corpus, index)))
        copy = article_line_keys(clean(_document(corpus, PAGES + index)))
        assert len(original & copy) <= len(original) // 2  # at most furniture lines recur


def test_shift_dates_moves_meta_and_visible_date() -> None:
    page = (
        '<meta property="article:published_time" content="2019-11-30T18:36:00+00:00"/>'
        '<time datetime="2019-11-30T18:36:00+00:00">30 Nov 2019, 18:36</time>'
    )
    moved = shift_dates(page, 30)
    assert 'content="2019-12-30T18:36:00+00:00"' in moved
    assert '<time datetime="2019-12-30T18:36:00+00:00">30 Dec 2019, 18:36</time>' in moved
