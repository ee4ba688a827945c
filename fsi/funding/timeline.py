"""One history of a funded project: the application's events, its tranches' and its reports'
(workflows/payment.yaml, report.yaml), the extensions and amendments, in date order. A fixed
number of queries whatever the number of payments and reports."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, or_
from sqlmodel import select

from fsi.db import db
from fsi.funding.models import REPORT_KIND_LABELS
from fsi.workflow.definitions import get_workflow
from fsi.workflow.models import WorkflowEvent
from fsi.workflow.registry import actor_names
from fsi.workflow.ui import event_comment


@dataclass
class Entry:
    created_at: datetime
    #: what moved: the application, « Versement : Avance », « Rapport d'étape »...
    subject: dict
    label: dict
    actor_name: str
    from_label: dict | None = None
    to_label: dict | None = None
    comment: str | None = None


def _events(application, tranches, reports):
    wanted = [and_(WorkflowEvent.workflow == "application", WorkflowEvent.object_id == application.id)]
    if tranches:
        wanted.append(and_(WorkflowEvent.workflow == "payment", WorkflowEvent.object_id.in_(list(tranches))))
    if reports:
        wanted.append(and_(WorkflowEvent.workflow == "report", WorkflowEvent.object_id.in_(list(reports))))
    return db.session.exec(select(WorkflowEvent).where(or_(*wanted))
                           .order_by(WorkflowEvent.created_at, WorkflowEvent.id)).all()


def _subject(event, application, tranches, reports):
    if event.workflow == "payment":
        label = tranches[event.object_id].label
        return {"fr": f"Versement : {label}", "en": f"Payment: {label}"}
    if event.workflow == "report":
        return REPORT_KIND_LABELS[reports[event.object_id].kind]
    return {"fr": f"Dossier {application.reference}", "en": f"Application {application.reference}"}


def project_timeline(project, application, tranches, reports, extensions, amendments):
    """Entries oldest first; ``tranches`` and ``reports`` the project's rows (already loaded)."""
    tranches = {t.id: t for t in tranches}
    reports = {r.id: r for r in reports}
    events = _events(application, tranches, reports)
    names = actor_names({e.actor_id for e in events if e.actor_id}
                        | {x.granted_by_id for x in extensions} | {a.recorded_by_id for a in amendments})
    workflows = {"application": get_workflow(application.circuit), "payment": get_workflow("payment"),
                 "report": get_workflow("report")}
    entries = []
    for event in events:
        workflow = workflows[event.workflow]
        transition = workflow.transition(event.trigger)
        entries.append(Entry(event.created_at, _subject(event, application, tranches, reports),
                             transition.label if transition else {"fr": event.trigger, "en": event.trigger},
                             names.get(event.actor_id) or (_("Système") if event.actor_id is None else "—"),
                             workflow.state_label(event.from_state), workflow.state_label(event.to_state),
                             event_comment(event)))
    project_subject = {"fr": "Projet", "en": "Project"}
    for extension in extensions:
        entries.append(Entry(extension.granted_at, project_subject,
                             {"fr": f"Prolongation de {extension.months} mois",
                              "en": f"{extension.months}-month extension"},
                             names.get(extension.granted_by_id, "—"), comment=extension.reason))
    for amendment in amendments:
        entries.append(Entry(amendment.recorded_at, project_subject,
                             {"fr": f"Avenant signé le {amendment.signed_on:%d/%m/%Y}",
                              "en": f"Amendment signed on {amendment.signed_on:%d/%m/%Y}"},
                             names.get(amendment.recorded_by_id, "—"), comment=amendment.reason))
    return sorted(entries, key=lambda entry: entry.created_at)
