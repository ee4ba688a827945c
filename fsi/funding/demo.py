"""The funding domain's demo data (``flask fsi seed-demo``, after the review's, which has the
CGLLS grant three files for it): the 60 000 € grant's agreement signed, its advance paid, a
progress report accepted, the final report with lower spending accepted, the balance recomputed
and paid; a small grant (below the agreement threshold, started with its notification) abandoned
after its advance, its clawback received; another small grant simply under way. Everything
goes through the workflows, as people would; run twice, it adds nothing (a project already paid
is left alone)."""
import io
from datetime import timedelta
from decimal import Decimal

from flask import current_app
from sqlmodel import select
from werkzeug.datastructures import FileStorage

from fsi.accounts.models import Role, User
from fsi.applications.models import Application
from fsi.db import db
from fsi.funding import payments, projects, reports
from fsi.funding.models import ReportKind
from fsi.i18n import today
from fsi.workflow.service import fire

STAFF = "instructeur@demo.fsi"
#: files the review demo has the CGLLS grant (fsi.review.demo.NATIONAL_PROJECTS); a third one,
#: « Conciergerie solidaire de quartier », stays under way as its notification started it
COMPLETED = "Résidence intergénérationnelle connectée"
ABANDONED = "Ateliers numériques des aînés"
PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"
#: the share of the planned spending the final report declares (less spent than planned)
SPENT = Decimal("0.60")


def seed_funding():
    with current_app.test_request_context():  # French formatting and workflow mails need a locale
        return _seed()


def _seed():
    staff = db.session.exec(select(User).where(User.email == STAFF)).first()
    lines = []
    for title, walk in ((COMPLETED, _complete), (ABANDONED, _abandon)):
        application = db.session.exec(select(Application).where(Application.title == title)).first()
        project = projects.open_project(application) if application is not None else None
        if staff is None or project is None or project.paid_total > 0:
            continue
        lead = db.session.exec(select(User).where(User.organisation_id == application.organisation_id,
                                                  User.role == Role.applicant).order_by(User.id)).first()
        lines.append(walk(application, project, lead, staff))
    return lines


def _pay(tranche, lead, staff, on):
    fire(tranche, "request", lead)
    fire(tranche, "approve", staff)
    fire(tranche, "pay", staff, data={"date": on})


def _file(report, lead, staff, share):
    reports.save_draft(report, lead, achievements="Les travaux prévus pour la période sont réalisés.",
                       difficulties="Un retard de livraison des équipements, rattrapé.",
                       lessons="Associer les locataires dès la conception.",
                       measured=["Atteint" for _item in report.indicators],
                       actual=[(Decimal(line["planned"]) * share).quantize(Decimal("0.01"))
                               for line in report.spending], attachment_ids=[])
    fire(report, "submit", lead)
    fire(report, "accept", staff)


def _complete(application, project, lead, staff):
    """Agreement signed, advance paid, a progress report and the final report (60 % of the planned
    spending) accepted, the balance recomputed and paid. The demo's history happens today (the
    committee decided today): nothing is dated before the decision, so the dashboards' delays hold."""
    if application.state in projects.AWARDED and project.starts_on is None:
        signed = today()
        projects.record_agreement(project, staff, signed, FileStorage(io.BytesIO(PDF), filename="convention.pdf"),
                                  signed, signed + timedelta(days=365))
        fire(application, "sign_agreement", staff, data={"date": signed})
    tranches = payments.tranches_of(project)
    _pay(tranches[0], lead, staff, today())
    for report in reports.reports_of(project.id):
        _file(report, lead, staff, SPENT if report.kind == ReportKind.final else Decimal("0.5"))
    for tranche in payments.tranches_of(project):
        if tranche.state in payments.OUTSTANDING:
            _pay(tranche, lead, staff, today())
    return (f"Financement : « {application.reference} » conventionné, avance et solde versés "
            f"({project.paid_total} € sur {project.granted_amount} € accordés)")


def _abandon(application, project, lead, staff):
    """Started with its letter, advance paid, then abandoned: nothing more is due, the advance is
    to be paid back, and staff record it received."""
    if project.starts_on is None:
        return f"Financement : « {application.reference} » n'a pas démarré, étape ignorée"
    _pay(payments.tranches_of(project)[0], lead, staff, today())
    fire(application, "abandon", staff, comment="L'organisme a renoncé au tiers-lieu : le local n'est plus disponible.",
         data={"still_due": Decimal("0.00")})
    for clawback in payments.clawbacks_of(project):
        payments.record_clawback_received(clawback, staff, today())
    return f"Financement : « {application.reference} » abandonné après son avance, reversement reçu"
