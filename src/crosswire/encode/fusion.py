"""Combining the dense cosine with the lexical score.

The lexical score (``crosswire.link.similarity``) is a calibrated 0..1 value: shared names,
places, numbers and words. The dense evidence is the cosine of the two articles' vectors after
language centering (``crosswire.encode.centering``): each vector less its language's mean,
re-normalized. Centered, unrelated articles sit near 0 whatever the model (multilingual-e5-small
on 2,200 WMT 2024 and news items: 99th percentile 0.29 between different documents) and
translations of one document around 0.3-0.7 (median 0.46; 5th percentile 0.24). The cosine goes
through a linear ramp::

    ramp(c) = 0                          when c <= low
            = (c - low) / (high - low)   when low < c < high
            = 1                          when c >= high

and the two are combined as independent evidence (a noisy-or)::

    fused = (1 - (1 - lexical) * (1 - weight * ramp(cosine))) * gate(cosine)

so either kind of evidence alone can link two articles (a translation into another script shares
few keys; two reports of one event in one language share names the encoder may not weigh), and
together they add up. The encoder can also speak against a pair: at a centered cosine under 0.2
the fused score is scaled down, to half at 0 and below. Keys alone run high between texts that
share their script's common character n-grams and a site's byline words (23 unrelated Korean
columns of one site formed a story at lexical scores of 0.6-0.7, centered cosines -0.2 to 0.1),
while reports of one story sit higher: SemEval-2022's "very similar" pairs at 0.28 and above (5th
percentile), WMT translations at 0.15 and above (1st). The veto moved neither benchmark.

A plain weighted mean, tried first, capped a pair the lexical engine misses (ja/zh against en) at
``weight`` and kept it under the story threshold: on the WMT 2024 mix the noisy-or put stories at
B-cubed F1 0.97 where the mean reached 0.92 (docs/benchmarks.md).

Refitting for graded similarity does not pay for what it would cost the linking. On SemEval-2022
Task 8's 796 native pairs (Pearson with -Overall, 5 folds of every fifth pair, the lexical
calibration refitted inside each fold as ``crosswire.link.fit`` does) this fusion holds out at
0.748 (de-en 0.720). Refitting its constants per fold (weight, ramp, gate) reaches 0.759, at a
ramp ending at 0.8 and a harder veto that push translations under the thresholds (WMT mix:
stories B-cubed F1 0.962 to 0.913, events 0.870 to 0.566); the cosine as one more group of the
per-type least squares and isotonic curve reaches 0.772 (de-en 0.724); a monotone boosted fit
of (lexical, cosine) 0.772: no mix of these two goes far past the cosine alone (0.758). The
evidence limits it: scrapes that are a block page or a site's furniture, which the graders never
saw (16 pairs; 0.791 without them), and de-en, where the 128-token ``query`` vector ranks pairs
less well than a 256-token ``passage`` one (0.713 against 0.786 alone).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from crosswire.encode.centering import LanguageCentering
from crosswire.errors import CrosswireError
from crosswire.types import Representation

DENSE_WEIGHT = 1.0
# The ramp over the centered cosine (see the module docstring for where these sit).
COSINE_LOW = 0.10
COSINE_HIGH = 0.60
# The encoder's veto: below GATE_HIGH the fused score is scaled down, to GATE_FLOOR at GATE_LOW
# and under (see the module docstring).
GATE_LOW = 0.0
GATE_HIGH = 0.20
GATE_FLOOR = 0.5


@dataclass(frozen=True, slots=True)
class Fusion:
    """How a dense cosine is combined with the lexical score (see the module docstring), and the
    language means its cosines are centered on (none: raw cosines)."""

    weight: float = DENSE_WEIGHT
    low: float = COSINE_LOW
    high: float = COSINE_HIGH
    centering: LanguageCentering | None = field(default=None, compare=False)

    def with_centering(self, centering: LanguageCentering | None) -> Fusion:
        return Fusion(self.weight, self.low, self.high, centering)

    def cosine(self, a: Representation, b: Representation) -> float | None:
        """The (centered) cosine of two articles' vectors; None when either has none."""
        if self.centering is None or a.vector is None or b.vector is None:
            return dense_cosine(a, b)
        if len(a.vector) != len(b.vector):
            dense_cosine(a, b)  # raises the error that names both
        pair = self.centering.center(np.stack([a.vector, b.vector]), [a.language, b.language])
        if not pair[0].any() or not pair[1].any():
            return None
        return float(np.clip(pair[0] @ pair[1], -1.0, 1.0))

    def apply(self, lexical: float, cosine: float | None) -> float:
        return fuse(lexical, cosine, self.weight, low=self.low, high=self.high)


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
    """``(1 - (1 - lexical) * (1 - weight * ramp(dense_cosine))) * gate(dense_cosine)``, in 0..1.
    Without a cosine (``None``: an article has no vector) the lexical score is returned unchanged."""
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"weight must be in 0..1, got {weight}")
    lexical = min(1.0, max(0.0, lexical))
    if dense_cosine is None:
        return lexical
    cosine_to_unit(dense_cosine, low, high)  # checks the ramp
    return float(combine(np.array(lexical), np.array(dense_cosine), weight, low, high))


def combine(lexical: np.ndarray, cosine: np.ndarray, weight: float, low: float, high: float) -> np.ndarray:
    """``fuse`` over arrays (lexical scores in 0..1, cosines), as the cluster writer scores."""
    ramp = np.clip((cosine - low) / (high - low), 0.0, 1.0)
    combined: np.ndarray = np.clip((1.0 - (1.0 - lexical) * (1.0 - weight * ramp)) * gate(cosine, weight), 0.0, 1.0)
    return combined


def gate(cosine: np.ndarray, weight: float = DENSE_WEIGHT) -> np.ndarray:
    """The share of the fused score the encoder lets stand: 1 from ``GATE_HIGH`` up, down to
    ``GATE_FLOOR`` at ``GATE_LOW`` and under (less so as ``weight`` falls; none at 0)."""
    opened = np.clip((cosine - GATE_LOW) / (GATE_HIGH - GATE_LOW), 0.0, 1.0)
    share: np.ndarray = 1.0 - weight * (1.0 - GATE_FLOOR) * (1.0 - opened)
    return share


def dense_cosine(a: Representation, b: Representation) -> float | None:
    """The raw cosine of the two articles' vectors, in -1..1; ``None`` when either has no vector
    (or a zero one). Vectors of different lengths come from different models and raise
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
