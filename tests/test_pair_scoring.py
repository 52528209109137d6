"""The cluster writer's fast paths give exactly the scores of the plain ones: the hash-table
lookup of shared feature ids, centered vectors kept across articles (``DenseRows``), and the
lexical scores taken from the fused scoring."""

from __future__ import annotations

import numpy as np

from crosswire.encode.centering import LanguageCentering
from crosswire.encode.fusion import Fusion
from crosswire.link.vectorized import DenseRows, find_shared, scores, scores_and_lexical
from crosswire.represent.compact import GROUP_SHIFT, CompactRepresentation

LANGUAGES = ("en", "de", "ru", "ja", None)
NDIM = 16


def _ids(rng: np.random.Generator, n: int) -> np.ndarray:
    groups = rng.integers(0, 8, n)
    return np.unique((groups << GROUP_SHIFT) | rng.integers(0, 1 << 20, n))  # a small id space: many shared


def _rep(rng: np.random.Generator, i: int, vector: bool = True) -> CompactRepresentation:
    ids = _ids(rng, int(rng.integers(1, 400)))
    language = LANGUAGES[i % len(LANGUAGES)]
    published = None if i % 7 == 0 else f"2024-0{1 + i % 9}-1{i % 10}"
    dense = rng.normal(size=NDIM).astype(np.float32) if vector else None
    weights = rng.integers(1, 10_000, len(ids)).astype(np.uint16)
    return CompactRepresentation(f"a{i}", language, published, ids, weights, dense)


def test_the_hash_tablefind_shareds_what_a_binary_searchfind_shareds() -> None:
    rng = np.random.default_rng(7)
    for trial in range(200):
        query = np.unique(rng.integers(0, 1 << 62, int(rng.integers(1, 3000))))
        if trial % 2:  # ids that share the table's slots
            query = np.unique((rng.integers(0, 1 << 40, len(query)) << 16) | rng.integers(0, 40, len(query)))
        others = np.concatenate([rng.integers(0, 1 << 62, 4000), rng.choice(query, len(query) // 2)])
        rng.shuffle(others)
        near = np.minimum(np.searchsorted(query, others), len(query) - 1)
        hit = query[near] == others
        shared, at = find_shared(query, others)
        assert np.array_equal(shared, np.flatnonzero(hit))
        assert np.array_equal(at, near[hit])


def test_kept_centered_vectors_give_the_same_scores_as_centering_again() -> None:
    rng = np.random.default_rng(3)
    prior = {language: rng.normal(size=NDIM) for language in LANGUAGES if language is not None}
    centering = LanguageCentering(NDIM, prior, rng.normal(size=NDIM))
    fusion = Fusion().with_centering(centering)
    rows = DenseRows(fusion)
    reps = [_rep(rng, i, vector=i % 11 != 5) for i in range(80)]
    for batch in range(4):
        for query in reps[batch * 20 : batch * 20 + 20]:
            if query.vector is not None:
                others = reps[:60]
                assert np.array_equal(scores(query, others, fusion, dense_row=rows), scores(query, others, fusion))
        # German articles arrive: the German mean moves (and the overall one, the undetermined
        # language's), the others stay, and so do their rows.
        centering.add([rng.normal(size=NDIM) for _ in range(3)], ["de"] * 3)
        rows.clear(fusion)
        kept = {language for _, language in rows.rows.values()}
        assert kept and not kept & {"de", None}


def test_the_lexical_scores_of_any_subset_are_those_of_the_whole() -> None:
    rng = np.random.default_rng(5)
    reps = [_rep(rng, i) for i in range(60)]
    fusion = Fusion().with_centering(LanguageCentering(NDIM))
    for query in reps[:10]:
        fused, lexical = scores_and_lexical(query, reps, fusion)
        assert np.array_equal(fused, scores(query, reps, fusion))
        subset = [i for i in range(len(reps)) if rng.random() < 0.3]
        without_vector = CompactRepresentation(
            query.article_id, query.language, query.published, query.ids, query.weights
        )
        alone = scores(without_vector, [reps[i] for i in subset])
        assert np.array_equal(lexical[subset], alone)
