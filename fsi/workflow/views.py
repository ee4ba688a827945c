"""/workflow: fire an action on any registered subject; staff see the diagrams."""
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from fsi.accounts.models import Role
from fsi.accounts.views import safe_next
from fsi.db import StaleObject, db
from fsi.i18n import current_language, pick
from fsi.nav import nav_item
from fsi.security import CSP
from fsi.workflow.definitions import all_workflows, get_workflow, workflow_names
from fsi.workflow.forms import action_form, form_data
from fsi.workflow.machine import mermaid_diagram
from fsi.workflow.registry import SUBJECTS
from fsi.workflow.service import WorkflowRefused, fire

bp = Blueprint("workflow", __name__, url_prefix="/workflow")

nav_item("workflow.index", {"fr": "Circuits", "en": "Workflows"}, roles={Role.staff, Role.admin}, order=80)

STALE_MESSAGE = _l("Ce dossier a été modifié entre-temps, rechargez la page.")


@bp.route("/<workflow>/<int:object_id>/<trigger>", methods=["POST"])
@login_required
def fire_action(workflow, object_id, trigger):
    subject = SUBJECTS.get(workflow)
    if subject is None:
        abort(404)
    row = db.session.get(subject.model, object_id)
    if row is None or not subject.visible_to(row, current_user):
        abort(404)  # 404, not 403: others' files do not even exist for this user
    transition = get_workflow(workflow).transition(trigger)
    if transition is None:
        abort(404)
    form = action_form(transition)
    back = safe_next(form.next.data)
    if not form.validate_on_submit():
        for field, errors in form.errors.items():
            for error in errors:
                flash(f"{pick(transition.label)} : {error}", "error")
        return redirect(back)
    comment, data = form_data(form)
    try:
        fire(row, trigger, current_user, comment=comment, data=data,
             expected_version=form.expected_version.data)
        db.commit()
    except StaleObject:
        db.rollback()
        flash(str(STALE_MESSAGE), "error")
    except WorkflowRefused as refused:
        db.rollback()
        flash(_("« %(action)s » impossible : %(reasons)s", action=pick(transition.label),
                reasons=" ".join(refused.reasons)), "error")
    else:
        state = pick(get_workflow(workflow).state_label(row.state))
        flash(_("« %(action)s » : c'est fait. Nouvel état : %(state)s.", action=pick(transition.label),
                state=state), "success")
    return redirect(back)


def _staff_only():
    if not current_user.is_staff:
        abort(403)


@bp.route("/")
@login_required
def index():
    _staff_only()
    return render_template("workflow/index.html", workflows=all_workflows())


@bp.route("/<name>")
@login_required
def diagram(name):
    _staff_only()
    if name not in workflow_names():
        abort(404)
    workflow = get_workflow(name)
    state = request.args.get("state")
    if state not in workflow.states:
        state = None
    text = mermaid_diagram(name, state, current_language())
    response = make_response(render_template("workflow/diagram.html", workflow=workflow, state=state,
                                             mermaid_text=text))
    # mermaid writes <style> elements into the SVG it draws: allowed on this page only
    response.headers["Content-Security-Policy"] = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    return response


@bp.route("/audit")
@login_required
def audit():
    """Verify the whole audit log on demand: it replays every event (cost grows with the log),
    so the admin home page links here rather than computing the head hash on every visit."""
    if current_user.role != Role.admin:
        abort(403)
    from fsi.workflow.audit import verify

    return render_template("workflow/audit.html", result=verify())
