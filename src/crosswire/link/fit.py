"""Fit the link calibration on graded pairs (SemEval-2022 Task 8 format) and write it as data.

    python -m crosswire.link.fit ../shared/data/semeval2022-task8/pairs-dev.csv

Per pair type ('same' language or 'cross'): non-negative group weights by least squares on the
target (4 - Overall) / 3, then an isotonic (pool-adjacent-violators) curve from the raw score to the
target, kept as a dozen knots; then the level thresholds that best agree (quadratic-weighted kappa)
with the rounded Overall. Only native pairs are used (ids without a language suffix: the others
are machine translations of English pairs). Settings that the file cannot tell (scripts, the
cross-script factor and floors, the time penalty) are carried over from the current calibration.

It reports the Pearson correlation of the score with -Overall, overall and per language pair: on
the whole file (fitted and scored on the same pairs) and held out (5 folds of every fifth pair,
each scored by a calibration fitted on the other four).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from crosswire.analyze import analyze_batch
from crosswire.link.calibration import Calibration, Curve, calibration, squash
from crosswire.link.overlap import group_cosines
from crosswire.link.similarity import calibrated_score
from crosswire.represent import GROUPS, feature_keys, represent_batch
from crosswire.types import Article, Representation

_NATIVE_PAIR = re.compile(r"\d+_\d+")
_MAX_KNOTS = 12
_PAIRS_PER_KNOT = 15  # fewer pairs, fewer knots: a small sample cannot support a detailed curve
_SWEEPS = 300
_RIDGE = 1e-3
FOLDS = 5


def nonnegative_least_squares(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Weights >= 0 and a free intercept minimizing squared error (coordinate descent)."""
    n, k = x.shape
    w = np.zeros(k)
    intercept = float(y.mean())
    squares = (x * x).sum(axis=0) + _RIDGE * n
    for _ in range(_SWEEPS):
        residual = y - x @ w - intercept
        for j in range(k):
            if squares[j] == 0:
                continue
            residual += x[:, j] * w[j]
            w[j] = max(0.0, float(x[:, j] @ residual) / squares[j])
            residual -= x[:, j] * w[j]
        intercept += float(residual.mean())
    return w, intercept


def isotonic(x: np.ndarray, y: np.ndarray) -> Curve:
    """Pool-adjacent-violators fit of y on x, summarized at quantile knots."""
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    blocks: list[list[float]] = []  # [sum, count]
    for value in ys:
        blocks.append([float(value), 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    fitted = np.concatenate([np.full(int(c), s / c) for s, c in blocks])
    knots = max(3, min(_MAX_KNOTS, len(xs) // _PAIRS_PER_KNOT))
    knots_x = np.unique(np.quantile(xs, np.linspace(0, 1, knots)))
    knots_y = np.interp(knots_x, xs, fitted)
    return Curve(tuple(round(float(v), 5) for v in knots_x), tuple(round(float(v), 4) for v in knots_y))


def weighted_kappa(truth: np.ndarray, predicted: np.ndarray) -> float:
    """Quadratic-weighted Cohen's kappa of two level arrays (1..4)."""
    observed = np.zeros((4, 4))
    for t, p in zip(truth, predicted, strict=False):
        observed[t - 1, p - 1] += 1
    expected = np.outer(observed.sum(1), observed.sum(0)) / max(1.0, observed.sum())
    grid = np.arange(4)
    penalty = (grid[:, None] - grid[None, :]) ** 2 / 9.0
    denominator = (penalty * expected).sum()
    return 1.0 - (penalty * observed).sum() / denominator if denominator else 0.0


def fit_levels(score: np.ndarray, overall: np.ndarray) -> tuple[float, float, float]:
    """Thresholds t1 > t2 > t3 on the score, chosen for the best weighted kappa against the
    rounded Overall (coordinate search from the scale's midpoints)."""
    truth = np.clip(np.floor(overall + 0.5).astype(int), 1, 4)
    grid = np.round(np.arange(0.02, 0.99, 0.01), 2)
    cuts = [5 / 6, 1 / 2, 1 / 6]

    def kappa(c: Sequence[float]) -> float:
        predicted = np.where(score >= c[0], 1, np.where(score >= c[1], 2, np.where(score >= c[2], 3, 4)))
        return weighted_kappa(truth, predicted)

    for _ in range(4):
        for i in range(3):
            upper = cuts[i - 1] if i > 0 else 1.0
            lower = cuts[i + 1] if i < 2 else 0.0
            options = [v for v in grid if lower < v < upper]
            cuts[i] = max(options, key=lambda v: kappa([*cuts[:i], v, *cuts[i + 1 :]]))
    return (round(float(cuts[0]), 2), round(float(cuts[1]), 2), round(float(cuts[2]), 2))


def fit(
    pairs: Sequence[tuple[Representation, Representation]], overall: Sequence[float], base: Calibration
) -> Calibration:
    """A calibration fitted on representation pairs and their Overall grades (1..4)."""
    grades = np.asarray(overall, dtype=float)
    target = (4.0 - grades) / 3.0
    types = np.array([base.pair_type(a.language, b.language) for a, b in pairs])
    rows = []
    for a, b in pairs:
        cosines = base.scaled(group_cosines(a.features, b.features), base.cross_scripts(a.language, b.language))
        rows.append([cosines.get(g, 0.0) for g in GROUPS])
    x = np.array(rows)
    weights: dict[str, dict[str, float]] = {}
    curves: dict[str, Curve] = {}
    score = np.zeros(len(pairs))
    for pair_type in ("same", "cross"):
        mask = types == pair_type
        if not mask.any():
            weights[pair_type], curves[pair_type] = base.weights[pair_type], base.curves[pair_type]
        else:
            # Only the groups that earn their place on held-out pairs get a weight; the others
            # stay evidence for reasons.
            columns = [GROUPS.index(g) for g in base.fit_groups[pair_type]]
            w = np.zeros(len(GROUPS))
            w[columns], _ = nonnegative_least_squares(x[mask][:, columns], target[mask])
            weights[pair_type] = {g: round(float(v), 4) for g, v in zip(GROUPS, w, strict=False)}
            curves[pair_type] = isotonic(x[mask] @ w, target[mask])
        for i in np.flatnonzero(mask):
            score[i] = squash(curves[pair_type], float(x[i] @ np.array([weights[pair_type][g] for g in GROUPS])))
    return replace(base, weights=weights, curves=curves, levels=fit_levels(score, grades))


def held_out_scores(
    pairs: Sequence[tuple[Representation, Representation]],
    overall: Sequence[float],
    base: Calibration,
    folds: int = FOLDS,
) -> np.ndarray:
    """Each pair's score under a calibration fitted without its fold (every ``folds``-th pair)."""
    fold = np.arange(len(pairs)) % folds
    scores = np.zeros(len(pairs))
    for k in range(folds):
        train = np.flatnonzero(fold != k).tolist()  # ints: the pairs are a Sequence, not an array
        fitted = fit([pairs[i] for i in train], [overall[i] for i in train], base)
        for i in np.flatnonzero(fold == k).tolist():
            scores[i] = calibrated_score(pairs[i][0], pairs[i][1], fitted)
    return scores


def pearson_by_language(rows: Sequence[dict[str, str]], scores: Sequence[float] | np.ndarray) -> dict[str, float]:
    """Pearson of score against -Overall over all rows and per language pair ('de-en', 'de')."""
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        pair = sorted({row["lang1"], row["lang2"]})
        groups.setdefault("-".join(pair), []).append(i)
    x = np.asarray(scores, dtype=float)
    y = -np.array([float(row["Overall"]) for row in rows])

    def pearson(index: Sequence[int]) -> float:
        if len(index) < 3 or x[index].std() == 0:
            return float("nan")
        return float(np.corrcoef(x[index], y[index])[0, 1])

    return {"all": pearson(range(len(rows)))} | {key: pearson(index) for key, index in sorted(groups.items())}


def read_pairs(path: Path) -> list[dict[str, str]]:
    """Native rows of a SemEval-2022 Task 8 pairs file."""
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if _NATIVE_PAIR.fullmatch(row["pair_id"])]


def represent_pairs(rows: Sequence[dict[str, str]]) -> list[tuple[Representation, Representation]]:
    """Analyze and represent both sides of each row, with document frequencies over the file."""
    articles: dict[str, Article] = {}
    for row in rows:
        for side, article_id in zip("12", row["pair_id"].split("_"), strict=False):
            language = row[f"lang{side}"]
            articles.setdefault(
                f"{article_id}:{language}",
                Article(
                    id=f"{article_id}:{language}",
                    source="semeval",
                    title=None,
                    text=row[f"text{side}"],
                    language=language,
                    published=None,
                ),
            )
    analyses = analyze_batch(articles.values())
    df: Counter[str] = Counter()
    for analysis in analyses:
        df.update(feature_keys(analysis))
    reps = {r.article_id: r for r in represent_batch(analyses, df, len(analyses))}
    return [
        (reps[f"{ida}:{row['lang1']}"], reps[f"{idb}:{row['lang2']}"])
        for row in rows
        for ida, idb in [row["pair_id"].split("_")]
    ]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    rows = read_pairs(Path(args[0]))
    pairs, overall = represent_pairs(rows), [float(r["Overall"]) for r in rows]
    fitted = fit(pairs, overall, calibration())
    whole = pearson_by_language(rows, [calibrated_score(a, b, fitted) for a, b in pairs])
    held = pearson_by_language(rows, held_out_scores(pairs, overall, calibration()))
    counts = Counter("-".join(sorted({r["lang1"], r["lang2"]})) for r in rows)
    print(f"Pearson with -Overall     held out ({FOLDS} folds)   whole file   pairs")
    for key in whole:
        print(f"  {key:<22} {held[key]:>17.3f} {whole[key]:>12.3f} {counts.get(key, len(rows)):>7}")
    target = Path(__file__).resolve().parent.parent / "data" / "link_calibration.json"
    data = {"_about": "Written by crosswire.link.fit; see crosswire.link.calibration.", **fitted.to_json()}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = re.sub(r"\[\s+(-?[\d.]+),\s+(-?[\d.]+)\s+\]", r"[\1, \2]", text)  # one knot per line
    target.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {target} from {len(rows)} pairs: levels {fitted.levels}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
