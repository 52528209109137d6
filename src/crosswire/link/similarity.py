"""Pairwise similarity of two representations: a calibrated score, a SemEval-2022 Task 8 level
and the shared evidence behind it."""

from __future__ import annotations

from collections.abc import Iterable, Set

from crosswire.encode.fusion import Fusion, dense_cosine
from crosswire.link.calibration import Calibration, calibration
from crosswire.link.overlap import group_cosines, shared_keys
from crosswire.link.reasons import shared_reasons
from crosswire.link.timegap import gap_days, time_factor
from crosswire.types import Representation, Similarity


def calibrated_score(a: Representation, b: Representation, cal: Calibration, shared: Set[str] | None = None) -> float:
    """The score of a pair under a given calibration (``similarity`` uses the packaged one)."""
    pair_type = cal.pair_type(a.language, b.language)
    cosines = group_cosines(a.features, b.features, shared)
    raw = cal.raw(cosines, pair_type, cal.cross_scripts(a.language, b.language))
    score = cal.score(raw, pair_type)
    gap = gap_days(a.published, b.published)
    score *= time_factor(gap, cal.time_grace_days, cal.time_scale_days, cal.time_depth)
    return min(1.0, max(0.0, score))


_DEFAULT_FUSION = Fusion()


def similarity(
    a: Representation, b: Representation, *, with_reasons: bool = True, fusion: Fusion | None = None
) -> Similarity:
    """How close two articles are: ``score`` in 0..1, ``level`` 1 (very similar) .. 4 (very
    dissimilar), and the strongest shared evidence (skipped when ``with_reasons`` is false).
    When both articles carry dense vectors their cosine is mixed in by ``fusion``."""
    cal = calibration()
    shared = shared_keys(a.features, b.features)
    score = calibrated_score(a, b, cal, shared)
    if a.vector is not None and b.vector is not None:
        score = (fusion or _DEFAULT_FUSION).apply(score, dense_cosine(a, b))
    reasons = shared_reasons(a, b, cal.reason_weights, shared) if with_reasons else ()
    return Similarity(score=round(score, 6), level=cal.level(score), reasons=reasons)


def similarity_many(
    a: Representation, others: Iterable[Representation], *, with_reasons: bool = False
) -> list[Similarity]:
    """``similarity`` of one article against many (reasons off by default: scoring candidates
    is the hot loop, reasons are for the few a person looks at)."""
    return [similarity(a, b, with_reasons=with_reasons) for b in others]
