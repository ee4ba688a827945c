"""An application's overview page, creating a draft, and submitting it."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fsi.accounts.models import Organisation
from fsi.applications import operations
from fsi.applications.access import (
    can_compare_versions,
    can_create_application,
    can_edit_application,
    can_set_deadline,
    is_co_applicant,
)
from fsi.applications.attachments import attachments_of, uploaded_by_applicants
from fsi.applications.calculator import carriers_of, ceiling_share, maximum_grant
from fsi.applications.completeness import problems_by_section
from fsi.applications.forms.deadline import DeadlineForm
from fsi.applications.sections import SECTIONS, SECTIONS_BY_NAME
from fsi.applications.services import co_applicants_of
from fsi.applications.signals import page_sections
from fsi.applications.versions import FIELDS, snapshot, versions_of
from fsi.applications.views.common import load_application, state_label
from fsi.cache import kept_page
from fsi.calls.models import Call
from fsi.db import db
from fsi.hooks import collect
from fsi.i18n import current_language
from fsi.web import back_to, card_form, check, get_or_404
from fsi.workflow.registry import definition_of


@login_required
def create(call_id):
    call = get_or_404(Call, call_id)
    check(can_create_application(call, current_user))
    application = operations.create_draft(call, current_user)
    flash(_("Le brouillon %(ref)s est créé : vous pouvez le remplir en plusieurs fois.",
            ref=application.reference), "success")
    return redirect(url_for("applications.section", application_id=application.id, name="organisation"))


@login_required
@kept_page
def show(application_id):
    application = load_application(application_id)
    call = db.session.get(Call, application.call_id)
    can_edit = can_edit_application(application, current_user)
    attachments = attachments_of(application.id)
    return render_template(
        "applications/show.html", application=application, call=call,
        organisation=db.session.get(Organisation, application.organisation_id),
        sections=SECTIONS, problems=problems_by_section(application), fields=FIELDS,
        answers=snapshot(application, current_language()),
        calculation=maximum_grant(application), attachments=attachments,
        from_applicant=uploaded_by_applicants(attachments),
        versions=versions_of(application.id) if can_compare_versions(application, current_user) else [],
        can_edit=can_edit, is_applicant_reader=not can_edit and current_user.role.value == "applicant",
        show_calculator=current_user.is_staff or can_edit, state_label=state_label,
        submit_pages=submit_pages(application, call), circuit=definition_of(application),
        co_applicants=co_applicants_of(application), ceiling_share=own_ceiling_share(application, call),
        deadline_form=deadline_form(application),
        extra_sections=collect(page_sections, application, user=current_user))


def own_ceiling_share(application, call):
    """For a user of a co-applicant organisation: what the grant counts against their own ceiling."""
    if application.approved_amount is None or not is_co_applicant(application, current_user):
        return None
    return ceiling_share(application, call, current_user.organisation_id, carriers_of([application.id])[application.id])


def deadline_form(application):
    """Staff set the day a returned or deferred file must come back by."""
    if not can_set_deadline(application, current_user):
        return None
    return DeadlineForm(formdata=None, data={"deadline": application.completion_deadline,
                                             "expected_version": application.version})


@login_required
def set_deadline(application_id):
    application = load_application(application_id)
    check(can_set_deadline(application, current_user))
    back = back_to(url_for("applications.show", application_id=application.id, _anchor="deadline-title"))
    return card_form(DeadlineForm(), lambda form: operations.set_completion_deadline(
        application, form.deadline.data, form.expected_version.data), _("Délai enregistré."), back)


def submit_pages(application, call):
    """Submitting goes through our submit page, which lists every missing field with a link
    (while the call is closed, the action stays on the page, disabled with its reason)."""
    url = url_for("applications.submit", application_id=application.id)
    return {trigger: url for trigger in operations.SUBMIT_TRIGGERS if call.is_open() or trigger != "submit"}


@login_required
def submit(application_id):
    application = load_application(application_id, edit=True)
    back = back_to(url_for("applications.show", application_id=application.id))
    grouped = problems_by_section(application)
    if grouped:
        return render_template("applications/problems.html", application=application, problems=grouped,
                               sections=SECTIONS_BY_NAME), 422
    # the page's form is the workflow's action form, its fields prefixed by the trigger it offers
    # (submit, complete or resubmit)
    trigger = operations.submit_trigger(application)
    expected = request.form.get(f"{trigger}-expected_version", request.form.get("expected_version"))
    operations.submit(application, current_user, expected_version=expected)
    flash(_("Le dossier %(ref)s est déposé. Il n'est plus modifiable sauf s'il vous est retourné.",
            ref=application.reference), "success")
    return redirect(back)
