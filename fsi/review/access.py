"""Who may see what of an application's review. One predicate per question, taking the user.

A conflicted person sees nothing of the application: the views answer 404 as if it did not exist.
"""
from sqlmodel import select

from fsi.accounts.models import Role
from fsi.db import db
from fsi.review.conflicts import is_conflicted
from fsi.review.models import Assignment
from fsi.review.scoring import own_review_submitted
from fsi.review.sessions import is_session_member


def is_assigned(application, user):
    return db.session.exec(select(Assignment.id).where(
        Assignment.application_id == application.id, Assignment.reviewer_id == user.id)).first() is not None


def is_reviewer(user):
    return bool(getattr(user, "is_authenticated", False) and user.role == Role.reviewer)


def can_reviewer_view(application, user):
    """A committee member sees an application they are assigned to, unless conflicted (connected
    to the applications domain's ``can_view`` hook, where True grants)."""
    return is_reviewer(user) and is_assigned(application, user) and not is_conflicted(application, user)


def can_assess(user):
    """Staff run the assessment, assignments, ranking and sessions."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)


def can_see_reviews(application, user):
    """Staff (unless conflicted) and the non-conflicted assigned reviewers."""
    if not getattr(user, "is_authenticated", False) or is_conflicted(application, user):
        return False
    return user.is_staff or (user.role == Role.reviewer and is_assigned(application, user))


def can_read_others_reviews(application, user):
    """Staff read every review; a member reads the others' once their own is submitted, so that
    nobody scores under the influence of the others."""
    return can_see_reviews(application, user) and (user.is_staff or own_review_submitted(application, user))


def can_review(assignment, application, user):
    """The member's own assignment, on an application they are not conflicted on."""
    return assignment.reviewer_id == user.id and not is_conflicted(application, user)


def can_follow_session(session, user):
    """Staff and the session's members follow the live agenda."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or is_session_member(session, user)
