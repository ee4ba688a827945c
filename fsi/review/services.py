"""What the review domain offers other domains (workflow notifications, access)."""
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.calls.models import Call
from fsi.db import db
from fsi.review.conflicts import conflicted_user_ids
from fsi.review.models import AgendaItem, Assignment, CommitteeSession, SessionMember, SessionStatus


def assigned_reviewer_emails(application):
    """E-mail addresses of the application's assigned, active and non-conflicted reviewers (the
    workflow's 'reviewers' audience)."""
    rows = db.session.exec(select(User.id, User.email).join(Assignment, Assignment.reviewer_id == User.id)
                           .where(Assignment.application_id == application.id, User.active.is_(True))
                           .order_by(User.id)).all()
    conflicted = conflicted_user_ids(application)
    return [email for user_id, email in rows if user_id not in conflicted]


def released_decisions(application_ids):
    """{application id: [AgendaItem]} decisions whose letter is released (what applicants may read),
    for pages of other domains that link to the letters (``review.decision_letter``)."""
    result = {app_id: [] for app_id in application_ids}
    if application_ids:
        for item in db.session.exec(select(AgendaItem).where(AgendaItem.application_id.in_(application_ids),
                                                              AgendaItem.released_at.is_not(None))
                                    .order_by(AgendaItem.released_at)):
            result[item.application_id].append(item)
    return result


def queue_summary(reviewer, today):
    """The reviewer's queue in figures: assigned, submitted, late (deadline before ``today``
    and not submitted), and the nearest deadline still ahead among the reviews not submitted
    (None when there is none: the late ones are counted apart)."""
    from fsi.review.assignments import reviewer_queue

    rows = reviewer_queue(reviewer)
    pending = [assignment.deadline for assignment, _a, review, _s in rows
               if review is None or review.submitted_at is None]
    return {"assigned": len(rows), "submitted": len(rows) - len(pending),
            "late": len([deadline for deadline in pending if deadline < today]),
            "next_deadline": min((deadline for deadline in pending if deadline >= today), default=None)}


def next_session(member=None):
    """(CommitteeSession, call title) of the earliest session not yet closed, among those
    ``member`` belongs to when given; or None."""
    query = (select(CommitteeSession, Call.title).join(Call, Call.id == CommitteeSession.call_id)
             .where(CommitteeSession.status == SessionStatus.planned)
             .order_by(CommitteeSession.starts_at, CommitteeSession.id))
    if member is not None:
        query = query.join(SessionMember, SessionMember.session_id == CommitteeSession.id).where(
            SessionMember.user_id == member.id)
    return db.session.exec(query.limit(1)).first()


def reviews_complete_by_call():
    """{call id: number of applications in review whose (non-conflicted) reviewers have all
    submitted}: staff can close their review. A constant number of statements."""
    from fsi.review.guards import review_status

    applications = db.session.exec(select(Application).where(Application.state == "in_review")).all()
    status = review_status(applications)
    result = {}
    for application in applications:
        assigned, submitted = status[application.id]
        if assigned and submitted == assigned:
            result[application.call_id] = result.get(application.call_id, 0) + 1
    return result
