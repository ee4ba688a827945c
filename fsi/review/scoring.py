"""Reviews: saved and edited until submitted, then read-only; visibility of the others' reviews.
Submitting goes through workflows/review.yaml (an event carrying the scores); saving a draft does
not. Only counted (submitted) reviews make the figures: a set-aside one is kept and shown apart."""
from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.calls.models import Criterion
from fsi.db import bump_version, db, utcnow
from fsi.review.consolidation import CriterionScale, weighted_total
from fsi.review.errors import ReviewError
from fsi.review.models import Assignment, Review, ReviewScore
from fsi.review.models.scoring import COUNTED_REVIEW, SET_ASIDE_REVIEW
from fsi.workflow import tagged
from fsi.workflow.service import fire

#: a review changes only while its application is undecided
UNDECIDED = tagged("application", "undecided")


def criteria_of(call_id):
    return db.session.exec(select(Criterion).where(Criterion.call_id == call_id)
                           .order_by(Criterion.position, Criterion.id)).all()


def criteria_counts(call_ids):
    """{call id: number of criteria in its grid}, in one query."""
    counts = dict(db.session.exec(select(Criterion.call_id, func.count()).where(Criterion.call_id.in_(call_ids))
                                  .group_by(Criterion.call_id)).all()) if call_ids else {}
    return {call_id: counts.get(call_id, 0) for call_id in call_ids}


def scales(criteria):
    return [CriterionScale(c.id, c.weight, c.scale_min, c.scale_max) for c in criteria]


def review_of(assignment):
    return db.session.exec(select(Review).where(Review.assignment_id == assignment.id)).first()


def scores_of(review):
    if review is None:
        return {}
    return {s.criterion_id: s for s in db.session.exec(select(ReviewScore).where(ReviewScore.review_id == review.id))}


def review_data(review):
    """What the scoring form shows of a saved review (nothing for a review not started)."""
    if review is None:
        return {"version": ""}
    data = {"version": review.version, "recommendation": review.recommendation.value if review.recommendation else None,
            "confidence": review.confidence, "general_comment": review.general_comment}
    for criterion_id, row in scores_of(review).items():
        data[f"score_{criterion_id}"], data[f"comment_{criterion_id}"] = row.score, row.comment
    return data


def is_complete(review, criteria):
    """Every criterion scored, the recommendation and the confidence given: it may be submitted."""
    scored = {criterion_id for criterion_id, row in scores_of(review).items() if row.score is not None}
    return ({c.id for c in criteria} <= scored and review.recommendation is not None
            and review.confidence is not None)


def is_read_only(review, application):
    """Nothing to save any more: the review was submitted (or set aside), or the application decided."""
    return application.state not in UNDECIDED or (review is not None and not review.is_editable)


def _editable_review(assignment, application):
    """The assignment's review (None if not started) while it may change, else ReviewError."""
    if application.state not in UNDECIDED:
        raise ReviewError(_("Le dossier est décidé : ses évaluations ne changent plus."))
    review = review_of(assignment)
    if review is not None and review.is_set_aside:
        raise ReviewError(_("Cette évaluation est écartée : elle ne peut plus être modifiée."))
    if review is not None and not review.is_editable:
        raise ReviewError(_("Cette évaluation est soumise : elle ne peut plus être modifiée."))
    return review


def save_review(assignment, criteria, values, submit=False, expected_version=None):
    """``values``: {"scores": {criterion id: (score or None, comment)}, "recommendation",
    "confidence", "general_comment"}. Submitting needs every score, the recommendation and the
    confidence, and fires the review's ``submit`` (its event records the scores). A submitted
    review cannot change, nor any review of a decided application; an edit on an older version
    is refused."""
    application = db.session.get(Application, assignment.application_id)
    review = _editable_review(assignment, application)
    if review is None:
        review = Review(assignment_id=assignment.id)
        db.session.add(review)
        db.session.flush()
    elif expected_version is not None:
        bump_version(review, expected_version)  # StaleObject when edited elsewhere meanwhile
    existing = scores_of(review)
    for criterion in criteria:
        score, comment = values["scores"].get(criterion.id, (None, ""))
        if score is not None and not criterion.scale_min <= score <= criterion.scale_max:
            raise ReviewError(_("La note de « %(label)s » doit être comprise entre %(min)s et %(max)s.",
                                label=criterion.label, min=criterion.scale_min, max=criterion.scale_max))
        row = existing.get(criterion.id) or ReviewScore(review_id=review.id, criterion_id=criterion.id)
        row.score, row.comment = score, (comment or "").strip()
        db.session.add(row)
    review.recommendation = values.get("recommendation") or None
    review.confidence = values.get("confidence") or None
    review.general_comment = (values.get("general_comment") or "").strip()
    review.updated_at = utcnow()
    db.session.add(review)
    db.session.flush()
    if submit:
        if not is_complete(review, criteria):
            raise ReviewError(_("Pour soumettre, notez chaque critère et indiquez votre recommandation et votre "
                                "niveau de confiance."))
        review.submitted_at = utcnow()
        db.session.add(review)
        db.session.flush()
        fire(review, "submit", db.session.get(User, assignment.reviewer_id))
    return review


def own_review_submitted(application, user):
    row = db.session.exec(select(Review.id).join(Assignment, Assignment.id == Review.assignment_id)
                          .where(Assignment.application_id == application.id,
                                 Assignment.reviewer_id == user.id, Review.state.in_(COUNTED_REVIEW))).first()
    return row is not None


def submitted_reviews(application_ids, states=COUNTED_REVIEW):
    """{application id: [(reviewer id, Review, {criterion id: ReviewScore})]} — the counted
    (submitted) reviews; ``states=SET_ASIDE_REVIEW``: those set aside, shown apart."""
    result = defaultdict(list)
    if not application_ids:
        return result
    rows = db.session.exec(select(Assignment, Review).join(Review, Review.assignment_id == Assignment.id)
                           .where(Assignment.application_id.in_(application_ids), Review.state.in_(states))
                           .order_by(Assignment.id)).all()
    scores = defaultdict(dict)
    if rows:
        for score in db.session.exec(select(ReviewScore).where(ReviewScore.review_id.in_([r.id for _a, r in rows]))):
            scores[score.review_id][score.criterion_id] = score
    for assignment, review in rows:
        result[assignment.application_id].append((assignment.reviewer_id, review, scores[review.id]))
    return result


def set_aside_reviews(application_ids):
    """{application id: [(reviewer id, Review, scores)]} of the reviews set aside (kept, not counted)."""
    return submitted_reviews(application_ids, states=SET_ASIDE_REVIEW)


def plain_scores(score_rows):
    return {criterion_id: row.score for criterion_id, row in score_rows.items() if row.score is not None}


def reviewer_totals_in_call(call_id, criteria):
    """{reviewer id: [weighted totals of their submitted reviews in the call]} (z-score basis)."""
    ids = db.session.exec(select(Application.id).where(Application.call_id == call_id)).all()
    totals = defaultdict(list)
    grid = scales(criteria)
    for reviews in submitted_reviews(list(ids)).values():
        for reviewer_id, _review, score_rows in reviews:
            total = weighted_total(plain_scores(score_rows), grid)
            if total is not None:
                totals[reviewer_id].append(total)
    return totals
