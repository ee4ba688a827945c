"""Who may see and edit an application: the one place every view asks.

Views answer 404 (not 403) when a user may not see an application, so that guessing
identifiers reveals nothing.
"""
import importlib

from fsi.accounts.models import Role

#: the states in which the applicant works on the application
EDITABLE_STATES = frozenset({"draft", "returned", "deferred"})


def _reviewer_view(application, user):
    try:
        module = importlib.import_module("fsi.review.access")
    except ModuleNotFoundError as error:
        if error.name != "fsi.review.access":
            raise
        return False
    check = getattr(module, "can_reviewer_view", None)
    return bool(check and check(application, user))


def is_member(application, user):
    return (user.role == Role.applicant and user.organisation_id is not None
            and user.organisation_id == application.organisation_id)


def can_view_application(application, user):
    if not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if user.is_staff:
        return True
    if user.role == Role.applicant:
        return is_member(application, user)
    if user.role == Role.reviewer:
        return _reviewer_view(application, user)
    return False


def can_edit_application(application, user):
    """Only the applicant organisation's users, and only while the application is theirs to
    work on (draft, returned for completion, revision requested)."""
    return (getattr(user, "is_authenticated", False) and user.active and is_member(application, user)
            and application.state in EDITABLE_STATES)


def can_compare_versions(application, user):
    return can_view_application(application, user) and (user.is_staff or is_member(application, user))


def can_create_application(call, user):
    return (getattr(user, "is_authenticated", False) and user.role == Role.applicant
            and user.organisation_id is not None and call.is_open())
