"""Who may see and do what on a funded project. Staff and admins manage; the applicant
organisation's users follow their project and act as its lead (reports, payment requests); the
co-applicants' users read it. Reviewers see nothing of it."""
from fsi.accounts.models import Role
from fsi.applications.access import is_co_applicant, is_member
from fsi.applications.models import Application
from fsi.db import db


def _active(user):
    return getattr(user, "is_authenticated", False) and user.active


def can_manage_funding(user):
    """Staff and admins: agreements, schedules, payments, reports' review, extensions, clawbacks."""
    return _active(user) and user.is_staff


def application_of(project):
    return db.session.get(Application, project.application_id)


def is_project_lead(project, user):
    """A user of the organisation that carries the project: writes its reports, requests payments."""
    return _active(user) and is_member(application_of(project), user)


def can_view_project(project, user):
    """Staff, the lead organisation's users, and (read-only) the co-applicants' users."""
    if not _active(user):
        return False
    application = application_of(project)
    return user.is_staff or is_member(application, user) or is_co_applicant(application, user)


def can_list_projects(user):
    """Staff, and the users of a housing body (applicants): a reviewer's organisation does not make
    its projects theirs to follow."""
    return _active(user) and (user.is_staff or (user.role == Role.applicant and user.organisation_id is not None))
