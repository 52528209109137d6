"""One article scored against many in a few array operations: the hot path of clustering.

The score is ``similarity(a, b).score`` (``link.similarity``) computed over the compact form
(``represent.compact``): per-group cosines are one ``bincount`` over the ids both articles hold,
then the calibration's weights, curve, time penalty and dense fusion as arrays. Reasons are not
computed here (they are for the few pairs a person looks at).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from crosswire.encode.fusion import Fusion, combine
from crosswire.link.calibration import LEXICAL_GROUPS, TIE_BREAK, Calibration, calibration
from crosswire.link.timegap import _YEAR_DAYS, _day
from crosswire.represent.compact import GROUP_INDEX, GROUP_SHIFT, N_GROUPS, SCALE, CompactRepresentation

_DEFAULT_FUSION = Fusion()


_TABLES: dict[int, tuple[Calibration, dict[tuple[str, bool], tuple[np.ndarray, np.ndarray]]]] = {}


def _group_weights(cal: Calibration) -> dict[tuple[str, bool], tuple[np.ndarray, np.ndarray]]:
    """(pair type, across scripts) -> (weight per group, cosine multiplier per group), per
    calibration (kept by identity: a Calibration holds dicts and cannot be hashed)."""
    cached = _TABLES.get(id(cal))
    if cached is not None and cached[0] is cal:
        return cached[1]
    table = {}
    for pair_type, weights in cal.weights.items():
        for cross_script in (False, True):
            effective = dict(weights)
            if cross_script and cal.script_floors:
                effective |= {g: max(effective.get(g, 0.0), w) for g, w in cal.script_floors.items()}
            vector = np.zeros(N_GROUPS)
            multiplier = np.ones(N_GROUPS)
            for group, weight in effective.items():
                vector[GROUP_INDEX[group]] = weight
                if cross_script and group in LEXICAL_GROUPS:
                    multiplier[GROUP_INDEX[group]] = cal.cross_script
            table[(pair_type, cross_script)] = (vector, multiplier)
    _TABLES[id(cal)] = (cal, table)
    return table


@lru_cache(maxsize=65_536)
def _ordinal(published: str | None) -> float:
    day = _day(published) if published else None
    return float(day.toordinal()) if day is not None else math.nan


# A hash table over the query's ids, kept per thread and emptied after each use: a lookup of the
# ~30,000 ids of an article's candidates is then a few passes over them, where a binary search
# (searchsorted) in the query's ~600 ids cost about four times as long.
_SLOT_BITS = 16
_tables = threading.local()


def find_shared(query_ids: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where ``ids`` holds one of ``query_ids`` (positions, ascending), and where in
    ``query_ids`` each of those is: what a binary search finds. ``query_ids`` sorted, unique."""
    table = getattr(_tables, "table", None)
    if table is None:
        size = 1 << _SLOT_BITS
        table = _tables.table = (np.zeros(size, dtype=bool), np.zeros(size, np.int64), np.zeros(size, np.int64))
    taken, keys, where = table
    mask = (1 << _SLOT_BITS) - 1
    slots = query_ids & mask
    try:
        taken[slots] = True
        keys[slots] = query_ids
        where[slots] = np.arange(len(query_ids))
        probe = ids & mask
        # A small table of taken slots first (it stays in the cache): ~1% of ids pass, then the
        # whole id is compared.
        maybe = np.flatnonzero(taken[probe])
        slot = probe[maybe]
        held = ids[maybe]
        hit = keys[slot] == held
        at = where[slot]
        lost = keys[slots] != query_ids  # ids that share a slot with a later one (a few per query)
        if lost.any():
            crowded = query_ids[lost]
            near = np.minimum(np.searchsorted(crowded, held), len(crowded) - 1)
            also = crowded[near] == held
            at[also] = np.flatnonzero(lost)[near[also]]
            hit |= also
        return maybe[hit], at[hit]
    finally:
        taken[slots] = False


def group_cosines(query: CompactRepresentation, others: Sequence[CompactRepresentation]) -> np.ndarray:
    """(len(others), N_GROUPS) cosines: each group is L2-normalized, so a dot product over shared ids."""
    n = len(others)
    if n == 0 or len(query.ids) == 0:
        return np.zeros((n, N_GROUPS))
    ends = np.cumsum(np.fromiter((len(o.ids) for o in others), dtype=np.int64, count=n))
    ids = np.concatenate([o.ids for o in others])
    weights = np.concatenate([o.weights for o in others])
    shared, at = find_shared(query.ids, ids)
    owner = np.searchsorted(ends, shared, side="right")  # which of ``others`` holds each shared id
    products = (weights[shared].astype(np.float64) / SCALE) * (query.weights[at].astype(np.float64) / SCALE)
    slots = owner * N_GROUPS + (ids[shared] >> GROUP_SHIFT)
    return np.bincount(slots, weights=products, minlength=n * N_GROUPS).reshape(n, N_GROUPS)


def scores(
    query: CompactRepresentation,
    others: Sequence[CompactRepresentation],
    fusion: Fusion | None = None,
    cal: Calibration | None = None,
    dense_row: Callable[[CompactRepresentation], np.ndarray] | None = None,
) -> np.ndarray:
    """``similarity(query, other).score`` for every one of ``others``, rounded as it rounds.
    ``dense_row``: an article's vector as the fusion compares it (``DenseRows``), kept by a
    caller that scores the same candidates again and again."""
    return scores_and_lexical(query, others, fusion, cal, dense_row)[0]


def scores_and_lexical(
    query: CompactRepresentation,
    others: Sequence[CompactRepresentation],
    fusion: Fusion | None = None,
    cal: Calibration | None = None,
    dense_row: Callable[[CompactRepresentation], np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``scores``, and the lexical scores alone (what ``scores`` gives for ``query`` without its
    vector), both rounded: each row is computed on its own, so the lexical score of any subset
    of ``others`` is that subset of these."""
    cal = cal or calibration()
    n = len(others)
    if n == 0:
        return np.zeros(0), np.zeros(0)
    cosines = group_cosines(query, others)
    table = _group_weights(cal)
    # Per language of the others, not per other: an article's candidates are in a few languages.
    languages: dict[str | None, int] = {}
    code = np.fromiter((languages.setdefault(o.language, len(languages)) for o in others), dtype=np.intp, count=n)
    pair_types = [cal.pair_type(query.language, language) for language in languages]
    per_language = [
        table[(t, cal.cross_scripts(query.language, language))]
        for t, language in zip(pair_types, languages, strict=True)
    ]
    same = np.array([t == "same" for t in pair_types], dtype=bool)[code]
    weight = np.stack([row[0] for row in per_language])[code]
    multiplier = np.stack([row[1] for row in per_language])[code]
    raw = (weight * np.minimum(cosines * multiplier, np.where(multiplier > 1, 1.0, np.inf))).sum(axis=1)
    raw = np.maximum(raw, 0.0)
    curved = np.empty(n)
    for pair_type, rows in (("same", same), ("cross", ~same)):
        if rows.any():
            curve = cal.curves[pair_type]
            curved[rows] = np.interp(raw[rows], curve.xs, curve.ys)
    score: np.ndarray = (1.0 - TIE_BREAK) * curved + TIE_BREAK * raw / (1.0 + raw)
    score *= _time_factors(query, others, cal)
    score = np.clip(score, 0.0, 1.0)
    lexical = np.round(score, 6)
    if query.vector is None:
        return lexical, lexical
    return np.round(_fuse(score, query, others, fusion or _DEFAULT_FUSION, dense_row), 6), lexical


def _time_factors(
    query: CompactRepresentation, others: Sequence[CompactRepresentation], cal: Calibration
) -> np.ndarray:
    here = _ordinal(query.published)
    there = np.fromiter((_ordinal(o.published) for o in others), dtype=np.float64, count=len(others))
    gap = np.abs(there - here)  # NaN where either date is unknown: no penalty
    grace, scale = cal.time_grace_days, cal.time_scale_days
    with np.errstate(invalid="ignore"):
        late = gap > grace
    share = np.log1p(np.where(late, gap - grace, 0.0) / scale) / math.log1p((_YEAR_DAYS - grace) / scale)
    return np.where(late, 1.0 - cal.time_depth * np.minimum(1.0, share), 1.0)


def dense_row(rep: CompactRepresentation, fusion: Fusion) -> np.ndarray:
    """``rep``'s vector as ``_fuse`` compares it: float64, centered on its language's mean (and
    re-normalized) when the fusion has means. Row by row, so one row alone is the same row."""
    assert rep.vector is not None
    row = np.asarray(rep.vector, dtype=np.float64)[None, :]
    if fusion.centering is not None:
        row = fusion.centering.center(row, [rep.language])
    out: np.ndarray = row[0]
    return out


class DenseRows:
    """``dense_row`` kept per article id, for as long as the mean of its language stays as it is
    (the owner calls ``clear`` with the fusion whose means moved)."""

    LIMIT = 20_000  # rows kept (3 KB each at 384 dimensions); the candidates are mostly recent articles

    def __init__(self, fusion: Fusion) -> None:
        self.fusion = fusion
        self.rows: dict[str, tuple[np.ndarray, str | None]] = {}
        self._means: dict[str | None, np.ndarray] = {}  # language -> the mean its rows are centered on

    def clear(self, fusion: Fusion) -> None:
        """Forget the rows whose language's mean changed (all of them for other means)."""
        centering = fusion.centering
        if centering is None or centering is not self.fusion.centering or len(self.rows) > self.LIMIT:
            self.rows.clear()
            self._means.clear()
        else:
            moved = {
                language for language, mean in self._means.items() if not np.array_equal(mean, centering.mean(language))
            }
            if moved:
                self.rows = {key: row for key, row in self.rows.items() if row[1] not in moved}
                for language in moved:
                    del self._means[language]
        self.fusion = fusion

    def __call__(self, rep: CompactRepresentation) -> np.ndarray:
        found = self.rows.get(rep.article_id)
        if found is not None:
            return found[0]
        row = dense_row(rep, self.fusion)
        self.rows[rep.article_id] = (row, rep.language)
        if self.fusion.centering is not None and rep.language not in self._means:
            self._means[rep.language] = self.fusion.centering.mean(rep.language)
        return row


def _fuse(
    lexical: np.ndarray,
    query: CompactRepresentation,
    others: Sequence[CompactRepresentation],
    fusion: Fusion,
    dense: Callable[[CompactRepresentation], np.ndarray] | None = None,
) -> np.ndarray:
    """The dense cosine combined in (``encode.fusion.combine``) where both articles carry a vector,
    each vector centered on its language's mean when the fusion has means."""
    assert query.vector is not None
    has = np.array([o.vector is not None and len(o.vector) == len(query.vector) for o in others], dtype=bool)
    if not has.any():
        return lexical
    row_of = dense or (lambda rep: dense_row(rep, fusion))
    matrix = np.stack([row_of(query), *(row_of(o) for o, h in zip(others, has, strict=True) if h)])
    norms = np.linalg.norm(matrix, axis=1)
    q, others_matrix, q_norm, others_norms = matrix[0], matrix[1:], norms[0], norms[1:]
    valid = (others_norms > 0) & (q_norm > 0)
    cosine = np.where(valid, others_matrix @ q / np.where(valid, others_norms * q_norm, 1.0), np.nan)
    fused = combine(lexical[has], cosine, fusion.weight, fusion.low, fusion.high)
    out = lexical.copy()
    out[has] = np.where(np.isnan(cosine), lexical[has], fused)
    return out
