"""A new sheet's first draft, from what FSI already knows: the application (its problem, its
novelty, its contact) and the accepted final report (what was done, the indicators measured,
the lessons, the difficulties met, the attachments filed with it)."""
from sqlmodel import select

from fsi.db import db
from fsi.funding.models import Project, Report, ReportKind
from fsi.workflow import tagged

ACCEPTED_REPORT = tagged("report", "accepted")


def final_report_of(application):
    """The application's accepted final report, or None."""
    return db.session.exec(select(Report).join(Project, Project.id == Report.project_id)
                           .where(Project.application_id == application.id, Report.kind == ReportKind.final,
                                  Report.state.in_(ACCEPTED_REPORT))).first()


def prefill(application, report):
    """(values for PracticeSheet, ids of the attachments filed with the report)."""
    indicators = [{"label": str(item.get("label") or "").strip(), "target": str(item.get("target") or ""),
                   "measured": str(item.get("measured") or "")} for item in report.indicators or []]
    # the results start as the indicators measured, which the lead comments
    results = "\n".join(f"- {item['label']} : {item['measured']}" for item in indicators if item["measured"])
    values = {
        "title": (application.title or application.reference)[:200],
        "summary": application.summary or "",
        "problem": application.description or "",
        "actions": report.achievements or "",
        "novelty": application.innovation or "",
        "budget": "",
        "results": results,
        "indicators": indicators,
        "lessons": report.lessons or "",
        "reproduce": report.difficulties or "",
        "contact_name": application.contact_name or "",
        "contact_role": application.contact_role or "",
        "contact_email": application.contact_email or "",
    }
    return values, [int(i) for i in report.attachment_ids or []]
