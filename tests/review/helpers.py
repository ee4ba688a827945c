"""Direct test data for reviews (rows written as a finished review would be)."""
from sqlmodel import select

from fsi.calls.models import Criterion
from fsi.db import db, utcnow
from fsi.review.eligibility import record_opinion
from fsi.review.models import Assignment, Opinion, Recommendation, Review, ReviewScore


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
    for criterion, score in zip(criteria, scores, strict=False):  # a grid may have more criteria
        db.session.add(ReviewScore(review_id=review.id, criterion_id=criterion.id, score=score,
                                   comment=f"{comment} sur {criterion.label}"))
    db.session.flush()
    if submitted:
        submit(review, application, reviewer_id)
    return assignment


def submit(review, application, reviewer_id):
    """Through the review's workflow (an event with the scores) when it may be submitted; else (a
    decided application, a partial grid: rows as an older database holds them) straight to the
    first counted state."""
    from fsi.accounts.models import User
    from fsi.review.scoring import criteria_of, is_complete
    from fsi.workflow import tagged
    from fsi.workflow.service import fire

    if application.state in tagged("application", "undecided") and is_complete(review, criteria_of(application.call_id)):
        fire(review, "submit", db.session.get(User, reviewer_id))
    else:
        review.state = tagged("review", "counted").states[0]
        db.session.add(review)
        db.session.flush()


def walk_to_reviewed(application, staff, reviewer_ids):
    """Move a draft application to ``reviewed`` through the workflow service, satisfying the review
    guards for real (checklist, assignments, submitted reviews). The applications domain's
    submission guards must be opened by the caller (``open_submission`` fixture)."""
    from datetime import date

    from fsi.accounts.models import Role, User
    from fsi.review.assignments import assign
    from fsi.review.eligibility import items_for_call, record_checks
    from fsi.workflow.service import fire
    from tests.factories import create_user

    applicant = db.session.exec(select(User).where(User.organisation_id == application.organisation_id,
                                                   User.role == Role.applicant)).first()
    applicant = applicant or create_user(Role.applicant, organisation=db.session.get(
        __import__("fsi.accounts.models", fromlist=["Organisation"]).Organisation, application.organisation_id))
    fire(application, "submit", applicant)
    record_checks(application, {i.id: (True, "") for i in items_for_call(application.call_id)}, staff)
    fire(application, "declare_eligible", staff)
    for reviewer_id in reviewer_ids:
        assign(application, db.session.get(User, reviewer_id), date(2030, 1, 1), staff)
    fire(application, "start_review", staff)
    for n, reviewer_id in enumerate(reviewer_ids):
        add_review(application, reviewer_id, [3 + n % 3, 5 + n], staff.id)
    fire(application, "complete_review", staff)
    record_opinion(application, Opinion.favourable, "Avis favorable.", staff)
