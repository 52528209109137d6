"""The figures: Pearson correlation, and rank-based retrieval metrics (P@1, MRR)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r, or None where it is undefined (fewer than 3 points, or a constant side)."""
    if len(xs) != len(ys):
        raise ValueError("pearson needs two sequences of the same length")
    if len(xs) < 3:
        return None
    x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    if float(np.std(x)) == 0.0 or float(np.std(y)) == 0.0:
        return None
    r = float(np.corrcoef(x, y)[0, 1])
    return None if math.isnan(r) else r


def rank_of(scores: Sequence[float], true_index: int) -> int:
    """1-based rank of ``scores[true_index]`` among ``scores``, higher first. Ties count against
    the true item: a candidate scoring the same ranks before it, so a scorer that gives every
    candidate the same score gets no credit."""
    true = scores[true_index]
    return 1 + sum(1 for j, score in enumerate(scores) if j != true_index and score >= true)


@dataclass
class Ranked:
    """Running P@1 and MRR over queries, from the rank of each query's true target."""

    n: int = 0
    hits: int = 0
    reciprocal: float = 0.0

    def add(self, rank: int) -> None:
        self.n += 1
        self.hits += rank == 1
        self.reciprocal += 1.0 / rank

    @property
    def p_at_1(self) -> float | None:
        return self.hits / self.n if self.n else None

    @property
    def mrr(self) -> float | None:
        return self.reciprocal / self.n if self.n else None
