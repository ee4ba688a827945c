"""Each section of the form on its own page, saved on its own."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fsi.applications import operations
from fsi.applications.access import can_edit_application
from fsi.applications.completeness import problems_by_section
from fsi.applications.forms import SECTION_FORMS
from fsi.applications.forms.setup import budget_figures, fill_choices, initial_data
from fsi.applications.sections import SECTION_NAMES, SECTIONS
from fsi.applications.views import files
from fsi.applications.views.common import load_application
from fsi.calls.models import Call
from fsi.db import StaleObject, db
from fsi.errors import Refused
from fsi.web import render_form, show_refusal


@login_required
def section(application_id, name):
    if name == "attachments":  # the one section with its own page (uploads)
        return files.attachments(application_id)
    if name not in SECTION_FORMS:
        abort(404)
    application = load_application(application_id)
    if not can_edit_application(application, current_user):
        return redirect(url_for("applications.show", application_id=application.id))
    call = db.session.get(Call, application.call_id)
    form_class = SECTION_FORMS[name]
    form = form_class() if request.method == "POST" else form_class(data=initial_data(name, application))
    extra = fill_choices(name, form, application, call)
    calculation = budget_figures(form, application, call) if name == "budget" else None
    if form.validate_on_submit():
        try:
            _save(name, form, application)
        except (Refused, StaleObject) as error:
            show_refusal(form, error)
        else:
            flash(_("Section enregistrée."), "success")
            return redirect(url_for("applications.section", application_id=application.id, name=name))
    return render_form(f"applications/section_{name}.html", form=form, application=application, call=call,
                       sections=SECTIONS, current=name, problems=problems_by_section(application),
                       calculation=calculation, next_section=_next(name), **extra)


def _save(name, form, application):
    extra = {}
    if name == "organisation":
        extra["co_applicants"] = form.co_applicants.data or []
    elif name == "budget":
        extra.update(cost_lines=form.cost_rows(), cofundings=form.cofunding_rows())
    elif name == "timeline":
        extra["milestones"] = form.milestone_rows()
    operations.save_section(application, form.expected_version(), name, form.values(), **extra)


def _next(name):
    index = SECTION_NAMES.index(name)
    return SECTION_NAMES[index + 1] if index + 1 < len(SECTION_NAMES) else None
