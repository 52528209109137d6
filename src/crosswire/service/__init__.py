"""The use cases every face (CLI, API, web) calls. The faces hold no logic of their own."""

from crosswire.service.common import encoder_of, with_vectors
from crosswire.service.compare import compare_articles, compare_pairs, resolve_article
from crosswire.service.evaluate import evaluate_clusters, evaluate_pairs, evaluate_retrieval, represent_documents
from crosswire.service.ingest import (
    IngestReport,
    RecleanReport,
    ReclusterReport,
    clean_paths,
    index_keys,
    ingest,
    ingest_paths,
    reclean,
    recluster,
)
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
    "clean_paths",
    "compare_articles",
    "compare_pairs",
    "encoder_of",
    "evaluate_clusters",
    "evaluate_pairs",
    "evaluate_retrieval",
    "index_keys",
    "ingest",
    "ingest_paths",
    "rebuild_summaries",
    "reclean",
    "recluster",
    "refresh_article_stories",
    "refresh_summaries",
    "represent_documents",
    "resolve_article",
    "stories",
    "story",
    "story_count",
    "with_vectors",
]
