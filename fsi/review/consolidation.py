"""Consolidating reviewers' scores: pure functions over plain numbers (Decimal), no database.

Choices, stated once:
- the **weighted total** of a review is normalised to 100: each score is first brought to 0..1
  on its criterion's own scale ((score − min) / (max − min)), then
  total = 100 × Σ weight × normalised / Σ weight. Criteria on different scales thus weigh by
  their weight only, and totals of different calls read alike;
- the **standard deviation** is the *population* one (divide by n): it describes the spread of
  the scores actually given, and stays defined with a single review (0);
- the **median** of an even count is the mean of the two middle values;
- the **z-score** of a review places its weighted total against that reviewer's own totals in
  the call: (total − reviewer's mean) / reviewer's population standard deviation. It exists only
  when the reviewer submitted at least ``min_reviews`` reviews in the call; a reviewer who gave
  every application the same total gets 0.
"""
from dataclasses import dataclass, field
from decimal import Decimal

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def _dec(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def mean(values):
    values = [_dec(v) for v in values]
    if not values:
        return None
    return sum(values, Decimal(0)) / len(values)


def median(values):
    ordered = sorted(_dec(v) for v in values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def population_stdev(values):
    values = [_dec(v) for v in values]
    if not values:
        return None
    centre = mean(values)
    variance = sum(((v - centre) ** 2 for v in values), Decimal(0)) / len(values)
    return variance.sqrt()


@dataclass(frozen=True)
class CriterionScale:
    id: int
    weight: Decimal
    scale_min: int
    scale_max: int


def weighted_total(scores, criteria):
    """``scores``: {criterion id: score}; ``criteria``: CriterionScale list. Total on 0..100,
    or None when a criterion is unscored (an incomplete review has no total)."""
    weight_sum = sum((_dec(c.weight) for c in criteria), Decimal(0))
    if not criteria or weight_sum == 0:
        return None
    accumulated = Decimal(0)
    for criterion in criteria:
        score = scores.get(criterion.id)
        if score is None:
            return None
        span = Decimal(criterion.scale_max - criterion.scale_min)
        normalised = (_dec(score) - criterion.scale_min) / span if span else Decimal(0)
        accumulated += _dec(criterion.weight) * normalised
    return HUNDRED * accumulated / weight_sum


def z_score(total, reviewer_totals, min_reviews):
    """``total`` against ``reviewer_totals`` (all that reviewer's totals in the call, this one
    included); None below ``min_reviews`` totals (too few to say what the reviewer's habit is)."""
    if total is None:
        return None
    return _against(total, _habit(reviewer_totals, min_reviews))


def _habit(reviewer_totals, min_reviews):
    """A reviewer's (mean, spread) over the call, None below ``min_reviews`` totals."""
    if len(reviewer_totals) < max(min_reviews, 1):
        return None
    return mean(reviewer_totals), population_stdev(reviewer_totals)


def _against(total, habit):
    if habit is None:
        return None
    centre, spread = habit
    return Decimal(0) if spread == 0 else (_dec(total) - centre) / spread


class ReviewerHabits:
    """Every reviewer's mean and spread over a call, each computed once however many of the call's
    applications they reviewed (a ranking consolidates them all)."""

    def __init__(self, reviewer_totals, min_reviews):
        self.reviewer_totals, self.min_reviews, self._known = reviewer_totals or {}, min_reviews, {}

    def z_score(self, reviewer, total):
        if total is None:
            return None
        if reviewer not in self._known:
            self._known[reviewer] = _habit(self.reviewer_totals.get(reviewer, []), self.min_reviews)
        return _against(total, self._known[reviewer])


@dataclass
class CriterionFigures:
    criterion_id: int
    scores: list
    mean: Decimal | None
    median: Decimal | None
    stdev: Decimal | None
    disagreement: bool


@dataclass
class Consolidation:
    """An application's figures over its submitted reviews."""

    totals: list = field(default_factory=list)  # weighted total of each review
    total_mean: Decimal | None = None
    criteria: list = field(default_factory=list)  # CriterionFigures, in grid order
    z_scores: list = field(default_factory=list)  # per review, None when below the minimum
    z_mean: Decimal | None = None
    disagreement: bool = False

    @property
    def count(self):
        return len(self.totals)


def criterion_figures(criterion_id, scores, threshold):
    spread = population_stdev(scores)
    return CriterionFigures(criterion_id, list(scores), mean(scores), median(scores), spread,
                            disagreement=spread is not None and len(scores) > 1 and spread > _dec(threshold))


def consolidate(reviews, criteria, threshold, reviewer_totals=None, min_reviews=3, habits=None):
    """``reviews``: list of (reviewer id, {criterion id: score}) for the submitted reviews;
    ``reviewer_totals``: {reviewer id: [their totals over the call]} for the z-scores (or
    ``habits``, a ReviewerHabits shared by the applications of one call)."""
    habits = habits or ReviewerHabits(reviewer_totals, min_reviews)
    totals = [weighted_total(scores, criteria) for _reviewer, scores in reviews]
    figures = [
        criterion_figures(c.id, [s[c.id] for _r, s in reviews if s.get(c.id) is not None], threshold)
        for c in criteria
    ]
    z_scores = [habits.z_score(reviewer, total) for (reviewer, _s), total in zip(reviews, totals, strict=True)]
    known_z = [z for z in z_scores if z is not None]
    known_totals = [t for t in totals if t is not None]
    return Consolidation(
        totals=totals, total_mean=mean(known_totals), criteria=figures, z_scores=z_scores,
        z_mean=mean(known_z), disagreement=any(f.disagreement for f in figures),
    )


def rounded(value, places=TWO_PLACES):
    return None if value is None else _dec(value).quantize(places)
