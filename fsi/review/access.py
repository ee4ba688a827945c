"""Who may see what of an application's review. One predicate per question, taking the user.

A conflicted person sees nothing of the application: the views answer 404 as if it did not exist.
"""
from sqlmodel import select

from fsi.accounts.models import Role
from fsi.db import db
from fsi.review.conflicts import is_conflicted
from fsi.review.models import Assignment, SessionMember


def is_assigned(application, user):
    return db.session.exec(select(Assignment.id).where(
        Assignment.application_id == application.id, Assignment.reviewer_id == user.id)).first() is not None


def can_reviewer_view(application, user):
    """A committee member sees an application they are assigned to, unless conflicted (the
    applications domain's access predicate asks this for reviewers)."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.reviewer:
        return False
    return is_assigned(application, user) and not is_conflicted(application, user)


def can_assess(user):
    """Staff run the assessment, assignments, ranking and sessions."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)


def can_see_reviews(application, user):
    """Staff (unless conflicted) and the non-conflicted assigned reviewers. What a reviewer sees
    of the others' reviews waits for their own submission (fsi.review.scoring)."""
    if not getattr(user, "is_authenticated", False) or is_conflicted(application, user):
        return False
    return user.is_staff or (user.role == Role.reviewer and is_assigned(application, user))


def is_session_member(session, user):
    return db.session.exec(select(SessionMember.id).where(
        SessionMember.session_id == session.id, SessionMember.user_id == user.id)).first() is not None


def can_follow_session(session, user):
    """Staff and the session's members follow the live agenda."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or is_session_member(session, user)
