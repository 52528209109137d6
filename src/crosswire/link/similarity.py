"""Pairwise similarity of two representations: a calibrated score, a SemEval-2022 Task 8 level
and the shared evidence behind it."""

from __future__ import annotations

from collections.abc import Iterable, Set

from crosswire.encode.fusion import Fusion, cosine_to_unit
from crosswire.link.calibration import Calibration, calibration
from crosswire.link.overlap import group_cosines, shared_keys
from crosswire.link.reasons import shared_reasons
from crosswire.link.timegap import gap_days, time_factor
from crosswire.types import Reason, Representation, Similarity


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
    lexical = score = calibrated_score(a, b, cal, shared)
    cosine = None
    if a.vector is not None and b.vector is not None:
        fusion = fusion or _DEFAULT_FUSION
        cosine = fusion.cosine(a, b)
        score = fusion.apply(lexical, cosine)
    reasons = shared_reasons(a, b, cal.reason_weights, shared) if with_reasons else ()
    if with_reasons and cosine is not None:
        reasons = _with_content(reasons, cosine, lexical, fusion or _DEFAULT_FUSION)
    return Similarity(score=round(score, 6), level=cal.level(score), reasons=reasons)


def _with_content(reasons: tuple[Reason, ...], cosine: float, lexical: float, fusion: Fusion) -> tuple[Reason, ...]:
    """The encoder's evidence as a reason ("similar content", with the centered cosine): first
    when it weighs more than all the shared keys together (the decision rested on meaning, as
    for a translation into another script), else after the names, places, dates and numbers."""
    dense = fusion.weight * cosine_to_unit(cosine, fusion.low, fusion.high)
    if dense <= 0.0:
        return reasons
    said = f"cosine {cosine:.2f}"
    content = Reason(kind="content", key="similar content", a=said, b=said, weight=round(dense, 4))
    if dense >= lexical:
        return (content, *reasons)
    terms = next((i for i, reason in enumerate(reasons) if reason.kind == "term"), len(reasons))
    return (*reasons[:terms], content, *reasons[terms:])


def similarity_many(
    a: Representation, others: Iterable[Representation], *, with_reasons: bool = False
) -> list[Similarity]:
    """``similarity`` of one article against many (reasons off by default: scoring candidates
    is the hot loop, reasons are for the few a person looks at)."""
    return [similarity(a, b, with_reasons=with_reasons) for b in others]
