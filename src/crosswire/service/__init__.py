"""The use cases every face (CLI, API, web) calls. The faces hold no logic of their own."""

from crosswire.service.articles import (
    article_view,
    compare_stored,
    ingest_documents,
    stored_article,
    story_page,
)
from crosswire.service.common import encoder_of, with_vectors
from crosswire.service.compare import compare_articles, compare_pairs, resolve_article
from crosswire.service.evaluate import evaluate_clusters, evaluate_pairs, evaluate_retrieval, represent_documents
from crosswire.service.ingest import (
    IngestReport,
    RecleanReport,
    ReclusterReport,
    clean_paths,
    ingest,
    ingest_paths,
    reclean,
    recluster,
)
from crosswire.service.search import ensure_search_index, search
from crosswire.service.stories import (
    rebuild_summaries,
    refresh_article_stories,
    refresh_summaries,
    stories,
    story,
    story_count,
)

__all__ = [
    "IngestReport",
    "RecleanReport",
    "ReclusterReport",
    "article_view",
    "clean_paths",
    "compare_articles",
    "compare_pairs",
    "compare_stored",
    "encoder_of",
    "ensure_search_index",
    "evaluate_clusters",
    "evaluate_pairs",
    "evaluate_retrieval",
    "ingest",
    "ingest_documents",
    "ingest_paths",
    "rebuild_summaries",
    "reclean",
    "recluster",
    "refresh_article_stories",
    "refresh_summaries",
    "represent_documents",
    "resolve_article",
    "search",
    "stored_article",
    "stories",
    "story",
    "story_count",
    "story_page",
    "with_vectors",
]
