"""Consolidation math against hand-computed examples (pure functions, no database)."""
from decimal import Decimal as D

import pytest

from fsi.review.consolidation import (
    CriterionScale,
    consolidate,
    mean,
    median,
    population_stdev,
    rounded,
    weighted_total,
    z_score,
)

GRID = [CriterionScale(1, D("2"), 0, 5), CriterionScale(2, D("1"), 0, 10)]


def r2(value):
    return rounded(value)


@pytest.mark.parametrize("scores, expected", [
    # (2 × 4/5 + 1 × 6/10) / 3 × 100 = 2.2 / 3 × 100
    ({1: 4, 2: 6}, D("73.33")),
    # (2 × 2/5 + 1 × 10/10) / 3 × 100 = 1.8 / 3 × 100
    ({1: 2, 2: 10}, D("60.00")),
    ({1: 5, 2: 10}, D("100.00")),
    ({1: 0, 2: 0}, D("0.00")),
])
def test_weighted_total_is_normalised_to_100_per_criterion_scale(scores, expected):
    assert r2(weighted_total(scores, GRID)) == expected


def test_incomplete_review_has_no_total():
    assert weighted_total({1: 4}, GRID) is None


def test_scale_with_a_non_zero_minimum():
    grid = [CriterionScale(1, D("1"), 1, 5)]
    assert r2(weighted_total({1: 3}, grid)) == D("50.00")  # (3 − 1) / (5 − 1)


def test_mean_median_and_population_standard_deviation():
    assert r2(mean([4, 2, 5])) == D("3.67")
    assert median([4, 2, 5]) == 4
    assert median([1, 2, 3, 10]) == D("2.5")
    # deviations 1/3, −5/3, 4/3 → variance (1 + 25 + 16) / 9 / 3 = 14/9 → σ = 1.2472 (population)
    assert r2(population_stdev([4, 2, 5])) == D("1.25")
    # not the sample one: sqrt(14/9 × 3/2) = 1.5275
    assert r2(population_stdev([4, 2, 5])) != D("1.53")
    assert population_stdev([3]) == 0


def test_z_score_against_the_reviewers_own_totals_with_its_minimum():
    totals = [D(40), D(60), D(80)]
    # mean 60, σ = sqrt(800 / 3) = 16.3299 → (80 − 60) / 16.3299 = 1.2247
    assert r2(z_score(D(80), totals, min_reviews=3)) == D("1.22")
    assert r2(z_score(D(40), totals, min_reviews=3)) == D("-1.22")
    assert z_score(D(80), totals, min_reviews=4) is None
    assert z_score(D(50), [D(50), D(50), D(50)], min_reviews=3) == 0


def test_consolidate_flags_disagreement_above_the_threshold_only():
    reviews = [("x", {1: 4, 2: 6}), ("y", {1: 2, 2: 10}), ("z", {1: 5, 2: 2})]
    figures = consolidate(reviews, GRID, threshold=D("1.50"))
    innovation, impact = figures.criteria
    assert (r2(innovation.mean), innovation.median, r2(innovation.stdev), innovation.disagreement) == (
        D("3.67"), 4, D("1.25"), False)
    # impact: 6, 10, 2 → mean 6, σ = sqrt(32 / 3) = 3.27 > 1.5
    assert (impact.mean, impact.median, r2(impact.stdev), impact.disagreement) == (6, 6, D("3.27"), True)
    assert figures.disagreement is True
    # totals 73.33, 60, 73.33 → mean 68.89
    assert [r2(t) for t in figures.totals] == [D("73.33"), D("60.00"), D("73.33")]
    assert r2(figures.total_mean) == D("68.89")


def test_consolidate_z_scores_only_for_reviewers_past_the_minimum():
    reviews = [("x", {1: 5, 2: 10}), ("y", {1: 0, 2: 0})]
    history = {"x": [D(100), D(50), D(0)], "y": [D(0), D(20)]}
    figures = consolidate(reviews, GRID, threshold=D("1.5"), reviewer_totals=history, min_reviews=3)
    # x: mean 50, σ = sqrt(5000 / 3) = 40.82 → (100 − 50) / 40.82 = 1.22; y has only 2 reviews
    assert [r2(z) if z is not None else None for z in figures.z_scores] == [D("1.22"), None]
    assert r2(figures.z_mean) == D("1.22")
    assert figures.totals == [D(100), D(0)]  # raw figures kept beside


def test_no_reviews_gives_empty_figures():
    figures = consolidate([], GRID, threshold=D("1.5"))
    assert figures.count == 0 and figures.total_mean is None and figures.z_mean is None
    assert not figures.disagreement
