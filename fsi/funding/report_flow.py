"""What the funding domain lends the engine for workflows/report.yaml: the report subject, its
guards and effects."""
from sqlmodel import select

from fsi.applications.models import Application
from fsi.applications.workflow import recipients as application_recipients
from fsi.db import db, utcnow
from fsi.funding import payments, reports
from fsi.funding.access import can_view_project
from fsi.funding.models import REPORT_KIND_LABELS, Project, Report, ReportKind
from fsi.i18n import N_, pick
from fsi.i18n import lazy_gettext as _l
from fsi.workflow import Provides
from fsi.workflow.registry import SYSTEM, Reason, Remedy
from fsi.workflow.service import fire

provides = Provides("funding-reports")


def project_of(report):
    return db.session.get(Project, report.project_id)


def application_of(report):
    return db.session.exec(select(Application).join(Project, Project.application_id == Application.id)
                           .where(Project.id == report.project_id)).one()


def can_view_report(report, user):
    return can_view_project(project_of(report), user)


def describe(report):
    return f"{application_of(report).reference}, {pick(REPORT_KIND_LABELS[report.kind]).lower()}"


provides.subject("report", Report, owner_organisation=lambda report: application_of(report).organisation_id,
                 recipients=lambda report, audience: application_recipients(application_of(report), audience),
                 describe=describe, can_view=can_view_report)


@provides.guard("report_complete", _l("le rapport est complet (réalisations, indicateurs, dépenses)"))
def report_complete(ctx):
    found = reports.missing(ctx.row)
    if found:
        return Reason(" ".join(found), Remedy(_l("Compléter le rapport"), "funding.report", {"report_id": ctx.row.id}))
    return None


@provides.effect("record_report_submitted", _l("note la date du dépôt"))
def record_report_submitted(ctx):
    ctx.row.submitted_at = utcnow()
    db.session.add(ctx.row)


@provides.effect("report_accepted", _l("le bilan final accepté recalcule le solde et fait avancer le dossier"))
def report_accepted(ctx):
    report = ctx.row
    if report.kind != ReportKind.final:
        return
    payments.recompute_balance(project_of(report), report)
    # FSI's own comment is kept as its French source and shown in the reader's language
    fire(application_of(report), "accept_final_report", SYSTEM, comment=N_("Bilan final accepté."))
