"""Who may see and edit an application: the one place every view asks.

Views answer 404 (not 403) when a user may not see an application, so that guessing
identifiers reveals nothing.
"""

from fsi.accounts.models import Role, User
from fsi.applications.models import CoApplicant
from fsi.applications.signals import can_view
from fsi.db import db
from fsi.hooks import any_true
from fsi.workflow import tagged

#: the states in which the applicant works on the application
EDITABLE = tagged("application", "editable")
#: returned or deferred: the applicant is asked to complete the file
AWAITING_COMPLETION = tagged("application", "awaiting_completion")


def is_member(application, user):
    return (user.role == Role.applicant and user.organisation_id is not None
            and user.organisation_id == application.organisation_id)


def is_co_applicant(application, user):
    """A user of an organisation carrying the (submitted) project with the applicant: they read
    it, and never act on it."""
    if user.role != Role.applicant or user.organisation_id is None or application.received_at is None:
        return False
    return db.session.get(CoApplicant, (application.id, user.organisation_id)) is not None


def can_view_application(application, user):
    """Staff, the applicant organisation's users, the co-applicants' once it is submitted, and
    whoever a higher domain lets in (reviewers)."""
    if not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if user.is_staff or is_member(application, user) or is_co_applicant(application, user):
        return True
    return any_true(can_view, application, user=user)


def can_edit_application(application, user):
    """Only the applicant organisation's users, and only while the application is theirs to
    work on (draft, returned for completion, revision requested)."""
    return (getattr(user, "is_authenticated", False) and user.active and is_member(application, user)
            and application.state in EDITABLE)


def can_remove_attachment(application, attachment, user):
    """The applicant removes what their organisation attached, while the file is theirs to work
    on; never what staff joined to it (the CGLLS's notification)."""
    if not can_edit_application(application, user) or attachment.uploaded_by_id is None:
        return False
    uploader = db.session.get(User, attachment.uploaded_by_id)
    return uploader is not None and uploader.role == Role.applicant


def can_set_deadline(application, user):
    """Staff, on a file returned or deferred (waiting for the applicant)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff
                and application.state in AWAITING_COMPLETION)


def can_compare_versions(application, user):
    return can_view_application(application, user) and (user.is_staff or is_member(application, user))


def can_create_application(call, user):
    return (getattr(user, "is_authenticated", False) and user.role == Role.applicant
            and user.organisation_id is not None and call.is_open())


def can_list_own(user):
    return user.is_authenticated and user.role == Role.applicant and user.organisation_id is not None
