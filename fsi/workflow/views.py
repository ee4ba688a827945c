"""/workflow: fire an action on any registered subject; staff see the diagrams."""
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fsi.i18n import current_language, pick
from fsi.security import CSP
from fsi.web import back_to, card_form, get_or_404, requires, safe_next
from fsi.workflow import notes
from fsi.workflow.audit import verify
from fsi.workflow.definitions import AUDIENCE_LABELS, ROLE_LABELS, all_workflows, get_workflow, workflow_names
from fsi.workflow.forms import NoteForm, action_form, form_data
from fsi.workflow.machine import mermaid_diagram
from fsi.workflow.registry import SUBJECTS, label_of
from fsi.workflow.service import fire

bp = Blueprint("workflow", __name__, url_prefix="/workflow")


def is_staff(user):
    return user.is_staff


def is_admin(user):
    return user.is_admin


@bp.route("/<workflow>/<int:object_id>/<trigger>", methods=["POST"])
@login_required
def fire_action(workflow, object_id, trigger):
    subject = SUBJECTS.get(workflow) or abort(404)
    # 404, not 403: others' files do not even exist for this user
    row = get_or_404(subject.model, object_id, visible_to=subject.visible_to)
    definition = subject.definition(row)
    transition = definition.transition(trigger) or abort(404)
    form = action_form(transition)
    back = back_to(safe_next(form.next.data))
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(f"{pick(transition.label)} : {error}", "error")
        return redirect(back)
    comment, data = form_data(form)
    fire(row, trigger, current_user, comment=comment, data=data, expected_version=form.expected_version.data)
    flash(_("« %(action)s » : c'est fait. Nouvel état : %(state)s.", action=pick(transition.label),
            state=pick(definition.state_label(row.state))), "success")
    return redirect(back)


@bp.route("/<workflow>/<int:object_id>/notes", methods=["POST"])
@requires(is_staff)
def add_note(workflow, object_id):
    subject = SUBJECTS.get(workflow) or abort(404)
    row = get_or_404(subject.model, object_id, visible_to=subject.visible_to)
    form = NoteForm()
    back = back_to(safe_next(form.next.data))
    return card_form(form, lambda form: notes.add_note(row, current_user, form.text.data),
                     _("Note interne enregistrée."), back)


@bp.route("/")
@requires(is_staff)
def index():
    return render_template("workflow/index.html", workflows=all_workflows())


@bp.route("/<name>")
@requires(is_staff)
def diagram(name):
    if name not in workflow_names():
        abort(404)
    workflow = get_workflow(name)
    state = request.args.get("state")
    if state not in workflow.states:
        state = None
    text = mermaid_diagram(name, state, current_language())
    response = make_response(render_template(
        "workflow/diagram.html", workflow=workflow, state=state, mermaid_text=text, role_labels=ROLE_LABELS,
        audience_labels=AUDIENCE_LABELS, step_label=label_of))
    # mermaid writes <style> elements into the SVG it draws: allowed on this page only
    response.headers["Content-Security-Policy"] = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    return response


@bp.route("/audit")
@requires(is_admin)
def audit():
    """Verify the whole audit log on demand: it replays every event (cost grows with the log),
    so the admin home page links here rather than computing the head hash on every visit."""
    return render_template("workflow/audit.html", result=verify())
