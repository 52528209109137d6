"""Scoring, levels, time gaps, reasons and the calibration fit, on hand-made representations."""

from __future__ import annotations

import numpy as np
import pytest

from crosswire.link import similarity, similarity_many
from crosswire.link.calibration import Curve, calibration, from_json
from crosswire.link.fit import (
    fit_levels,
    held_out_scores,
    isotonic,
    nonnegative_least_squares,
    pearson_by_language,
    weighted_kappa,
)
from crosswire.link.overlap import group_cosines
from crosswire.link.reasons import MAX_REASONS
from crosswire.link.timegap import gap_days, time_factor
from crosswire.types import Representation


def _rep(
    features: dict[str, float],
    language: str | None = "uk",
    published: str | None = None,
    surfaces: dict[str, str] | None = None,
) -> Representation:
    return Representation("x", language, published, features, surfaces or {})


STORY = {"e:lvrv": 0.8, "e:rau": 0.6, "o:nato": 1.0, "p:US": 1.0, "g:^nat": 0.6, "g:nato": 0.6, "g:ato$": 0.529}


def test_identical_articles_are_level_one() -> None:
    result = similarity(_rep(STORY), _rep(STORY))
    assert result.level == 1
    assert 0.0 <= result.score <= 1.0


def test_nothing_shared_is_level_four() -> None:
    result = similarity(_rep(STORY), _rep({"e:ptn": 1.0, "g:^put": 1.0}))
    assert (result.score, result.level, result.reasons) == (calibration().score(0.0, "same"), 4, ())


def test_a_gap_of_months_lowers_the_score() -> None:
    day_apart = similarity(_rep(STORY, published="2022-02-15"), _rep(STORY, published="2022-02-16"))
    months_apart = similarity(_rep(STORY, published="2022-02-15"), _rep(STORY, published="2022-07-15"))
    undated = similarity(_rep(STORY), _rep(STORY, published="2022-07-15"))
    assert months_apart.score < day_apart.score == undated.score


def test_time_factor_shape() -> None:
    assert time_factor(None, 3, 14, 0.3) == time_factor(2, 3, 14, 0.3) == 1.0
    factors = [time_factor(days, 3, 14, 0.3) for days in (10, 60, 200, 365, 2000)]
    assert factors == sorted(factors, reverse=True)
    assert factors[-1] == pytest.approx(0.7)


@pytest.mark.parametrize(
    "a, b, days",
    [
        ("2022-02-15", "2022-02-16T10:00:00+02:00", 1),
        ("2022-02", "2022-03-01", 28),
        ("2021", "2022", 365),
        ("2022-02-15", None, None),
        ("garbage", "2022-02-15", None),
    ],
)
def test_gap_days(a: str | None, b: str | None, days: int | None) -> None:
    assert gap_days(a, b) == days


def test_group_cosines_are_per_group_dot_products() -> None:
    cosines = group_cosines({"e:a": 0.6, "e:b": 0.8, "g:x": 1.0}, {"e:a": 1.0, "g:y": 1.0})
    assert cosines == {"e": pytest.approx(0.6)}


def test_reasons_are_shared_evidence_strongest_first_and_capped() -> None:
    many = {f"e:name{i}": 0.2 for i in range(25)}
    a = _rep(
        {**many, "e:srh_lvrv": 0.3, "e:lvrv": 0.3, "t:nato": 0.5},
        surfaces={"e:lvrv": "Лаврова", "e:srh_lvrv": "Сергія Лаврова"},
    )
    b = _rep({**many, "e:srh_lvrv": 0.3, "e:lvrv": 0.9, "t:nato": 0.5}, surfaces={"e:lvrv": "Лавров"})
    reasons = similarity(a, b).reasons
    assert len(reasons) == MAX_REASONS
    assert (reasons[0].key, reasons[0].a, reasons[0].b, reasons[0].kind) == ("lvrv", "Лаврова", "Лавров", "entity")
    assert "srh_lvrv" not in {r.key for r in reasons}  # the surname says the same
    assert "nato" not in {r.key for r in reasons}  # terms come after all names, and 15 names fill the list


def test_similarity_many_matches_similarity() -> None:
    others = [_rep(STORY), _rep({"e:lvrv": 1.0}), _rep({})]
    many = similarity_many(_rep(STORY), others)
    assert [s.score for s in many] == [similarity(_rep(STORY), o).score for o in others]
    assert all(s.reasons == () for s in many)


def test_cross_language_pairs_use_the_cross_calibration() -> None:
    cal = calibration()
    assert cal.pair_type("uk", "uk") == "same"
    assert cal.pair_type("uk", "ru") == cal.pair_type(None, None) == "cross"
    assert cal.cross_scripts("en", "ru") and not cal.cross_scripts("uk", "ru")
    assert cal.scaled({"g": 0.3, "e": 0.3}, True) == {"g": pytest.approx(0.3 * cal.cross_script), "e": 0.3}


def test_packaged_calibration_is_consistent() -> None:
    cal = calibration()
    assert cal.levels[0] > cal.levels[1] > cal.levels[2]
    assert [cal.level(s) for s in (1.0, cal.levels[1], 0.0)] == [1, 2, 4]
    for curve in cal.curves.values():
        assert list(curve.xs) == sorted(curve.xs) and list(curve.ys) == sorted(curve.ys)
    assert from_json(cal.to_json()) == cal


def test_more_evidence_always_scores_higher() -> None:
    """Beyond the curve's last knot (and on its flat stretches) the score still rises with raw:
    near-copies of a text do not tie with it."""
    cal = calibration()
    top = cal.curves["cross"].xs[-1]
    scores = [cal.score(raw, "cross") for raw in (top, top + 0.1, top + 1.0)]
    assert scores == sorted(set(scores)) and all(0.0 <= s <= 1.0 for s in scores)
    close = similarity(_rep(STORY, "de"), _rep(STORY, "en"))
    closer = similarity(_rep(STORY | {"n:88": 1.0}, "de"), _rep(STORY | {"n:88": 1.0}, "en"))
    assert closer.score >= close.score


def test_numbers_dates_and_places_count_across_scripts() -> None:
    cal = calibration()
    shared = {"n": 1.0, "d": 1.0, "p": 1.0}
    assert cal.raw(shared, "cross", True) > cal.raw(shared, "cross", False)
    assert cal.raw(shared, "cross", True) >= sum(cal.script_floors.values()) - 1e-9
    with_numbers = similarity(_rep({"g:^nat": 1.0, "n:88": 1.0}, "ja"), _rep({"g:^nat": 1.0, "n:88": 1.0}, "en"))
    without = similarity(_rep({"g:^nat": 1.0}, "ja"), _rep({"g:^nat": 1.0}, "en"))
    assert with_numbers.score > without.score


def test_curve_is_piecewise_linear_and_flat_outside() -> None:
    curve = Curve((0.0, 1.0, 2.0), (0.1, 0.5, 0.9))
    assert [curve(x) for x in (-1.0, 0.5, 1.5, 3.0)] == pytest.approx([0.1, 0.3, 0.7, 0.9])


def test_nonnegative_least_squares_recovers_weights() -> None:
    rng = np.random.default_rng(0)
    x = rng.random((300, 3))
    y = x @ np.array([2.0, 0.0, 0.5]) + 0.1 - 0.4 * x[:, 1]
    w, _intercept = nonnegative_least_squares(x, y)
    assert w[1] == 0.0
    assert w[0] == pytest.approx(2.0, abs=0.05) and w[2] == pytest.approx(0.5, abs=0.05)


def test_isotonic_curve_is_monotone() -> None:
    rng = np.random.default_rng(1)
    x = rng.random(500)
    curve = isotonic(x, np.clip(x + rng.normal(0, 0.2, 500), 0, 1))
    values = [curve(v) for v in np.linspace(0, 1, 50)]
    assert values == sorted(values)
    assert values[-1] - values[0] > 0.5


def test_fitted_levels_separate_graded_scores() -> None:
    overall = np.repeat([1.0, 2.0, 3.0, 4.0], 50)
    score = (4 - overall) / 3 + np.random.default_rng(2).normal(0, 0.05, overall.size)
    t1, t2, t3 = fit_levels(score, overall)
    assert 1.0 > t1 > t2 > t3 > 0.0
    predicted = np.where(score >= t1, 1, np.where(score >= t2, 2, np.where(score >= t3, 3, 4)))
    assert weighted_kappa(overall.astype(int), predicted) > 0.95


def test_held_out_scores_track_the_grades() -> None:
    rng = np.random.default_rng(3)
    overall = rng.uniform(1.0, 4.0, 100)
    pairs = []
    for grade in overall:
        shared = float(np.clip((4.0 - grade) / 3.0 + rng.normal(0, 0.05), 0.0, 1.0))
        a = _rep({"g:a": 1.0})
        b = _rep({"g:a": shared, "g:b": float(np.sqrt(1.0 - shared * shared))})
        pairs.append((a, b))
    scores = held_out_scores(pairs, list(overall), calibration())
    rows = [{"lang1": "uk", "lang2": "uk", "Overall": str(g)} for g in overall]
    pearson = pearson_by_language(rows, scores)
    assert set(pearson) == {"all", "uk"}
    assert pearson["all"] == pearson["uk"] > 0.9
