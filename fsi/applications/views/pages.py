"""An application's overview page, creating a draft, and submitting it."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fsi.accounts.models import Organisation
from fsi.applications import operations
from fsi.applications.access import can_compare_versions, can_create_application, can_edit_application
from fsi.applications.attachments import attachments_of
from fsi.applications.calculator import maximum_grant
from fsi.applications.completeness import problems_by_section
from fsi.applications.sections import SECTIONS, SECTIONS_BY_NAME
from fsi.applications.versions import FIELDS, snapshot, versions_of
from fsi.applications.views import bp
from fsi.applications.views.common import STALE_MESSAGE, load_application, state_label
from fsi.calls.models import Call
from fsi.db import StaleObject, db


@bp.route("/new/<int:call_id>", methods=["POST"])
@login_required
def create(call_id):
    call = db.session.get(Call, call_id) or abort(404)
    if not can_create_application(call, current_user):
        abort(403)
    application = operations.create_draft(call, current_user)
    db.commit()
    flash(_("Le brouillon %(ref)s est créé : vous pouvez le remplir en plusieurs fois.",
            ref=application.reference), "success")
    return redirect(url_for("applications.section", application_id=application.id, name="organisation"))


@bp.route("/<int:application_id>")
@login_required
def show(application_id):
    application = load_application(application_id)
    call = db.session.get(Call, application.call_id)
    organisation = db.session.get(Organisation, application.organisation_id)
    grouped = problems_by_section(application)
    return render_template(
        "applications/show.html", application=application, call=call, organisation=organisation,
        sections=SECTIONS, problems=grouped, answers=snapshot(application), fields=FIELDS,
        calculation=maximum_grant(application), attachments=attachments_of(application.id),
        versions=versions_of(application.id) if can_compare_versions(application, current_user) else [],
        can_edit=can_edit_application(application, current_user), state_label=state_label,
        submit_pages=submit_pages(application, call))


def submit_pages(application, call):
    """Submitting goes through our submit page, which lists every missing field with a link."""
    url = url_for("applications.submit", application_id=application.id)
    pages = {"resubmit": url}
    if call.is_open():
        pages["submit"] = url
    return pages


@bp.route("/<int:application_id>/submit", methods=["POST"])
@login_required
def submit(application_id):
    from fsi.workflow.service import WorkflowRefused, fire

    application = load_application(application_id, edit=True)
    grouped = problems_by_section(application)
    if grouped:
        return render_template("applications/problems.html", application=application, problems=grouped,
                               sections=SECTIONS_BY_NAME), 422
    trigger = "resubmit" if application.state == "deferred" else "submit"
    try:
        fire(application, trigger, current_user, expected_version=request.form.get("expected_version"))
    except StaleObject:
        db.rollback()
        flash(str(STALE_MESSAGE), "error")
    except WorkflowRefused as refused:
        db.rollback()
        flash(_("Le dossier ne peut pas être déposé : %(reasons)s", reasons=" ".join(refused.reasons)), "error")
    else:
        db.commit()
        flash(_("Le dossier %(ref)s est déposé. Il n'est plus modifiable sauf s'il vous est retourné.",
                ref=application.reference), "success")
    return redirect(url_for("applications.show", application_id=application.id))
