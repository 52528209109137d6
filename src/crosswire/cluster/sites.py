"""Site centering: two articles of one site compared less what every article of that site shares.

A site's articles share its template (the lead's phrasing, section names, the byline, a shop's
shipping countries), and the encoder reads it as content, as it reads a language: among the 20
largest stories of 2,000 news pages, three were one site's unrelated articles (match reports of
a regional football site, a K-pop shop's release notes, a business daily's briefs). Their
language-centered cosines sat at 0.39, 0.65 and 0.08 (medians); less the mean vector of the
site's articles in that language they fell to 0.13, 0.39 and -0.04, while same-site pairs of real
stories (one site's Russian and Ukrainian editions of one report, a photo series of one match)
moved by 0.0-0.1. So a pair from one site is compared on vectors centered on their (site,
language) mean, shrunk toward the language mean by ``SHRINK`` articles' worth (a site's first
articles are not centered on themselves).

The sums are kept per (site, language) in the store (table ``site_vectors``), added as articles
are placed; ``recluster`` clears and rebuilds them in its placement order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from crosswire.store.base import Store

SHRINK = 10.0
_CACHE = 50_000  # (site, language) sums kept in memory (3 KB each at 384 dimensions)

SiteKey = tuple[str, str]


def site_sum_changes(placed: Sequence[tuple[SiteKey, np.ndarray]]) -> dict[SiteKey, tuple[int, np.ndarray]]:
    """Per (site, language), the count and float64 sum of ``placed`` vectors."""
    deltas: dict[SiteKey, tuple[int, np.ndarray]] = {}
    for key, vector in placed:
        count, total = deltas.get(key, (0, np.zeros(len(vector))))
        deltas[key] = (count + 1, total + np.asarray(vector, dtype=np.float64))
    return deltas


class SiteMeans:
    """Per (site, language), the count and sum of the vectors placed so far, read from the
    store on first use and kept up to date as batches are placed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.sums: dict[SiteKey, tuple[int, np.ndarray] | None] = {}

    def load(self, keys: Sequence[SiteKey]) -> None:
        missing = sorted({key for key in keys if key not in self.sums})
        if not missing:
            return
        if len(self.sums) + len(missing) > _CACHE:
            self.sums.clear()
        found = self.store.site_vector_sums(missing)
        self.sums.update({key: found.get(key) for key in missing})

    def center(self, vector: np.ndarray, language_mean: np.ndarray, key: SiteKey) -> np.ndarray:
        """``vector`` less its site's mean in its language (shrunk toward ``language_mean``),
        re-normalized: the language-centered vector less the site's share of it."""
        self.load([key])
        centered = np.asarray(vector, dtype=np.float64) - language_mean
        found = self.sums.get(key)
        if found is not None and found[0] > 0 and found[1].shape == centered.shape:
            count, total = found
            centered = centered - (total - count * language_mean) / (count + SHRINK)
        norm = float(np.linalg.norm(centered))
        unit: np.ndarray = centered / norm if norm > 0 else centered
        return unit

    def add(self, placed: Sequence[tuple[SiteKey, np.ndarray]]) -> dict[SiteKey, tuple[int, np.ndarray]]:
        """Count placed vectors in; returns the changes, to be stored."""
        deltas = site_sum_changes(placed)
        self.load(list(deltas))
        for key, (count, total) in deltas.items():
            old = self.sums.get(key)
            if old is None or old[1].shape != total.shape:
                old = (0, np.zeros_like(total))
            self.sums[key] = (old[0] + count, old[1] + total)
        return deltas
