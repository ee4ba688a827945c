"""What the review domain offers other domains (workflow notifications, access)."""
from sqlmodel import select

from fsi.accounts.models import User
from fsi.db import db
from fsi.review.conflicts import conflicted_user_ids
from fsi.review.models import AgendaItem, Assignment


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
