"""The compact form of a representation: hashed feature ids and fixed-point weights in NumPy
arrays, so that one article is scored against all its candidates in a few array operations and
stored in a few kilobytes.

A feature id is a 64-bit blake2b hash of the feature key with the key's group in its top bits
(``id >> GROUP_SHIFT`` is the group's index in ``GROUP_ORDER``): a group's cosine is then a
``bincount`` over shared ids. Weights are the representation's 4-digit weights times 10,000 as
uint16, which is exactly what the dict form holds (``weighting`` rounds to 4 digits).

Two keys of one article collide with probability ~n²/2⁵⁹ (n ≈ 600): never in practice; a
collision between two articles adds one spurious shared key of weight < 1e-2 at worst.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from crosswire.represent.prior import prior
from crosswire.types import Analysis

# Feature groups (see ``features``) plus '#', the document-frequency pseudo-keys (a language's
# article count, migration 010).
GROUP_ORDER = "eopdnqtg#"
GROUP_SHIFT = 58
_HASH_MASK = (1 << GROUP_SHIFT) - 1
GROUP_INDEX = {g: i for i, g in enumerate(GROUP_ORDER)}
N_GROUPS = 16  # room in the top bits for groups added later
T_GROUP = GROUP_INDEX["t"]
# Most features each group keeps (by weight): bounds the stored size and the pair-scoring time.
CAPS = {GROUP_INDEX["t"]: 100, GROUP_INDEX["g"]: 500}
SCALE = 10_000  # weights are kept to 4 digits


def hash_key(key: str) -> int:
    """The stable 64-bit id of a feature key (the same in every process and on every machine)."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return (GROUP_INDEX.get(key[0], N_GROUPS - 1) << GROUP_SHIFT) | (int.from_bytes(digest, "little") & _HASH_MASK)


# Names, places, dates and numbers recur across articles: their ids are cached. (N-gram ids are
# cached per lemma, in _lemma_ids; caching each n-gram key too cost a worker ~100 MB per 1,000
# articles.)
key_id = lru_cache(maxsize=65_536)(hash_key)


def key_ids(keys: Sequence[str], cached: bool = True) -> np.ndarray:
    make = key_id if cached else hash_key
    return np.fromiter((make(k) for k in keys), dtype=np.int64, count=len(keys))


def language_key(language: str | None) -> str:
    """The document-frequency pseudo-key that counts a language's articles."""
    return "#lang:" + (language or "")


# The document-frequency pseudo-key that counts all articles (migration 015).
DOCS_KEY = "#docs"


@dataclass(frozen=True, slots=True)
class Counted:
    """An article's raw feature counts by id, before weighting: what a stage can compute without
    the store (``ids`` sorted ascending, unique; ``prior`` the packaged document frequency)."""

    article_id: str
    language: str | None
    published: str | None
    ids: np.ndarray  # int64
    counts: np.ndarray  # float64
    prior: np.ndarray  # float64


@dataclass(frozen=True, slots=True)
class CompactRepresentation:
    """A weighted feature set by hashed id: the form clustering scores and the store keeps."""

    article_id: str
    language: str | None
    published: str | None
    ids: np.ndarray  # int64, sorted ascending
    weights: np.ndarray  # uint16: weight x 10,000
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)

    def float_weights(self) -> np.ndarray:
        return self.weights.astype(np.float64) / SCALE


def count(article_id: str, language: str | None, published: str | None, counts: Mapping[str, float]) -> Counted:
    """``Counted`` from a ``count_features`` dict."""
    keys = list(counts)
    ids = key_ids(keys)
    order = np.argsort(ids, kind="stable")
    prior_df = prior()[0]
    values = np.fromiter((counts[k] for k in keys), dtype=np.float64, count=len(keys))
    priors = np.fromiter((prior_df.get(k, 0) for k in keys), dtype=np.float64, count=len(keys))
    return Counted(article_id, language, published, ids[order], values[order], priors[order])


def weigh(
    counted: Counted, store_df: np.ndarray | None, n_docs: int, language_docs: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per-group L2-normalized weights (x 10,000, as uint16) of ``counted``, each group cut to its
    cap: sublinear tf times a smoothed idf (scikit-learn's smooth_idf) over the packaged reference
    table plus the store's own counts (``store_df``, aligned with ``counted.ids``; None without a
    store). ``language_docs`` (the stored articles in the article's language) sets the idf scale
    of its terms: a language with few articles in a large store would otherwise find its function
    words rare, and two of its unrelated texts close. Of equal weights at a cap, the larger id stays.
    Returns the weights and the mask of the features kept."""
    prior_docs = prior()[1]
    c = counted.counts
    sdf = store_df if store_df is not None else np.zeros_like(c)
    log_docs = math.log(1 + prior_docs + (n_docs if store_df is not None else 0)) + 1.0
    log_terms = math.log(1 + language_docs) + 1.0 if language_docs is not None and store_df is not None else log_docs
    with np.errstate(divide="ignore"):
        tf = np.where(c >= 1, 1.0 + np.log(np.maximum(c, 1.0)), c)
    groups = counted.ids >> GROUP_SHIFT
    is_term = groups == T_GROUP
    weight = np.where(
        is_term,
        tf * np.maximum(log_terms - np.log(1.0 + sdf), 1.0),
        tf * (log_docs - np.log(1.0 + counted.prior + sdf)),
    )
    keep = np.ones(len(c), dtype=bool)
    for group, cap in CAPS.items():
        members = np.flatnonzero(groups == group)
        if len(members) > cap:
            # Largest weight first, then largest id (a stable, machine-independent tie-break).
            order = np.lexsort((-counted.ids[members], -weight[members]))
            keep[members[order[cap:]]] = False
    weight = np.where(keep, weight, 0.0)
    norms = np.sqrt(np.bincount(groups, weights=weight * weight, minlength=N_GROUPS))
    scaled = np.rint(weight / np.where(norms[groups] > 0, norms[groups], 1.0) * SCALE)
    return np.clip(scaled, 0, SCALE).astype(np.uint16), keep


def represent_compact(
    counted: Counted, store_df: np.ndarray | None = None, n_docs: int = 0, language_docs: int | None = None
) -> CompactRepresentation:
    weights, keep = weigh(counted, store_df, n_docs, language_docs)
    return CompactRepresentation(
        counted.article_id, counted.language, counted.published, counted.ids[keep], weights[keep]
    )


# -- storage ------------------------------------------------------------------------------------
def to_blob(rep: CompactRepresentation) -> bytes:
    """ids (int64) then weights (uint16), little-endian: 10 bytes a feature."""
    return rep.ids.astype("<i8").tobytes() + rep.weights.astype("<u2").tobytes()


def from_blob(
    article_id: str, language: str | None, published: str | None, blob: bytes, vector: np.ndarray | None = None
) -> CompactRepresentation:
    n = len(blob) // 10
    ids = np.frombuffer(blob, dtype="<i8", count=n)
    weights = np.frombuffer(blob, dtype="<u2", count=n, offset=8 * n)
    return CompactRepresentation(article_id, language, published, ids, weights, vector)


# -- counting straight from an analysis (the hot path: no per-key dict, hashing cached per lemma) --
@lru_cache(maxsize=100_000)
def _lemma_ids(lemma: str) -> tuple[int, float, np.ndarray, np.ndarray] | None:
    """(term id, its prior, n-gram ids, their priors) of a lemma, or None when it folds to nothing."""
    from crosswire.represent.features import term_keys

    keys = term_keys(lemma)
    if keys is None:
        return None
    term, grams = keys
    prior_df = prior()[0]
    gram_priors = np.fromiter((prior_df.get(g, 0) for g in grams), dtype=np.float64, count=len(grams))
    return hash_key(term), float(prior_df.get(term, 0)), key_ids(grams, cached=False), gram_priors


def _mention_keys(analysis: Analysis) -> tuple[list[str], list[float]]:
    """The feature keys of an analysis' names, places, numbers, quotes and dates, with their
    weights (a date also counts, for less, as its month and year)."""
    from crosswire.represent.features import _COARSER_DATE, feature_key

    keys: list[str] = [
        feature_key(m.key, m.kind) for m in (*analysis.entities, *analysis.places, *analysis.numbers, *analysis.quotes)
    ]
    weights: list[float] = [1.0] * len(keys)
    for mention in analysis.dates:
        keys.append("d:" + mention.key)
        weights.append(1.0)
        parts = mention.key.split("-")
        for cut in range(len(parts) - 1, 0, -1):
            keys.append("d:" + "-".join(parts[:cut]))
            weights.append(_COARSER_DATE)
    return keys, weights


def _lemma_weights(terms: Sequence[str]) -> dict[str, float]:
    """Each lemma's weight: its occurrences, those of the lead counting double."""
    from crosswire.represent.features import _LEAD_WEIGHT, LEAD_TERMS

    per_lemma: dict[str, float] = {}
    for position, lemma in enumerate(terms):
        per_lemma[lemma] = per_lemma.get(lemma, 0.0) + (_LEAD_WEIGHT if position < LEAD_TERMS else 1.0)
    return per_lemma


def count_analysis(analysis: Analysis) -> Counted:
    """``count(..., count_features(analysis)[0])`` without building the dict: the same counts."""
    prior_df = prior()[0]
    keys, weights = _mention_keys(analysis)
    id_parts = [key_ids(keys)]
    weight_parts = [np.array(weights)]
    prior_parts = [np.fromiter((prior_df.get(k, 0) for k in keys), dtype=np.float64, count=len(keys))]
    term_ids, term_weights, term_priors, gram_lengths = [], [], [], []
    for lemma, weight in _lemma_weights(analysis.terms).items():
        found = _lemma_ids(lemma)
        if found is None:
            continue
        term, term_prior, grams, gram_priors = found
        term_ids.append(term)
        term_weights.append(weight)
        term_priors.append(term_prior)
        gram_lengths.append(len(grams))
        id_parts.append(grams)
        prior_parts.append(gram_priors)
    # Each lemma's n-grams count as often as the lemma: its weight repeated over them.
    weight_parts.append(np.repeat(np.array(term_weights), gram_lengths))
    id_parts.append(np.array(term_ids, dtype=np.int64))
    weight_parts.append(np.array(term_weights))
    prior_parts.append(np.array(term_priors))
    ids = np.concatenate(id_parts)
    unique, inverse = np.unique(ids, return_inverse=True)
    counts = np.bincount(inverse, weights=np.concatenate(weight_parts), minlength=len(unique))
    priors = np.zeros(len(unique))
    priors[inverse] = np.concatenate(prior_parts)
    return Counted(analysis.article_id, analysis.language, analysis.published, unique, counts, priors)


def recount(counted: Counted, before: Analysis, after: Analysis) -> Counted | None:
    """``count_analysis(after)``, from ``counted`` (the counts of ``before``) where ``after`` is
    ``before`` less some of its mentions and terms (``subtract``): only the keys whose weight
    changes are looked up (the removed ones, and the lead's lemmas that moved). The site pass
    runs beside the writer, whose process has not met most lemmas: a full recount there paid
    their hashing again. Exact: every weight is a sum of 2.0, 1.0 and 0.5, which floating point
    adds and subtracts without rounding.
    None when ``after`` holds a key or a weight ``before`` lacks (it is no part of it)."""
    old, new = _lemma_weights(before.terms), _lemma_weights(after.terms)
    if not new.keys() <= old.keys():
        return None
    changed: dict[str, float] = {}
    for (keys, weights), sign in ((_mention_keys(before), -1.0), (_mention_keys(after), 1.0)):
        for key, weight in zip(keys, weights, strict=True):
            changed[key] = changed.get(key, 0.0) + sign * weight
    id_parts = [key_ids([key for key, delta in changed.items() if delta])]
    delta_parts = [np.array([delta for delta in changed.values() if delta], dtype=np.float64)]
    for lemma, weight in old.items():
        delta = new.get(lemma, 0.0) - weight
        found = _lemma_ids(lemma) if delta else None
        if found is not None:
            id_parts += [np.array([found[0]], dtype=np.int64), found[2]]
            delta_parts += [np.array([delta]), np.full(len(found[2]), delta)]
    unique, inverse = np.unique(np.concatenate(id_parts), return_inverse=True)
    deltas = np.bincount(inverse, weights=np.concatenate(delta_parts), minlength=len(unique))
    at = np.searchsorted(counted.ids, unique)
    if len(unique) and (at[-1] >= len(counted.ids) or not np.array_equal(counted.ids[at], unique)):
        return None
    counts = counted.counts.copy()
    counts[at] += deltas
    if (counts < 0).any():
        return None
    keep = counts > 0
    return replace(
        counted,
        article_id=after.article_id,
        language=after.language,
        published=after.published,
        ids=counted.ids[keep],
        counts=counts[keep],
        prior=counted.prior[keep],
    )
