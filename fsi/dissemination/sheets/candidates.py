"""The projects whose sheet their lead can start: an accepted final report and no sheet yet."""
from sqlmodel import select

from fsi.applications.models import Application
from fsi.db import db
from fsi.dissemination.sheets.models import PracticeSheet
from fsi.dissemination.sheets.prefill import ACCEPTED_REPORT
from fsi.funding.models import Project, Report, ReportKind


def startable_for(user):
    """The user's organisation's applications ready for a sheet (one query)."""
    if user.organisation_id is None:
        return []
    return db.session.exec(
        select(Application)
        .join(Project, Project.application_id == Application.id)
        .join(Report, Report.project_id == Project.id)
        .outerjoin(PracticeSheet, PracticeSheet.application_id == Application.id)
        .where(Application.organisation_id == user.organisation_id, Report.kind == ReportKind.final,
               Report.state.in_(ACCEPTED_REPORT), PracticeSheet.id.is_(None))
        .order_by(Application.reference)).all()
