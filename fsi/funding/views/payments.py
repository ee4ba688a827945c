"""The payments' pages: a tranche (its condition, its actions through the workflow, its history),
the schedule staff edit before the first payment, and a clawback recorded as received."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from fsi.applications.models import Application
from fsi.db import db
from fsi.errors import Refused
from fsi.formatting import day
from fsi.funding import payments
from fsi.funding.access import can_list_projects, can_manage_funding, can_view_project
from fsi.funding.models import REPORT_KIND_LABELS, Clawback, Project, Report, Tranche
from fsi.funding.payment_forms import BLANK_LINES, ClawbackReceivedForm, ScheduleForm
from fsi.i18n import pick
from fsi.web import back_to, card_form, check, get_or_404, render_form, requires, show_refusal


def _project_and_application(project_id):
    project = db.session.get(Project, project_id)
    return project, db.session.get(Application, project.application_id)


@requires(can_list_projects)
def tranche(tranche_id):
    row = get_or_404(Tranche, tranche_id, visible_to=lambda t, user: can_view_project(
        db.session.get(Project, t.project_id), user))
    project, application = _project_and_application(row.project_id)
    report = db.session.get(Report, row.condition_report_id) if row.condition_report_id else None
    return render_template("funding/tranche.html", tranche=row, project=project, application=application,
                           report=report, report_label=REPORT_KIND_LABELS[report.kind] if report else None,
                           workflow_row=row)


def _report_choices(project):
    reports = db.session.exec(select(Report).where(Report.project_id == project.id).order_by(Report.due_on)).all()
    return [(str(r.id), _("%(kind)s dû le %(day)s", kind=pick(REPORT_KIND_LABELS[r.kind]),
                          day=day(r.due_on))) for r in reports]


def _schedule_data(project):
    lines = [{"tranche_id": str(t.id), "label": t.label, "amount": t.amount,
              "condition": str(t.condition_report_id or ""), "is_balance": t.is_balance}
             for t in payments.tranches_of(project) if t.state in payments.OUTSTANDING]
    return {"lines": lines + [{} for _blank in range(BLANK_LINES)]}


@requires(can_manage_funding)
def edit_schedule(project_id):
    project = get_or_404(Project, project_id, visible_to=can_view_project)
    application = db.session.get(Application, project.application_id)
    back = back_to(url_for("funding.show", project_id=project.id))
    form = ScheduleForm(data=_schedule_data(project))
    form.set_conditions(_report_choices(project))
    if form.validate_on_submit():
        lines = [payments.ScheduleLine(entry.form.label.data or "", entry.form.amount.data,
                                       int(entry.form.condition.data) if entry.form.condition.data else None,
                                       entry.form.tranche, entry.form.is_balance.data)
                 for entry in form.lines if not entry.form.is_blank()]
        try:
            payments.edit_schedule(project, current_user, lines)
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(_("L'échéancier est enregistré."), "success")
            return redirect(back)
    return render_form("funding/schedule.html", form=form, project=project, application=application,
                       editable=not any(t.state in payments.PAID for t in payments.tranches_of(project)))


@requires(can_manage_funding)
def clawback_received(clawback_id):
    clawback = get_or_404(Clawback, clawback_id)
    project = db.session.get(Project, clawback.project_id)
    check(can_view_project(project, current_user))
    back = back_to(url_for("funding.show", project_id=project.id, _anchor="clawbacks"))
    form = ClawbackReceivedForm(prefix=f"clawback-{clawback.id}")
    return card_form(form, lambda f: payments.record_clawback_received(clawback, current_user, f.received_on.data),
                     _("Le reversement est enregistré comme reçu."), back)
