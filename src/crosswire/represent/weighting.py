"""Counts -> weights: sublinear tf times idf, capped per group and L2-normalized per group, so
that the similarity can weight groups against each other.

Document frequencies are the store's counts plus a reference table's (``prior``) as
pseudo-documents: a fresh store, or a comparison without any store, still knows which n-grams
every text shares; as the store grows its own counts take over.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping

from crosswire.represent.prior import prior

# Most features each group keeps (by weight): bounds the stored size and the pair-scoring time.
CAPS = {"t": 100, "g": 500}
_DIGITS = 4


def weigh(
    counts: Mapping[str, float], df: Mapping[str, int] | None, n_docs: int, language_docs: int | None = None
) -> dict[str, float]:
    """Per-group L2-normalized weights, each group cut to its cap. ``language_docs`` (the stored
    articles in this article's language) sets the idf scale of its terms: a language with few
    articles in a large store would otherwise find its function words rare, and two of its
    unrelated texts close."""
    prior_df, prior_docs = prior()
    store_df: Mapping[str, int] = df if df is not None else {}
    # Smoothed idf, as scikit-learn's smooth_idf (log(1 + N) - log(1 + df) + 1), written inline:
    # this loop runs for every key of every article.
    log_docs = math.log(1 + prior_docs + (n_docs if df is not None else 0)) + 1.0
    log_terms = math.log(1 + language_docs) + 1.0 if language_docs is not None and df is not None else log_docs
    log, prior_get, store_get = math.log, prior_df.get, store_df.get
    groups: dict[str, list[tuple[float, str]]] = {}
    for key, count in counts.items():
        tf = 1.0 + log(count) if count >= 1 else count
        if key[0] == "t":
            weight = tf * max(log_terms - log(1 + store_get(key, 0)), 1.0)
        else:
            weight = tf * (log_docs - log(1 + prior_get(key, 0) + store_get(key, 0)))
        group = groups.get(key[0])
        if group is None:
            group = groups[key[0]] = []
        group.append((weight, key))
    features: dict[str, float] = {}
    for name, items in groups.items():
        cap = CAPS.get(name)
        if cap is not None and len(items) > cap:
            items = heapq.nlargest(cap, items)
        norm = math.sqrt(sum(w * w for w, _ in items))
        for weight, key in items:
            features[key] = round(weight / norm, _DIGITS)
    return features
