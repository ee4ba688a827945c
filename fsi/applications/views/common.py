"""Loading an application for a request, with the access check every view needs."""
from flask import abort
from flask_login import current_user

from fsi.applications.access import can_edit_application, can_view_application
from fsi.applications.models import Application
from fsi.web import get_or_404
from fsi.workflow.definitions import get_workflow


def load_application(application_id, *, edit=False):
    """The application, or 404 when the user may not see it (even if it exists);
    403 when ``edit`` and the user may see but not change it now."""
    application = get_or_404(Application, application_id, visible_to=can_view_application)
    if edit and not can_edit_application(application, current_user):
        abort(403)
    return application


def state_label(state, circuit="application"):
    """A state's labels in a circuit (a call's ``circuit``); for a row, ``workflow_state_label(row)``."""
    return get_workflow(circuit).state_label(state)
