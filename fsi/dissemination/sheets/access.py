"""Who may see and do what with practice sheets. The lead organisation's users write their
project's sheet; staff review and publish it; a published sheet is read by anyone (the public
catalogue) and signed-in members of another housing body may declare they reproduced it."""
from fsi.applications.access import is_member
from fsi.applications.models import Application
from fsi.db import db
from fsi.workflow import tagged

PUBLIC = tagged("sheet", "public")
EDITABLE = tagged("sheet", "editable")


def _active(user):
    return bool(getattr(user, "is_authenticated", False) and user.active)


def application_of(sheet):
    return db.session.get(Application, sheet.application_id)


def is_public(sheet):
    return sheet.state in PUBLIC


def is_application_lead(application, user):
    """A user of the organisation that carried the project: writes its sheet."""
    return _active(user) and is_member(application, user)


def is_sheet_lead(sheet, user):
    return is_application_lead(application_of(sheet), user)


def can_view_sheet(sheet, user):
    """Staff and the lead organisation at every stage; any signed-in user once published
    (anonymous visitors read published sheets in the catalogue)."""
    if not _active(user):
        return False
    return user.is_staff or is_member(application_of(sheet), user) or is_public(sheet)


def can_follow_sheet(sheet, user):
    """Staff and the lead organisation: the sheet's working page, its history and its reviewers'
    comments (other readers of a published sheet get the catalogue's page)."""
    return _active(user) and (user.is_staff or is_member(application_of(sheet), user))


def can_view_sheet_publicly(sheet, user):
    """What the public pages and the chosen attachments' downloads allow: a published sheet, or
    one the signed-in user may see anyway."""
    return is_public(sheet) or can_view_sheet(sheet, user)


def can_edit_sheet(sheet, user):
    """The lead writes while the sheet is a draft or returned; a published sheet is revised first."""
    return is_sheet_lead(sheet, user) and sheet.state in EDITABLE


def can_list_sheets(user):
    return _active(user) and (user.is_staff or user.organisation_id is not None)


def can_start_sheet(application, user):
    """The lead organisation's users, for their own application (the service checks its final
    report is accepted)."""
    return is_application_lead(application, user)


def can_declare_reproduction(sheet, user):
    """A signed-in member of a housing body other than the sheet's own, on a published sheet."""
    if not _active(user) or user.organisation_id is None or not is_public(sheet):
        return False
    return user.organisation_id != application_of(sheet).organisation_id
