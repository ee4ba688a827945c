"""Loading an application for a request, with the access check every view needs."""
from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from fsi.applications.access import can_edit_application, can_view_application
from fsi.applications.models import Application
from fsi.db import db
from fsi.workflow.definitions import get_workflow

STALE_MESSAGE = _l("Ce dossier a été modifié entre-temps par quelqu'un d'autre : rechargez la page.")


def load_application(application_id, *, edit=False):
    """The application, or 404 when the user may not see it (even if it exists);
    403 when ``edit`` and the user may see but not change it now."""
    application = db.session.get(Application, application_id)
    if application is None or not can_view_application(application, current_user):
        abort(404)
    if edit and not can_edit_application(application, current_user):
        abort(403)
    return application


def state_label(state):
    return get_workflow("application").state_label(state)
