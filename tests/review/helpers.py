"""Direct test data for reviews (rows written as a finished review would be)."""
from sqlmodel import select

from fsi.calls.models import Criterion
from fsi.db import db, utcnow
from fsi.review.models import Assignment, Recommendation, Review, ReviewScore


def add_review(application, reviewer_id, scores, staff_id, submitted=True, comment="RAS"):
    """An assignment and its review; ``scores`` in grid order."""
    assignment = db.session.exec(select(Assignment).where(Assignment.application_id == application.id,
                                                          Assignment.reviewer_id == reviewer_id)).first()
    if assignment is None:
        from datetime import date

        assignment = Assignment(application_id=application.id, reviewer_id=reviewer_id, deadline=date(2030, 1, 1),
                                assigned_by_id=staff_id)
        db.session.add(assignment)
        db.session.flush()
    review = Review(assignment_id=assignment.id, recommendation=Recommendation.fund, confidence=2,
                    general_comment=comment, submitted_at=utcnow() if submitted else None)
    db.session.add(review)
    db.session.flush()
    criteria = db.session.exec(select(Criterion).where(Criterion.call_id == application.call_id)
                               .order_by(Criterion.position)).all()
    for criterion, score in zip(criteria, scores):
        db.session.add(ReviewScore(review_id=review.id, criterion_id=criterion.id, score=score,
                                   comment=f"{comment} sur {criterion.label}"))
    db.session.flush()
    return assignment
