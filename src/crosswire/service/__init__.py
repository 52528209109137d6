"""The use cases every face (CLI, API, web) calls. The faces hold no logic of their own.

Each use case is imported on first use (PEP 562): `crosswire --help` or `crosswire stories` does
not wait for the extractors, the analyser and the clustering to load.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

_MODULES = {
    "articles": ("article_view", "compare_stored", "ingest_documents", "stored_article", "story_page"),
    "common": ("encoder_of", "with_vectors"),
    "compare": ("compare_articles", "compare_pairs", "resolve_article"),
    "evaluate": ("evaluate_clusters", "evaluate_pairs", "evaluate_retrieval", "represent_documents"),
    "ingest": (
        "IngestReport",
        "RecleanReport",
        "ReclusterReport",
        "clean_paths",
        "ingest",
        "ingest_paths",
        "reclean",
        "recluster",
    ),
    "search": ("ensure_search_index", "search"),
    "statements": ("who_said_what",),
    "stories": (
        "rebuild_summaries",
        "refresh_article_stories",
        "refresh_summaries",
        "stories",
        "story",
        "story_count",
        "story_quotes",
    ),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}

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
    "story_quotes",
    "who_said_what",
    "with_vectors",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(ModuleType):
    """``ingest``, ``search`` and ``stories`` are use cases and modules of this package at once.
    Importing such a module would bind the package attribute to the module; the use case keeps
    the name, as it did when this file imported everything up front."""

    def __setattr__(self, name: str, value: Any) -> None:
        if not (name in _HOME and isinstance(value, ModuleType)):
            super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

if TYPE_CHECKING:  # what type checkers and editors see: the names as if imported eagerly
    from crosswire.service.articles import article_view, compare_stored, ingest_documents, stored_article, story_page
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
    from crosswire.service.statements import who_said_what
    from crosswire.service.stories import (
        rebuild_summaries,
        refresh_article_stories,
        refresh_summaries,
        stories,
        story,
        story_count,
        story_quotes,
    )
