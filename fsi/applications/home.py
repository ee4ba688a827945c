"""The applications domain's panel on the applicant's home page."""
from fsi.applications.services import organisation_applications
from fsi.workflow.events import last_event_times

#: applications shown on the applicant's home page (the full list is « Mes dossiers »)
APPLICANT_ROWS = 10


def own_applications(user):
    """The organisation's latest applications with their call and last change; None (no panel)
    for an applicant attached to no organisation."""
    if user.organisation_id is None:
        return None
    rows = organisation_applications(user.organisation_id)
    shown = rows[:APPLICANT_ROWS]
    changed = last_event_times("application", [application.id for application, _title in shown])
    return {"applications": [(application, title, changed.get(application.id, application.created_at))
                             for application, title in shown],
            "total": len(rows)}
