"""Representation: a language-independent, weighted sparse feature set per article (see
``features`` for the key scheme)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from crosswire.represent.features import GROUPS, analysis_key, count_features, feature_key, feature_keys
from crosswire.represent.weighting import weigh
from crosswire.types import Analysis, Representation

__all__ = [
    "GROUPS",
    "analysis_key",
    "count_features",
    "feature_key",
    "feature_keys",
    "represent",
    "represent_batch",
    "represent_counted",
]


def represent(analysis: Analysis, df: Mapping[str, int] | None = None, n_docs: int = 0) -> Representation:
    """Weighted features of one analysis: sublinear tf x idf, with ``df`` (document frequencies
    over ``n_docs`` articles, counted on ``feature_keys``) added to the packaged reference table."""
    return represent_counted(analysis, count_features(analysis), df, n_docs)


def represent_counted(
    analysis: Analysis,
    counted: tuple[dict[str, float], dict[str, str]],
    df: Mapping[str, int] | None = None,
    n_docs: int = 0,
    language_docs: int | None = None,
) -> Representation:
    """``represent`` from ``count_features(analysis)`` the caller already has (the store counts
    and prefetches document frequencies on the same keys)."""
    counts, surfaces = counted
    features = weigh(counts, df, n_docs, language_docs)
    return Representation(
        article_id=analysis.article_id,
        language=analysis.language,
        published=analysis.published,
        features=features,
        surfaces={k: s for k, s in surfaces.items() if k in features},
    )


def represent_batch(
    analyses: Iterable[Analysis], df: Mapping[str, int] | None = None, n_docs: int = 0
) -> list[Representation]:
    """``represent`` over a batch with one document-frequency table."""
    return [represent(a, df, n_docs) for a in analyses]
