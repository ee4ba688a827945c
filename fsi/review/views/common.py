"""What every review view does first: load (404) and check access (403 / 404 for conflicts)."""
from flask import abort, flash
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from fsi.applications.models import Application
from fsi.calls.models import Call
from fsi.db import db
from fsi.review.access import can_assess

STALE_MESSAGE = _l("Ces données ont été modifiées entre-temps, rechargez la page.")


def get_or_404(model, ident):
    row = db.session.get(model, ident)
    if row is None:
        abort(404)
    return row


def require_staff():
    if not can_assess(current_user):
        abort(403)


def staff_application(application_id):
    require_staff()
    return get_or_404(Application, application_id)


def staff_call(call_id):
    require_staff()
    return get_or_404(Call, call_id)


def flash_form_errors(form):
    for name, errors in form.errors.items():
        label = form[name].label.text if name in form else name
        for error in errors:
            flash(f"{label} : {error}", "error")
