"""The fitted numbers that turn group cosines into a calibrated score and a level, kept as data
(``crosswire/data/link_calibration.json``, written by ``crosswire.link.fit``).

A pair is 'same' (one language) or 'cross'. Its raw score is a weighted sum of the per-group cosines
(on SemEval pairs the character n-grams carry nearly all the signal: names, places and dates add
little beyond them, so only ``fit_groups`` get weights; all groups give reasons). Across scripts the
lexical groups ('t', 'g') meet far less even for a translation (transliterated n-grams of English
and Russian share little), so their cosines are first scaled by ``cross_script``; and numbers,
dates and places, which a translation keeps whatever its script, are then much of what two texts
share, so ``script_floors`` are the least weight those groups get in a pair of two scripts (the
graded pairs hold no such pair: the floors are set by hand on ``crosswire eval retrieval``). A monotone
piecewise-linear curve per pair type maps raw to the expected similarity on a 0..1 scale ((4 -
Overall) / 3 in SemEval terms); thresholds on that cut levels. The curve is flat in places (and
beyond its end knots), so a small share of the score (``TIE_BREAK``) is a strictly increasing
squash of raw: of two candidates the one with more evidence always scores higher (ranking a
document's translation among near-copies must not end in ties at the top of the curve).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

LEXICAL_GROUPS = frozenset("tg")
TIE_BREAK = 0.02


def squash(curve: Curve, raw: float) -> float:
    """The score of a raw value: mostly the curve, plus a strictly increasing tie-break."""
    raw = max(0.0, raw)
    return (1.0 - TIE_BREAK) * curve(raw) + TIE_BREAK * raw / (1.0 + raw)


@dataclass(frozen=True, slots=True)
class Curve:
    """A monotone piecewise-linear map, flat beyond its end knots."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]

    def __call__(self, x: float) -> float:
        i = bisect_right(self.xs, x)
        if i == 0:
            return self.ys[0]
        if i == len(self.xs):
            return self.ys[-1]
        x0, x1, y0, y1 = self.xs[i - 1], self.xs[i], self.ys[i - 1], self.ys[i]
        return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


@dataclass(frozen=True, slots=True)
class Calibration:
    weights: dict[str, dict[str, float]]  # pair type -> group -> weight
    fit_groups: dict[str, str]  # pair type -> the groups ``fit`` may weight
    script_floors: dict[str, float]  # group -> least weight in a pair of two scripts
    reason_weights: dict[str, float]  # group -> how much its shared keys count as reasons
    curves: dict[str, Curve]  # pair type -> raw -> score
    levels: tuple[float, float, float]  # score thresholds of levels 1, 2, 3
    cross_script: float
    scripts: dict[str, str]  # language -> script (others: Latin)
    time_grace_days: float
    time_scale_days: float
    time_depth: float

    def pair_type(self, a: str | None, b: str | None) -> str:
        return "same" if a is not None and a == b else "cross"

    def scaled(self, cosines: dict[str, float], cross_script: bool) -> dict[str, float]:
        """Group cosines with the lexical ones scaled up for a pair of different scripts."""
        if not cross_script:
            return cosines
        return {g: min(1.0, v * self.cross_script) if g in LEXICAL_GROUPS else v for g, v in cosines.items()}

    def raw(self, cosines: dict[str, float], pair_type: str, cross_script: bool) -> float:
        weights = self.weights[pair_type]
        if cross_script and self.script_floors:
            weights = weights | {g: max(weights.get(g, 0.0), w) for g, w in self.script_floors.items()}
        return sum(weights.get(g, 0.0) * v for g, v in self.scaled(cosines, cross_script).items())

    def score(self, raw: float, pair_type: str) -> float:
        """The calibrated score of a raw value (before the time penalty)."""
        return squash(self.curves[pair_type], raw)

    def cross_scripts(self, a: str | None, b: str | None) -> bool:
        return self.scripts.get(a or "", "Latn") != self.scripts.get(b or "", "Latn")

    def level(self, score: float) -> int:
        for level, threshold in enumerate(self.levels, start=1):
            if score >= threshold:
                return level
        return 4

    def to_json(self) -> dict[str, Any]:
        by_script: dict[str, list[str]] = {}
        for language, script in sorted(self.scripts.items()):
            by_script.setdefault(script, []).append(language)
        return {
            "weights": self.weights,
            "fit_groups": self.fit_groups,
            "script_floors": self.script_floors,
            "reason_weights": self.reason_weights,
            "curves": {t: [[x, y] for x, y in zip(c.xs, c.ys, strict=False)] for t, c in self.curves.items()},
            "levels": list(self.levels),
            "cross_script": self.cross_script,
            "scripts": by_script,
            "time": {
                "grace_days": self.time_grace_days,
                "scale_days": self.time_scale_days,
                "depth": self.time_depth,
            },
        }


def from_json(data: dict[str, Any]) -> Calibration:
    levels = data["levels"]
    return Calibration(
        weights={t: {g: float(w) for g, w in ws.items()} for t, ws in data["weights"].items()},
        fit_groups=dict(data["fit_groups"]),
        script_floors={g: float(w) for g, w in data.get("script_floors", {}).items()},
        reason_weights={g: float(w) for g, w in data["reason_weights"].items()},
        curves={
            t: Curve(tuple(x for x, _ in knots), tuple(y for _, y in knots)) for t, knots in data["curves"].items()
        },
        levels=(float(levels[0]), float(levels[1]), float(levels[2])),
        cross_script=float(data["cross_script"]),
        scripts={lang: script for script, langs in data["scripts"].items() for lang in langs},
        time_grace_days=float(data["time"]["grace_days"]),
        time_scale_days=float(data["time"]["scale_days"]),
        time_depth=float(data["time"]["depth"]),
    )


@lru_cache(maxsize=1)
def calibration() -> Calibration:
    """The packaged calibration, read once per process."""
    text = files("crosswire").joinpath("data", "link_calibration.json").read_text(encoding="utf-8")
    return from_json(json.loads(text))
