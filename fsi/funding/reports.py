"""The reports of a funded project: their schedule (progress reports spread over the project, the
final report after its end), the draft the lead writes (achievements, indicators, spending by
budget line, attachments) and the rows the project page shows. Moved by workflows/report.yaml
through ``fsi.workflow.service.fire``; operations flush, never commit."""
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlmodel import select

from fsi.applications.budget import cost_lines
from fsi.applications.models import Application, Attachment
from fsi.db import bump_version, db, utcnow
from fsi.errors import Refused
from fsi.funding import projects  # a module: projects also calls this one
from fsi.funding.access import is_project_lead
from fsi.funding.models import REPORT_KIND_LABELS, Project, Report, ReportKind
from fsi.i18n import N_, today
from fsi.workflow import tagged
from fsi.workflow.definitions import get_workflow
from fsi.workflow.registry import SYSTEM
from fsi.workflow.service import fire

#: reports the lead still has to file (a draft, or returned for completion)
DUE = tagged("report", "due")
EDITABLE = tagged("report", "editable")
AWAITING_STAFF = tagged("report", "awaiting_staff")
ACCEPTED = tagged("report", "accepted")
#: the final report is due this long after the project's end: the last invoices arrive and are
#: paid in the weeks after the work ends, and a final report filed the day the project ends could
#: not declare them (the actual spending the balance is computed on)
FINAL_REPORT_DELAY_MONTHS = 3
ZERO = Decimal("0.00")


def final_due_on(project):
    return projects.add_months(project.ends_on, FINAL_REPORT_DELAY_MONTHS)


def reports_of(project_id):
    return db.session.exec(select(Report).where(Report.project_id == project_id)
                           .order_by(Report.due_on, Report.id)).all()


def final_report_of(project_id):
    return db.session.exec(select(Report).where(Report.project_id == project_id,
                                                Report.kind == ReportKind.final)).first()


# --- The schedule ------------------------------------------------------------------------------

def build_reports(project):
    """The call's progress reports spread evenly over the project (the k-th of n due at k/(n+1)
    of its duration) and the final report, each a draft. Called once the project has its dates;
    a project that already has reports keeps them."""
    if reports_of(project.id):
        return []
    if project.starts_on is None or project.ends_on is None:
        raise Refused(_("Le projet n'a pas encore de dates de début et de fin : ses rapports ne peuvent être prévus."))
    call = projects.call_of(project)
    count = max(call.progress_reports or 0, 0)
    length = (project.ends_on - project.starts_on).days
    reports = [Report(project_id=project.id, kind=ReportKind.progress,
                      due_on=project.starts_on + timedelta(days=length * k // (count + 1)))
               for k in range(1, count + 1)]
    reports.append(Report(project_id=project.id, kind=ReportKind.final, due_on=final_due_on(project)))
    application = db.session.get(Application, project.application_id)
    indicators, spending = promised_indicators(application), budget_lines(application)
    for report in reports:
        report.indicators = [{"label": label, "measured": ""} for label in indicators]
        report.spending = [dict(line) for line in spending]
        db.session.add(report)
    db.session.flush()
    return reports


def move_final_due(project):
    """After an extension moved ``ends_on``: the final report follows, unless already filed."""
    report = final_report_of(project.id)
    if report is not None and report.state in DUE:
        report.due_on = final_due_on(project)
        report.updated_at = utcnow()
        db.session.add(report)
        db.session.flush()
    return report


def cancel_open_reports(project, actor, reason):
    """The project ends early (renounced, abandoned): reports still to file are no longer due.
    Fired as FSI itself (``actor`` is who ended the project: the reason says why)."""
    cancelled = []
    for report in reports_of(project.id):
        if report.state in DUE:
            fire(report, "cancel", SYSTEM, comment=reason or N_("Le projet a pris fin."))
            cancelled.append(report)
    return cancelled


# --- The content --------------------------------------------------------------------------------

def promised_indicators(application):
    """The indicators the application promised: one a line of its « Indicateurs » text."""
    return [line.strip(" -•\t") for line in (application.indicators or "").splitlines() if line.strip(" -•\t")]


def budget_lines(application):
    """The application's budget lines, each with the amount it planned (the eligible base:
    excluding tax, or including it when the applicant cannot recover the VAT)."""
    counted = "amount_excl_tax" if application.vat_recoverable else "amount_incl_tax"
    return [{"label": line.label, "planned": str(getattr(line, counted)), "actual": None, "eligible": line.eligible}
            for line in cost_lines(application.id)]


def _amount(value):
    return Decimal(value) if value not in (None, "") else None


@dataclass(frozen=True)
class SpendingTotals:
    planned: Decimal
    actual: Decimal
    #: actual minus planned: negative when less was spent
    difference: Decimal
    #: what the balance is computed on (the eligible lines' actual spending)
    actual_eligible: Decimal


def spending_totals(report):
    lines = report.spending or []
    planned = sum((_amount(line.get("planned")) or ZERO for line in lines), ZERO)
    actual = sum((_amount(line.get("actual")) or ZERO for line in lines), ZERO)
    eligible = sum((_amount(line.get("actual")) or ZERO for line in lines if line.get("eligible")), ZERO)
    return SpendingTotals(planned, actual, actual - planned, eligible)


def missing(report):
    """What the report still lacks to be filed, in plain French (empty when complete)."""
    found = []
    if not (report.achievements or "").strip():
        found.append(_("Décrivez les réalisations de la période."))
    if any(not str(item.get("measured") or "").strip() for item in report.indicators or []):
        found.append(_("Indiquez la valeur mesurée de chaque indicateur."))
    if any(line.get("actual") in (None, "") for line in report.spending or []):
        found.append(_("Indiquez la dépense réelle de chaque ligne du budget (0 si rien n'a été dépensé)."))
    return found


def usable_attachments(project):
    """The application's attachments a report may reference (invoices, photos, deliverables)."""
    return db.session.exec(select(Attachment).where(Attachment.application_id == project.application_id)
                           .order_by(Attachment.uploaded_at, Attachment.id)).all()


def save_draft(report, actor, *, achievements, difficulties, lessons, measured, actual, attachment_ids,
               expected_version=None):
    """Keep what the lead wrote, complete or not (the workflow's ``submit`` checks completeness).

    ``measured``: one value per indicator, ``actual``: one Decimal (or None) per budget line, in
    the report's order; ``attachment_ids``: ids among the application's attachments."""
    if report.state not in EDITABLE:
        raise Refused(_("Ce rapport est déposé : il ne change plus, sauf s'il vous est retourné."))
    project = db.session.get(Project, report.project_id)
    if not is_project_lead(project, actor):
        raise Refused(_("Seul l'organisme porteur du projet rédige ses rapports."))
    allowed = {attachment.id for attachment in usable_attachments(project)}
    if not set(attachment_ids) <= allowed:
        raise Refused(_("Choisissez des pièces du dossier."), field="attachment_ids")
    if any(value is not None and value < 0 for value in actual):
        raise Refused(_("Une dépense ne peut pas être négative."))
    indicators = [dict(item, measured=(value or "").strip()) for item, value in zip(report.indicators, measured,
                                                                                    strict=True)]
    spending = [dict(line, actual=None if value is None else str(value)) for line, value in zip(report.spending, actual,
                                                                                                strict=True)]
    expected_version = report.version if expected_version is None else expected_version
    bump_version(report, expected_version, achievements=achievements.strip(), difficulties=difficulties.strip(),
                 lessons=lessons.strip(), indicators=indicators, spending=spending,
                 attachment_ids=sorted(set(attachment_ids)), updated_at=utcnow())
    db.session.flush()
    return report


# --- What the project page shows ----------------------------------------------------------------

@dataclass
class ReportRow:
    report: Report
    kind_label: dict
    state_label: dict
    #: due and not filed, past its date (Paris day)
    overdue: bool
    may_edit: bool


def report_rows(project, user):
    """The project's reports for its page (one query whatever their number)."""
    day, lead = today(), is_project_lead(project, user)
    workflow = get_workflow("report")
    return [ReportRow(report, REPORT_KIND_LABELS[report.kind], workflow.state_label(report.state),
                      report.state in DUE and report.due_on < day,
                      lead and report.state in EDITABLE)
            for report in reports_of(project.id)]


def next_report_due(project):
    """The next report to file, or None (F1's page figures)."""
    return db.session.exec(select(Report).where(Report.project_id == project.id, Report.state.in_(DUE))
                           .order_by(Report.due_on, Report.id)).first()
