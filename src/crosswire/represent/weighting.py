"""Counts -> weights in the dict form (``compact.weigh`` does the work, so the dict and the
compact forms of one article always agree): sublinear tf times idf, capped per group and
L2-normalized per group, so that the similarity can weight groups against each other.

Document frequencies are the store's counts plus a reference table's (``prior``) as
pseudo-documents: a fresh store, or a comparison without any store, still knows which n-grams
every text shares; as the store grows its own counts take over.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from crosswire.represent import compact

CAPS = {compact.GROUP_ORDER[group]: cap for group, cap in compact.CAPS.items()}


def weigh(
    counts: Mapping[str, float], df: Mapping[str, int] | None, n_docs: int, language_docs: int | None = None
) -> dict[str, float]:
    """Per-group L2-normalized weights (4 digits), each group cut to its cap (``compact.CAPS``)."""
    keys = list(counts)
    counted = compact.count("", None, None, counts)
    by_id = {compact.key_id(k): k for k in keys}
    store_df = None
    if df is not None:
        store_df = np.fromiter((df.get(by_id[i], 0) for i in counted.ids.tolist()), dtype=np.float64)
    weights, keep = compact.weigh(counted, store_df, n_docs, language_docs)
    return {
        by_id[i]: w / compact.SCALE for i, w in zip(counted.ids[keep].tolist(), weights[keep].tolist(), strict=True)
    }
