"""Lists: the applicant's own applications, and a call's applications for staff.

Each row shows the workflow actions the current user may take now, or where a blocked one is
fixed: the guards with a batch preload are evaluated for the whole list at once; the others
(the form's completeness) on the application's page, which explains any blocking reason."""
from flask import render_template, request
from flask_login import current_user

from fsi.applications.access import can_list_own
from fsi.applications.services import call_applications as call_rows
from fsi.applications.services import co_applied_applications, organisation_applications
from fsi.applications.views.common import state_label
from fsi.calls.access import can_manage_calls
from fsi.calls.models import Call
from fsi.web import get_or_404, requires
from fsi.workflow.definitions import get_workflow
from fsi.workflow.service import available_actions_for


@requires(can_list_own)
def mine():
    rows = organisation_applications(current_user.organisation_id)
    return render_template("applications/mine.html", rows=rows, state_label=state_label,
                           actions=row_actions(rows), co_applied=co_applied_applications(current_user.organisation_id))


@requires(can_manage_calls)
def call_applications(call_id):
    call = get_or_404(Call, call_id)
    states = list(get_workflow(call.circuit).states)
    chosen = [state for state in request.args.getlist("state") if state in states]
    rows = call_rows(call.id, chosen)
    return render_template("applications/call_list.html", call=call, rows=rows, chosen=chosen, states=states,
                           state_label=state_label, actions=row_actions(rows))


def row_actions(rows):
    """{application id: [Action]} for rows of (Application, ...) tuples, in constant statements."""
    applications = [row[0] for row in rows]
    return available_actions_for(applications, current_user._get_current_object())
