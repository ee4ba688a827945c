"""The application as a workflow subject: who owns it, who is mailed, who may see it.

Written by the workflow engine's side of the contract (fsi.workflow.registry); the review
domain plugs in lazily (assigned reviewers, reviewer access) when it provides the functions.
"""
import importlib

from sqlmodel import select

from fsi.accounts.models import Role, User
from fsi.applications.models import Application
from fsi.db import db
from fsi.workflow.registry import register_subject


def _optional(module_name, function_name):
    """A function of another domain, or None while that domain does not provide it."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        return None
    return getattr(module, function_name, None)


def _emails(*conditions):
    return list(db.session.exec(select(User.email).where(User.active == True, *conditions)  # noqa: E712
                                .order_by(User.email)))


def recipients(application, audience):
    if audience == "applicant":
        return _emails(User.organisation_id == application.organisation_id, User.role == Role.applicant)
    if audience == "staff":
        return _emails(User.role == Role.staff)
    if audience == "reviewers":
        assigned = _optional("fsi.review.services", "assigned_reviewer_emails")
        return list(assigned(application)) if assigned else []
    return []


def can_view(application, user):
    """Staff see every application, applicants their organisation's, reviewers what the
    review domain allows (assigned and free of conflict). The applications domain's predicate
    decides when it exists, so that its pages and the workflow agree."""
    shared = _optional("fsi.applications.access", "can_view_application")
    if shared is not None:
        return bool(shared(application, user))
    if not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if user.is_staff:
        return True
    if user.role == Role.applicant:
        return user.organisation_id is not None and user.organisation_id == application.organisation_id
    if user.role == Role.reviewer:
        reviewer_view = _optional("fsi.review.access", "can_reviewer_view")
        return bool(reviewer_view and reviewer_view(application, user))
    return False


register_subject(
    "application", Application,
    owner_organisation=lambda application: application.organisation_id,
    recipients=recipients,
    describe=lambda application: application.reference,
    can_view=can_view,
)
