"""Browsing stored articles and stories page by page, comparing two stored articles with their
shared evidence located in both texts, and ingesting documents handed over in memory (an API
request, an uploaded file) rather than read from paths."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from crosswire.analyze import analyze
from crosswire.clean import article_id
from crosswire.errors import NotFound
from crosswire.link.quote_groups import QuotedBy
from crosswire.service.compare import compare_stored_articles
from crosswire.service.highlight import Paragraph, mark, mark_paragraphs, shared_forms
from crosswire.service.ingest import IngestReport, ingest
from crosswire.service.said_marks import mark_said, shared_quotes
from crosswire.service.search import ensure_summaries
from crosswire.service.statements import group_items
from crosswire.settings import Settings
from crosswire.store.base import Store
from crosswire.types import Article, Assignment, RawDocument, Rejection, Similarity, StoryMember, StorySummary

STORY_PAGE = 50  # articles per page of a story


def find_stored(store: Store, ref: str) -> Article | None:
    """The stored article with id ``ref``, or the only one whose id starts with it (users type
    short ids, as with git); None when there is none. An ambiguous prefix raises NotFound."""
    found = store.article(ref)
    if found is None and ref:
        matches = store.find_article_ids(ref)
        if len(matches) > 1:
            raise NotFound(f"more than one stored article starts with {ref!r}")
        found = store.article(matches[0]) if matches else None
    return found


def stored_article(store: Store, ref: str) -> Article:
    """``find_stored``, never a file: a reference from a request must not reach the filesystem."""
    found = find_stored(store, ref)
    if found is None:
        raise NotFound(f"no stored article {ref!r}")
    return found


@dataclass(frozen=True, slots=True)
class ArticleView:
    article: Article
    placement: Assignment | None  # its event and story (None while it is not clustered)


def article_view(store: Store, ref: str) -> ArticleView:
    article = stored_article(store, ref)
    return ArticleView(article, store.placement(article.id))


@dataclass(frozen=True, slots=True)
class StoryPage:
    """A story's summary (titles, languages, sites, entities, places, timeline) and one page of
    its articles, by date (undated last)."""

    story: StorySummary
    articles: tuple[StoryMember, ...]
    offset: int
    limit: int


def story_page(store: Store, story_id: str, *, limit: int = STORY_PAGE, offset: int = 0) -> StoryPage:
    """One story with ``limit`` of its articles from ``offset``: a story of thousands of articles
    costs one page of them, not all."""
    ensure_summaries(store)
    summary = store.story_summary(story_id)
    if summary is None:
        raise NotFound(f"no story {story_id!r}")
    return StoryPage(summary, tuple(store.story_articles(story_id, limit, offset)), offset, limit)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two stored articles, how similar they are and why, and their titles and texts cut into
    pieces with the shared evidence marked (by kind and key) in both."""

    a: Article
    b: Article
    similarity: Similarity
    title_a: Paragraph
    title_b: Paragraph
    text_a: tuple[Paragraph, ...]
    text_b: tuple[Paragraph, ...]


def compare_stored(store: Store, a_ref: str, b_ref: str, settings: Settings | None = None) -> Comparison:
    a, b = stored_article(store, a_ref), stored_article(store, b_ref)
    result = compare_stored_articles(store, a, b, settings)
    forms_a = shared_forms(result.reasons, store.analysis(a.id) or analyze(a), "a")
    forms_b = shared_forms(result.reasons, store.analysis(b.id) or analyze(b), "b")
    said = _shared_quotes(store, a, b, settings or Settings())
    return Comparison(
        a,
        b,
        result,
        mark(a.headline, forms_a),
        mark(b.headline, forms_b),
        mark_said(a.text, mark_paragraphs(a.text, forms_a), said[a.id]),
        mark_said(b.text, mark_paragraphs(b.text, forms_b), said[b.id]),
    )


def _shared_quotes(store: Store, a: Article, b: Article, settings: Settings) -> dict[str, list[tuple[int, int, str]]]:
    """The quotes of ``a`` and ``b`` that report one statement (one quote group of the two)."""
    if a.id == b.id:
        return {a.id: []}
    analyses = store.analyses([a.id, b.id])
    items = [
        QuotedBy(article.id, article.language, article.site, article.published, quote)
        for article in (a, b)
        if (found := analyses.get(article.id))
        for quote in found.statements
    ]
    return shared_quotes(group_items(store, items, settings), a.id, b.id)


@dataclass(frozen=True, slots=True)
class Placed:
    """An input that went in (or was already there), and where it is now."""

    article_id: str
    source: str
    story_id: str | None  # None when it was rejected after all


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    report: IngestReport
    placed: tuple[Placed, ...]


def ingest_documents(store: Store, items: Iterable[RawDocument | Rejection], settings: Settings) -> IngestOutcome:
    """Ingest documents already in memory and say where each readable one was placed. The vector
    index file is written after this returns (the data is committed; this process waits for the
    write wherever it reads the file: crosswire.cluster.ann)."""
    items = list(items)
    report = ingest(store, items, settings, save_in_background=True)  # an upload: answer once committed
    raws = [item for item in items if isinstance(item, RawDocument)]
    ids = [article_id(raw) for raw in raws]
    placements = store.assignments(ids)
    placed = tuple(
        Placed(i, raw.source, placements[i].story_id if i in placements else None)
        for raw, i in zip(raws, ids, strict=True)
    )
    return IngestOutcome(report, placed)
