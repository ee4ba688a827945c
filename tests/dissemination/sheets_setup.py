"""What the sheets' tests share: a closed project (its final report accepted) and the people
around it, and the steps the workflow takes on its sheet."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fsi.accounts.models import Role
from fsi.applications.models import Attachment
from fsi.db import db, utcnow
from fsi.dissemination.sheets import sheets
from fsi.funding.models import Project, Report, ReportKind
from fsi.workflow.service import fire
from tests.factories import create_application, create_open_call, create_organisation, create_user, fill_application

COMPLETE = {"summary": "Une conciergerie au pied des immeubles.", "problem": "Des locataires isolés.",
            "actions": "Une loge transformée en conciergerie.", "lessons": "Associer les locataires dès le départ.",
            "reproduce": "Un local en rez-de-chaussée.", "contact_name": "Camille Martin",
            "contact_email": "camille@example.org"}


@dataclass
class Closed:
    """Ids (safe across sessions) of a closed project and the people around it."""

    application_id: int
    project_id: int
    report_id: int
    lead_id: int
    staff_id: int
    other_id: int
    reviewer_id: int
    photo_id: int
    document_id: int


def add_attachment(application, filename, content_type, n):
    attachment = Attachment(application_id=application.id, filename=filename, stored_name=f"{n:064d}",
                            content_type=content_type, size=10, sha256="0" * 64)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def make_closed(state="closed"):
    """An application in ``state`` (set directly) with its project and its accepted final report."""
    call = create_open_call()
    organisation = create_organisation()
    lead = create_user(organisation=organisation)
    application = create_application(call=call, organisation=organisation, state=state,
                                     approved_amount=Decimal("60000.00"), approved_at=utcnow())
    fill_application(application, costs=("100000.00",), requested="60000.00", title="Conciergerie solidaire",
                     description="Les locataires âgés manquaient de services de proximité.",
                     innovation="Un service partagé entre trois bailleurs.", contact_role="Chargée de projet",
                     attachments=[])
    project = Project(application_id=application.id, granted_amount=Decimal("60000.00"), starts_on=date(2025, 1, 6),
                      ends_on=date(2026, 1, 6))
    db.session.add(project)
    db.session.flush()
    photo = add_attachment(application, "loge.png", "image/png", application.id * 10 + 1)
    document = add_attachment(application, "guide.pdf", "application/pdf", application.id * 10 + 2)
    report = Report(project_id=project.id, kind=ReportKind.final, due_on=date(2026, 4, 6), state="accepted",
                    achievements="La conciergerie a ouvert en mars.", difficulties="Trouver le bon local.",
                    lessons="Les locataires viennent quand le service est **proche**.",
                    indicators=[{"label": "Ménages servis", "measured": "120"}],
                    attachment_ids=[photo.id, document.id])
    db.session.add(report)
    db.session.flush()
    staff = create_user(role=Role.staff)
    other = create_user()
    reviewer = create_user(role=Role.reviewer)
    return Closed(application.id, project.id, report.id, lead.id, staff.id, other.id, reviewer.id, photo.id,
                  document.id)


def get(model, ident):
    return db.session.get(model, ident)


def written_sheet(closed, **values):
    """The sheet started by the lead and completed (its image described)."""
    from fsi.accounts.models import User
    from fsi.applications.models import Application

    lead = get(User, closed.lead_id)
    sheet = sheets.start_sheet(get(Application, closed.application_id), lead)
    sheets.save_sheet(sheet, lead, {**COMPLETE, **values})
    sheets.set_attachments(sheet, lead, [{"attachment_id": closed.photo_id, "alt_text": "La loge rénovée"},
                                         {"attachment_id": closed.document_id, "caption": "Le guide"}])
    return sheet


def published_sheet(closed, **values):
    from fsi.accounts.models import User

    sheet = written_sheet(closed, **values)
    fire(sheet, "submit", get(User, closed.lead_id))
    fire(sheet, "publish", get(User, closed.staff_id))
    return sheet
