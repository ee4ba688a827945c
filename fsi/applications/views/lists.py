"""Lists: the applicant's own applications, and a call's applications for staff.

Each row shows the workflow actions the current user may take now. Only roles, ownership and
states are looked at here (no query per row); the guards, some of which have no batch preload,
are evaluated on the application's page, which explains any blocking reason."""
from flask import abort, render_template, request
from flask_login import current_user, login_required
from sqlmodel import select

from fsi.accounts.models import Organisation, Role
from fsi.applications.models import Application
from fsi.applications.services import organisation_applications
from fsi.applications.views import bp
from fsi.applications.views.common import state_label
from fsi.calls.access import can_manage_calls
from fsi.calls.models import Call
from fsi.db import db
from fsi.workflow.definitions import state_names
from fsi.workflow.service import available_actions_for


@bp.route("/")
@login_required
def mine():
    if current_user.role != Role.applicant or current_user.organisation_id is None:
        abort(403)
    rows = organisation_applications(current_user.organisation_id)
    return render_template("applications/mine.html", rows=rows, state_label=state_label,
                           actions=row_actions(rows))


@bp.route("/call/<int:call_id>")
@login_required
def call_applications(call_id):
    if not can_manage_calls(current_user):
        abort(403)
    call = db.session.get(Call, call_id) or abort(404)
    state = request.args.get("state") or None
    query = (select(Application, Organisation.name).join(Organisation, Organisation.id == Application.organisation_id)
             .where(Application.call_id == call.id).order_by(Application.reference))
    if state in state_names("application"):
        query = query.where(Application.state == state)
    rows = db.session.exec(query).all()
    return render_template("applications/call_list.html", call=call, rows=rows, state=state,
                           states=state_names("application"), state_label=state_label,
                           actions=row_actions(rows))


def row_actions(rows):
    """{application id: [Action]} for rows of (Application, ...) tuples, without guards."""
    applications = [row[0] for row in rows]
    return available_actions_for(applications, current_user._get_current_object(), check_guards=False)
