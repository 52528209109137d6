"""Distinctive words of one group of texts against another: the log-odds ratio with an
informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", section 3.5).

For a word w used y_i times among the n_i words of the focus and y_j times among the n_j words
of the rest, with prior pseudo-counts a_w summing to a_0:

    delta_w = log((y_i + a_w) / (n_i + a_0 - y_i - a_w)) - log((y_j + a_w) / (n_j + a_0 - y_j - a_w))
    var_w  ~= 1 / (y_i + a_w) + 1 / (y_j + a_w)
    z_w     = delta_w / sqrt(var_w)

The prior is informative: a_w is proportional to how common w is in a reference (the story's
coverage as a whole and, when the caller has them, the store's counts), so a word used once by
one side has a small a_w, a wide variance and a small z: rare words do not dominate, and a
frequent word one side stresses does. Pure functions over counts; no store, no I/O.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# The prior's total weight as a share of the focus and rest together: 1 makes it as strong as
# the data. Weaker priors let one-off words through; on the tgnews stories (docs/stories.md,
# "Framing") 0.5 to 2 gave the same top words.
PRIOR_STRENGTH = 1.0
_REFERENCE_SHARE = 0.5  # of the prior that follows the reference rather than the compared words


@dataclass(frozen=True, slots=True)
class Scored:
    word: str
    z: float
    count: int  # uses by the focus
    rest: int  # uses by the rest


@dataclass(frozen=True, slots=True)
class InformativePrior:
    """The prior over one collection of words (the focus and rest together): pseudo-counts a_w
    summing to ``a_0 = strength * size``, half in proportion to the collection's own counts, half
    to a reference (word -> count, any scale, e.g. how many stored articles use it) whose sum over
    the collection is ``reference_total``. The first half keeps every a_w at least half the word's
    own count, so a word the reference lacks (a name, a foreign word) is not taken as rare
    evidence; the second shrinks words common everywhere.

    Made once per collection; ``pseudo_counts`` then costs only the words asked for, so many
    small focuses are scored against one large collection at the cost of their own words."""

    words: Counter[str]
    size: int  # sum of ``words``
    reference_total: float
    strength: float = PRIOR_STRENGTH

    @property
    def a_0(self) -> float:
        return self.strength * self.size

    def pseudo_counts(self, reference: Mapping[str, float], keys: Iterable[str]) -> dict[str, float]:
        """a_w for each of ``keys`` (``reference`` need hold only those)."""
        if not self.size:
            return {}
        r = self.reference_total
        share = _REFERENCE_SHARE if r > 0 else 0.0
        own = self.a_0 * (1 - share) / self.size
        cited = self.a_0 * share / r if r > 0 else 0.0
        get = self.words.get
        return {w: own * get(w, 0) + cited * max(float(reference.get(w, 0.0)), 0.0) for w in keys}


def informative_prior(
    reference: Mapping[str, float], words: Counter[str], strength: float = PRIOR_STRENGTH
) -> dict[str, float]:
    """``InformativePrior``'s pseudo-counts for every word of ``words``."""
    total = sum(max(float(reference.get(w, 0.0)), 0.0) for w in words)
    return InformativePrior(words, sum(words.values()), total, strength).pseudo_counts(reference, words)


def log_odds_z(focus: Counter[str], rest: Counter[str], prior: Mapping[str, float]) -> list[Scored]:
    """The z-score of every word of ``focus`` (its log-odds against ``rest`` under ``prior``),
    highest first; ties by more uses, then by the word. Words without a prior are skipped."""
    return log_odds_within(focus, focus + rest, prior)


def log_odds_within(
    focus: Counter[str], total: Counter[str], prior: Mapping[str, float], a_0: float | None = None
) -> list[Scored]:
    """``log_odds_z`` with the rest given as ``total - focus`` (``focus`` is part of ``total``):
    many groups of one collection are scored against the rest at the cost of their own words."""
    n_i = sum(focus.values())
    n_j = sum(total.values()) - n_i
    a_0 = sum(prior.values()) if a_0 is None else a_0
    found = []
    for word, y_i in focus.items():
        a_w = prior.get(word, 0.0)
        if a_w <= 0:
            continue
        y_j = total.get(word, 0) - y_i
        delta = math.log((y_i + a_w) / (n_i + a_0 - y_i - a_w)) - math.log((y_j + a_w) / (n_j + a_0 - y_j - a_w))
        z = delta / math.sqrt(1 / (y_i + a_w) + 1 / (y_j + a_w))
        found.append(Scored(word, z, y_i, y_j))
    found.sort(key=lambda s: (-s.z, -s.count, s.word))
    return found


def distinctive(
    focus: Counter[str],
    rest: Counter[str],
    reference: Mapping[str, float] | None = None,
    *,
    limit: int = 20,
    strength: float = PRIOR_STRENGTH,
) -> list[Scored]:
    """The ``limit`` words the focus uses more than the rest (z > 0), most distinctive first."""
    prior = informative_prior(reference or {}, focus + rest, strength)
    return [s for s in log_odds_z(focus, rest, prior) if s.z > 0][:limit]
