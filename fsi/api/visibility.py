"""The SQL of ``fsi.applications.access.can_view_application``, for lists: staff every
application; an applicant their organisation's and, once submitted, those it carries as
co-applicant; a committee member those assigned to them, unless conflicted (the review domain's
rule, batch-computed); nobody else anything. The detail endpoints ask the predicate itself."""
from sqlalchemy import and_, false, or_, true
from sqlmodel import select

from fsi.accounts.models import Role
from fsi.applications.models import Application, CoApplicant
from fsi.db import db
from fsi.review.conflicts import conflicts_by_application
from fsi.review.models import Assignment


def reviewer_application_ids(user):
    """The applications assigned to the member that they are not conflicted on (five statements)."""
    assigned = db.session.exec(select(Application).join(Assignment, Assignment.application_id == Application.id)
                               .where(Assignment.reviewer_id == user.id)).all()
    conflicts = conflicts_by_application(assigned)
    return [application.id for application in assigned if user.id not in conflicts[application.id]]


def visible_applications(user):
    """A WHERE clause on Application: what ``user`` may see."""
    if not getattr(user, "is_authenticated", False) or not user.active:
        return false()
    if user.is_staff:
        return true()
    if user.role == Role.applicant and user.organisation_id is not None:
        co_applied = select(CoApplicant.application_id).where(CoApplicant.organisation_id == user.organisation_id)
        return or_(Application.organisation_id == user.organisation_id,
                   and_(Application.received_at.is_not(None), Application.id.in_(co_applied)))
    if user.role == Role.reviewer:
        ids = reviewer_application_ids(user)
        return Application.id.in_(ids) if ids else false()
    return false()
