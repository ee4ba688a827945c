"""A generated dataset for the tracking tests: several calls (both circuits), territories, themes,
axes, organisations of every kind, applications in every state of their circuit, decisions (as
workflow events, chained as the engine writes them), projects with tranches paid or not, reports
overdue or accepted, clawbacks received or not.

Rows are written directly, not through the workflow: the tracking figures read columns, and the
tests recompute each figure in Python from the lists ``build`` returns.

    with in_db():
        data = build(n_applications=40, seed=1)
"""
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlmodel import select, update

from fsi.accounts.models import Organisation, OrganisationKind, Territory
from fsi.accounts.services import load_territories
from fsi.applications.models import Application
from fsi.calls.models import Axis, CallAxis, CallTheme, Theme
from fsi.db import db
from fsi.funding.models import Clawback, Project, Report, ReportKind, Tranche
from fsi.workflow.definitions import get_workflow
from fsi.workflow.events import append_event
from fsi.workflow.models import WorkflowEvent
from tests.factories import create_call, luhn_siren

CENT = Decimal("0.01")
KINDS = ("innovation", "modernisation", "joint_innovation", "joint_modernisation")
#: the states a decision led to (the committee's, or the CGLLS's), and those a grant went on to
DECIDED_APPROVED = ("approved", "in_progress", "final_report", "closed", "disseminated", "abandoned", "renounced")
WITH_PROJECT = ("in_progress", "final_report", "closed", "disseminated", "abandoned")


@dataclass
class Dataset:
    calls: list = field(default_factory=list)
    axes: list = field(default_factory=list)
    themes: list = field(default_factory=list)
    #: call id -> [axis ids]
    call_axes: dict = field(default_factory=dict)
    territories: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    applications: list = field(default_factory=list)
    #: application id -> when the decision was taken (approved or rejected)
    decisions: dict = field(default_factory=dict)
    projects: list = field(default_factory=list)
    tranches: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    clawbacks: list = field(default_factory=list)

    def territory(self, territory_id):
        return next(t for t in self.territories if t.id == territory_id)

    def organisation(self, organisation_id):
        return next(o for o in self.organisations if o.id == organisation_id)

    def application(self, application_id):
        return next(a for a in self.applications if a.id == application_id)


def build(n_applications=40, seed=1, organisations=8):
    """Write the dataset (flushed, not committed: the caller's ``in_db()`` commits)."""
    rng = random.Random(seed)
    data = Dataset()
    load_territories()
    data.territories = list(db.session.exec(select(Territory).order_by(Territory.id)).all())
    _taxonomy(data)
    _calls(data)
    _organisations(data, rng, organisations)
    add_applications(data, n_applications, rng)
    return data


def add_applications(data, count, rng):
    """``count`` more applications (with their decisions, projects, payments...) in ``data``'s
    calls and organisations: the statement-count tests grow the same dataset."""
    for _ in range(count):
        _application(data, rng)
    db.session.flush()


def _taxonomy(data):
    data.axes = [Axis(label_fr=f"Axe {i}", position=i) for i in range(2)]
    data.themes = [Theme(label_fr=f"Thème {i}", position=i) for i in range(3)]
    db.session.add_all(data.axes + data.themes)
    db.session.flush()


def _calls(data):
    specs = [  # (title, year, circuit, envelope, axes)
        ("Appel régional 2024", 2024, "application", "400000.00", [0]),
        ("Appel régional 2025", 2025, "application", "600000.00", [0, 1]),
        ("Appel national 2025", 2025, "application_fsi", "900000.00", [1]),
    ]
    for title, year, circuit, envelope, axes in specs:
        opens = datetime(year, 1, 10, 9, 0, tzinfo=UTC)
        call = create_call(title=title, circuit=circuit, envelope=Decimal(envelope),
                           opens_at=opens, closes_at=opens + timedelta(days=60))
        data.calls.append(call)
        data.call_axes[call.id] = [data.axes[i].id for i in axes]
        db.session.add_all([CallAxis(call_id=call.id, axis_id=data.axes[i].id) for i in axes])
        db.session.add_all([CallTheme(call_id=call.id, theme_id=theme.id) for theme in data.themes])
    db.session.flush()


def _organisations(data, rng, count):
    kinds = list(OrganisationKind)
    for i in range(count):
        territory = rng.choice(data.territories)
        organisation = Organisation(name=f"Organisme {i} « Hlm »", kind=kinds[i % len(kinds)],
                                    siren=luhn_siren(20000000 + i), department_code=territory.department_code,
                                    territory_id=territory.id if i % 4 else None)
        db.session.add(organisation)
        data.organisations.append(organisation)
    db.session.flush()


def _money(rng, low, high):
    return Decimal(rng.randrange(low * 100, high * 100)) / 100


def _application(data, rng):
    call = rng.choice(data.calls)
    organisation = rng.choice(data.organisations)
    workflow = get_workflow(call.circuit)
    state = rng.choice(sorted(workflow.states))
    received = None if state == "draft" else call.opens_at + timedelta(days=rng.randrange(1, 50), hours=rng.randrange(0, 23))
    number = len(data.applications) + 1
    application = Application(
        reference=f"GEN-{number:05d}", call_id=call.id, organisation_id=organisation.id, state=state,
        circuit=call.circuit, title=f"Projet {number} de l'organisme {organisation.name}",
        summary=f"Résumé du projet {number}", kind=rng.choice(KINDS),
        requested_amount=_money(rng, 5000, 90000) if rng.random() > 0.1 else None,
        received_at=received, submitted_at=received,
        theme_id=rng.choice(data.themes).id if rng.random() > 0.1 else None,
        territory_id=rng.choice(data.territories).id if rng.random() > 0.25 else None)
    db.session.add(application)
    db.session.flush()
    data.applications.append(application)
    if state in DECIDED_APPROVED or state == "rejected":
        _decide(data, rng, application, approved=state != "rejected")
    if state in WITH_PROJECT:
        _project(data, rng, application)


def _decide(data, rng, application, approved):
    decided_at = application.received_at + timedelta(days=rng.randrange(20, 200), hours=rng.randrange(0, 12))
    data.decisions[application.id] = decided_at
    if approved:
        application.approved_amount = _money(rng, 5000, 80000)
        application.approved_at = decided_at
        db.session.add(application)
    event = append_event(workflow="application", object_id=application.id, trigger="decide",
                         from_state="scheduled", to_state="approved" if approved else "rejected",
                         actor_id=None, comment=None, data={}, workflow_version=1)
    # dated back to the decision (the event's hash no longer matches: the dataset is not audited)
    db.session.execute(update(WorkflowEvent).where(WorkflowEvent.id == event.id).values(created_at=decided_at))


def _project(data, rng, application):
    granted = application.approved_amount
    starts = application.approved_at.date() + timedelta(days=rng.randrange(10, 60))
    project = Project(application_id=application.id, granted_amount=granted, starts_on=starts,
                      ends_on=starts + timedelta(days=700),
                      lapsed_on=starts + timedelta(days=720) if rng.random() < 0.1 else None)
    db.session.add(project)
    db.session.flush()
    advance = (granted / 2).quantize(CENT)
    paid_advance = rng.random() < 0.8
    tranches = [
        Tranche(project_id=project.id, position=1, label="Avance", amount=advance,
                state="paid" if paid_advance else "requested", due_on=starts,
                paid_on=starts + timedelta(days=rng.randrange(5, 90)) if paid_advance else None,
                paid_amount=advance if paid_advance else None),
        Tranche(project_id=project.id, position=2, label="Solde", amount=granted - advance, is_balance=True,
                state=rng.choice(["planned", "approved"]), due_on=starts + timedelta(days=rng.randrange(200, 900))),
    ]
    project.paid_total = advance if paid_advance else Decimal("0.00")
    if application.state in ("final_report", "closed", "disseminated") and rng.random() < 0.6:
        project.due_amount = (granted * Decimal(rng.choice(["0.40", "0.75", "1"]))).quantize(CENT)
    db.session.add(project)
    reports = [Report(project_id=project.id, kind=ReportKind.progress, due_on=starts + timedelta(days=rng.randrange(100, 400)),
                      state=rng.choice(["draft", "submitted", "accepted", "returned"])),
               Report(project_id=project.id, kind=ReportKind.final, due_on=starts + timedelta(days=rng.randrange(700, 1200)),
                      state="accepted" if project.due_amount is not None else "draft")]
    db.session.add_all(tranches + reports)
    db.session.flush()
    data.projects.append(project)
    data.tranches.extend(tranches)
    data.reports.extend(reports)
    if project.paid_total and (application.state == "abandoned" or project.due_amount is not None
                               and project.due_amount < project.paid_total):
        owed = project.paid_total - (project.due_amount or Decimal("0.00"))
        clawback = Clawback(project_id=project.id, amount=owed, reason="Trop-perçu",
                            received_on=date(2024, 1, 5) if rng.random() < 0.5 else None)
        db.session.add(clawback)
        data.clawbacks.append(clawback)
    db.session.flush()
