"""Who may see and edit an application: the one place every view asks.

Views answer 404 (not 403) when a user may not see an application, so that guessing
identifiers reveals nothing.
"""
from fsi.accounts.models import Role
from fsi.applications.signals import can_view
from fsi.hooks import any_true
from fsi.workflow import tagged

#: the states in which the applicant works on the application
EDITABLE = tagged("application", "editable")


def is_member(application, user):
    return (user.role == Role.applicant and user.organisation_id is not None
            and user.organisation_id == application.organisation_id)


def can_view_application(application, user):
    """Staff, the applicant organisation's users, and whoever a higher domain lets in (reviewers)."""
    if not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if user.is_staff or is_member(application, user):
        return True
    return any_true(can_view, application, user=user)


def can_edit_application(application, user):
    """Only the applicant organisation's users, and only while the application is theirs to
    work on (draft, returned for completion, revision requested)."""
    return (getattr(user, "is_authenticated", False) and user.active and is_member(application, user)
            and application.state in EDITABLE)


def can_compare_versions(application, user):
    return can_view_application(application, user) and (user.is_staff or is_member(application, user))


def can_create_application(call, user):
    return (getattr(user, "is_authenticated", False) and user.role == Role.applicant
            and user.organisation_id is not None and call.is_open())


def can_list_own(user):
    return user.is_authenticated and user.role == Role.applicant and user.organisation_id is not None
