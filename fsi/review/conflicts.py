"""Conflicts of interest: organisational ones computed from memberships, declared or recorded ones
stored. A conflicted person sees nothing of the application and leaves its quorum."""
from flask_babel import gettext as _
from sqlmodel import delete, select

from fsi.accounts.models import Role, User
from fsi.applications.models import Application, CoApplicant
from fsi.db import db
from fsi.review.errors import ReviewError
from fsi.review.models import Assignment, ConflictOfInterest, ConflictSource, Review, ReviewScore
from fsi.workflow import tagged

#: submitted and not yet decided: a member may still declare a conflict on it
UNDECIDED = tagged("application", "undecided")


def co_applicant_organisations(application_ids):
    """{application id: set of co-applicant organisation ids} (joint projects)."""
    result = {app_id: set() for app_id in application_ids}
    if not application_ids:
        return result
    rows = db.session.exec(select(CoApplicant.application_id, CoApplicant.organisation_id)
                           .where(CoApplicant.application_id.in_(application_ids)))
    for application_id, organisation_id in rows:
        if organisation_id is not None:
            result[application_id].add(organisation_id)
    return result


def conflicts_by_application(applications):
    """{application id: {user id: (ConflictSource, reason)}} for the given applications, in four
    queries whatever their number."""
    applications = list(applications)
    ids = [a.id for a in applications]
    result = {app_id: {} for app_id in ids}
    if not ids:
        return result
    organisations = co_applicant_organisations(ids)
    for application in applications:
        organisations[application.id].add(application.organisation_id)
    every_org = set().union(*organisations.values())
    members = db.session.exec(select(User.id, User.organisation_id).where(
        User.organisation_id.in_(every_org), User.role != Role.applicant)).all()
    for application_id, orgs in organisations.items():
        for user_id, organisation_id in members:
            if organisation_id in orgs:
                result[application_id][user_id] = (ConflictSource.organisation, "")
    stored = db.session.exec(select(ConflictOfInterest).where(ConflictOfInterest.application_id.in_(ids)))
    for conflict in stored:
        result[conflict.application_id][conflict.user_id] = (conflict.source, conflict.reason)
    return result


def conflicted_user_ids(application):
    return set(conflicts_by_application([application])[application.id])


def is_conflicted(application, user):
    return user.id in conflicted_user_ids(application)


def record_conflict(application, user, source, reason, recorded_by):
    """Store a declared (by the member) or recorded (by staff) conflict; any assignment of that
    member to the application goes, with its review: they must no longer see it."""
    if source != ConflictSource.organisation and not (reason or "").strip():
        raise ReviewError(_("Indiquez la raison du conflit d'intérêts."))
    existing = db.session.exec(select(ConflictOfInterest).where(
        ConflictOfInterest.application_id == application.id, ConflictOfInterest.user_id == user.id)).first()
    if existing is None:
        existing = ConflictOfInterest(application_id=application.id, user_id=user.id, source=source,
                                      reason=reason.strip(), recorded_by_id=recorded_by.id)
        db.session.add(existing)
    remove_assignment_of(application.id, user.id)
    db.session.flush()
    return existing


def remove_assignment_of(application_id, reviewer_id):
    assignment = db.session.exec(select(Assignment).where(
        Assignment.application_id == application_id, Assignment.reviewer_id == reviewer_id)).first()
    if assignment is not None:
        delete_assignment(assignment)


def delete_assignment(assignment):
    review = db.session.exec(select(Review).where(Review.assignment_id == assignment.id)).first()
    if review is not None:
        db.session.exec(delete(ReviewScore).where(ReviewScore.review_id == review.id))
        db.session.delete(review)
        db.session.flush()
    db.session.delete(assignment)
    db.session.flush()


def applications_open_for_declaration(user):
    """What ``user`` may declare a conflict on: applications not yet decided, less those they are
    already conflicted on (a conflicted member sees nothing of them, not even the title)."""
    candidates = db.session.exec(select(Application).where(Application.state.in_(UNDECIDED))
                                 .order_by(Application.reference)).all()
    conflicts = conflicts_by_application(candidates)
    return [a for a in candidates if user.id not in conflicts[a.id]]
