"""Queries of the review domain that other pages share (home panels, notifications, access)."""
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.applications.services import counts_by_call_and_state
from fsi.calls.models import Call
from fsi.calls.services import PARIS
from fsi.db import db, utcnow
from fsi.review.assignments import review_status, reviewer_queue
from fsi.review.conflicts import conflicted_user_ids
from fsi.review.models import AgendaItem, Assignment, CommitteeSession, SessionMember, SessionStatus
from fsi.workflow import tagged

#: the staff's to-do columns, in the order an application meets them: (column, tag)
STAFF_TODO = (("awaiting_eligibility", tagged("application", "awaiting_eligibility")),
              ("awaiting_reviewers", tagged("application", "awaiting_reviewers")),
              ("review_complete", tagged("application", "under_review")),
              ("awaiting_session", tagged("application", "awaiting_session")))
UNDER_REVIEW = tagged("application", "under_review")


def paris_today():
    return utcnow().astimezone(PARIS).date()


def assigned_reviewers(application):
    """The application's assigned, active and non-conflicted reviewers (the workflow's
    'reviewers' audience)."""
    users = db.session.exec(select(User).join(Assignment, Assignment.reviewer_id == User.id)
                            .where(Assignment.application_id == application.id, User.active.is_(True))
                            .order_by(User.id)).all()
    conflicted = conflicted_user_ids(application)
    return [user for user in users if user.id not in conflicted]


def released_decisions(application_ids):
    """{application id: [AgendaItem]} decisions whose letter is released (what applicants may read)."""
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
    rows = reviewer_queue(reviewer)
    pending = [assignment.deadline for assignment, _a, review, _s in rows
               if review is None or not review.is_submitted]
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
    """{call id: number of applications under review whose (non-conflicted) reviewers have all
    submitted}: staff can close their review. A constant number of statements."""
    applications = db.session.exec(select(Application).where(Application.state.in_(UNDER_REVIEW))).all()
    status = review_status(applications)
    result = {}
    for application in applications:
        assigned, submitted = status[application.id]
        if assigned and submitted == assigned:
            result[application.call_id] = result.get(application.call_id, 0) + 1
    return result


def staff_todo():
    """The applications waiting for staff, per call and column (STAFF_TODO): {"calls": {call id:
    title}, "counts": {call id: {column: count}}, "columns": [...], "states": {column: [state]}}."""
    by_state = counts_by_call_and_state()
    counts = {}
    for call_id, states in by_state.items():
        for column, tag in STAFF_TODO:
            if column != "review_complete":
                total = sum(count for state, count in states.items() if state in tag)
                if total:
                    counts.setdefault(call_id, {})[column] = total
    for call_id, count in reviews_complete_by_call().items():
        counts.setdefault(call_id, {})["review_complete"] = count
    titles = dict(db.session.exec(select(Call.id, Call.title).where(Call.id.in_(list(counts)))).all()) if counts else {}
    return {"calls": dict(sorted(titles.items(), key=lambda pair: pair[1])), "counts": counts,
            "columns": [column for column, _tag in STAFF_TODO],
            "states": {column: list(tag) for column, tag in STAFF_TODO}}
