"""A report's page: the lead writes the draft (saved as often as wanted), then submits it through
the workflow's actions card; staff accept or return it there. The history shows every event
with its comments, so a returned report keeps why it was returned."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fsi.applications.models import Application
from fsi.db import StaleObject, db
from fsi.errors import Refused
from fsi.funding import reports
from fsi.funding.access import is_project_lead
from fsi.funding.models import REPORT_KIND_LABELS, Project, Report
from fsi.funding.report_flow import can_view_report
from fsi.funding.report_form import report_form
from fsi.web import back_to, get_or_404, render_form, show_refusal


def _may_edit(report, project):
    return is_project_lead(project, current_user) and report.state in reports.EDITABLE


@login_required
def report(report_id):
    row = get_or_404(Report, report_id, visible_to=can_view_report)
    project = db.session.get(Project, row.project_id)
    attachments = reports.usable_attachments(project)
    may_edit = _may_edit(row, project)
    if request.method == "POST":
        if not may_edit:
            abort(403)
        back_to(url_for("funding.report", report_id=row.id))
    form = report_form(row, attachments, formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        try:
            reports.save_draft(row, current_user, achievements=form.achievements.data or "",
                               difficulties=form.difficulties.data or "", lessons=form.lessons.data or "",
                               measured=[entry.data for entry in form.measured],
                               actual=[entry.data for entry in form.actual],
                               attachment_ids=form.attachment_ids.data or [],
                               expected_version=form.expected_version.data)
        except (Refused, StaleObject) as error:
            show_refusal(form, error)
        except ValueError:  # the rows posted do not match the report's: a page older than its rows
            show_refusal(form, StaleObject(row))
        else:
            flash(_("Rapport enregistré."), "success")
            return redirect(url_for("funding.report", report_id=row.id))
    application = db.session.get(Application, project.application_id)
    return render_form("funding/report.html", report=row, project=project, application=application, form=form,
                       may_edit=may_edit, kind=REPORT_KIND_LABELS[row.kind], totals=reports.spending_totals(row),
                       missing=reports.missing(row), attachments={a.id: a for a in attachments})
