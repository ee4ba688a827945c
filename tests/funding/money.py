"""What the money tests share: a granted, started project with its reports and schedule, and
the steps they take on it."""
from datetime import timedelta
from decimal import Decimal

from sqlmodel import select

from fsi.db import db, utcnow
from fsi.funding import payments
from fsi.funding.models import Project, Report, ReportKind, Tranche
from fsi.i18n import today as paris_today
from fsi.workflow.service import fire
from tests.factories import create_application, create_open_call, create_organisation, create_user

D = Decimal
THREE_TRANCHES = [{"label": "Avance", "share": 40, "on": "agreement"},
                  {"label": "Tranche intermédiaire", "share": 30, "on": "progress"},
                  {"label": "Solde", "share": 30, "on": "final"}]


def make_project(granted="60000.00", schedule=None, kind="modernisation", state="in_progress", **call_kw):
    """A granted, started project with its progress and final reports, and its schedule built."""
    call = create_open_call(**call_kw)
    if schedule is not None:
        call.payment_schedule = schedule
    organisation = create_organisation()
    applicant = create_user(organisation=organisation)
    application = create_application(call=call, organisation=organisation, state=state, kind=kind,
                                     approved_amount=D(granted), approved_at=utcnow())
    start = paris_today() - timedelta(days=30)
    project = Project(application_id=application.id, granted_amount=D(granted), starts_on=start,
                      ends_on=start + timedelta(days=700))
    db.session.add(project)
    db.session.flush()
    db.session.add_all([Report(project_id=project.id, kind=ReportKind.progress, due_on=start + timedelta(days=300)),
                        Report(project_id=project.id, kind=ReportKind.final, due_on=start + timedelta(days=790))])
    db.session.flush()
    payments.build_schedule(project)
    return project, applicant


def get(model, ident):
    return db.session.get(model, ident)


def tranches(project_id):
    return db.session.exec(select(Tranche).where(Tranche.project_id == project_id).order_by(Tranche.position)).all()


def report(project_id, kind):
    return db.session.exec(select(Report).where(Report.project_id == project_id, Report.kind == kind)).one()


def accept(report_row):
    report_row.state = "accepted"  # F3's workflow accepts it; here only the state matters
    db.session.add(report_row)
    db.session.flush()


def pay(tranche, applicant, staff_user, on="2026-11-02"):
    fire(tranche, "request", applicant)
    fire(tranche, "approve", staff_user)
    fire(tranche, "pay", staff_user, data={"date": on})


def text(response):
    """The page's text with the no-break spaces of French typography made plain."""
    return response.get_data(as_text=True).replace("\u00a0", " ").replace("\u202f", " ")


def final_spending(*lines):
    """Spending lines as the report form stores them: (actual, eligible)."""
    return [{"label": f"Ligne {i}", "planned": "0", "actual": actual, "eligible": eligible}
            for i, (actual, eligible) in enumerate(lines)]
