"""GET /applications (filters, pagination), GET /applications/{id} (answers, budget, state,
version, the actions the user may take now with their blocking reasons), GET
/applications/{id}/events (the timeline). The same visibility as the pages: an application the
user may not see is 404."""
from datetime import UTC, date

from flask_login import current_user
from pydantic import AwareDatetime, BaseModel, Field, NaiveDatetime
from sqlalchemy import exists, or_
from sqlmodel import select

from fsi.accounts.models import Organisation, Territory
from fsi.api.auth import token_required
from fsi.api.blueprint import bp
from fsi.api.errors import api_abort
from fsi.api.pagination import Page, PageQuery, page_of
from fsi.api.schemas.actions import ActionOut, Label, label
from fsi.api.shapes import Money, Ref, UtcTime
from fsi.api.spec import api, responses
from fsi.api.visibility import visible_applications
from fsi.api.workflow import TimelineEvent, actions_out, events_out, state_label
from fsi.applications import budget
from fsi.applications.access import can_edit_application, can_view_application
from fsi.applications.attachments import attachments_of
from fsi.applications.calculator import maximum_grant
from fsi.applications.models import Application, Milestone
from fsi.applications.services import co_applicants_of
from fsi.cache import kept_page
from fsi.calls.models import Call, Theme
from fsi.calls.rules import kind_label
from fsi.db import db
from fsi.web import get_or_404
from fsi.workflow.definitions import circuits
from fsi.workflow.events import last_event_times
from fsi.workflow.models import WorkflowEvent
from fsi.workflow.registry import subject_for_row


class ApplicationQuery(PageQuery):
    state: str | None = Field(default=None, max_length=32, description="A state's name (see each item's `state`).")
    call: int | None = Field(default=None, ge=1, le=2_147_483_647, description="A call's id.")
    organisation: int | None = Field(default=None, ge=1, le=2_147_483_647,
                                     description="The applicant organisation's id.")
    updated_since: AwareDatetime | NaiveDatetime | None = Field(
        default=None, description="ISO 8601 (UTC when no offset): created, or moved by a transition, since then.")


class ApplicationSummary(BaseModel):
    id: int
    reference: str
    title: str
    call: Ref
    organisation: Ref
    state: str
    state_label: Label
    version: int = Field(description="Send it back as `expected_version` with a transition.")
    requested_amount: Money | None
    approved_amount: Money | None
    created_at: UtcTime
    received_at: UtcTime | None
    updated_at: UtcTime = Field(description="Its creation or its last transition, whichever is later.")


class ApplicantContact(BaseModel):
    name: str
    role: str
    email: str
    phone: str


class MilestoneOut(BaseModel):
    due_on: date | None
    label: str


class AttachmentOut(BaseModel):
    id: int
    label: str
    filename: str
    content_type: str
    size: int
    uploaded_at: UtcTime


class Answers(BaseModel):
    contact: ApplicantContact
    co_applicants: list[Ref]
    summary: str
    description: str
    innovation: str
    beneficiaries: str
    territory: str | None
    partners: str
    kind: str
    kind_label: Label | None
    theme: Label | None
    start_date: date | None
    end_date: date | None
    milestones: list[MilestoneOut]
    expected_results: str
    indicators: str
    attachments: list[AttachmentOut]


class CostLineOut(BaseModel):
    category: str
    label: str
    amount_excl_tax: Money
    amount_incl_tax: Money
    eligible: bool


class CoFundingOut(BaseModel):
    funder: str
    public: bool
    amount: Money


class Budget(BaseModel):
    vat_recoverable: bool
    cost_lines: list[CostLineOut]
    cofundings: list[CoFundingOut]
    total_excl_tax: Money
    total_incl_tax: Money
    eligible_cost: Money
    public_cofunding: Money
    private_cofunding: Money
    requested_amount: Money | None
    approved_amount: Money | None
    maximum_grant: Money | None = Field(description="What the call's rules allow at most (staff and the "
                                                    "applicant while editing; null otherwise or when incomplete).")


class ApplicationDetail(ApplicationSummary):
    submitted_at: UtcTime | None
    completion_deadline: date | None
    answers: Answers
    budget: Budget
    actions: list[ActionOut] = Field(description="What the user may do now; blocked ones with their reasons.")


def known_states():
    return {state for workflow in circuits(event_workflow()) for state in workflow.states}


def event_workflow():
    return subject_for_row(Application()).workflow


def as_utc(moment):
    """``moment`` in UTC; a 422 when the conversion leaves the calendar (year 1 at UTC+14...)."""
    try:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except OverflowError:
        api_abort(422, "invalid", "updated_since is out of range.", ["updated_since: out of range"])


def summaries(rows):
    """The page's items from (Application, call title, organisation name) rows: one more statement;
    each state's label built once."""
    last_moves = last_event_times(event_workflow(), [row[0].id for row in rows])
    labels = {}
    for application, _call_title, _organisation_name in rows:
        labels.setdefault((application.circuit, application.state), state_label(application))
    return [summary(application, call_title, organisation_name, last_moves.get(application.id),
                    labels[application.circuit, application.state])
            for application, call_title, organisation_name in rows]


def summary(application, call_title, organisation_name, last_move, label_of_state=None):
    updated = max(application.created_at, last_move) if last_move else application.created_at
    return dict(
        id=application.id, reference=application.reference, title=application.title,
        call=Ref(id=application.call_id, name=call_title),
        organisation=Ref(id=application.organisation_id, name=organisation_name),
        state=application.state, state_label=label_of_state or state_label(application),
        version=application.version,
        requested_amount=application.requested_amount, approved_amount=application.approved_amount,
        created_at=application.created_at, received_at=application.received_at, updated_at=updated)



@bp.get("/applications")
@token_required
@kept_page
@api.validate(query=ApplicationQuery, resp=responses(Page[ApplicationSummary], 401, 422), tags=["applications"])
def list_applications(query: ApplicationQuery):
    """The applications the user may see (as on the site), newest first; filters combine."""
    stmt = (select(Application, Call.title, Organisation.name)
            .join(Call, Call.id == Application.call_id)
            .join(Organisation, Organisation.id == Application.organisation_id)
            .where(visible_applications(current_user))
            .order_by(Application.created_at.desc(), Application.id.desc()))
    if query.state is not None:
        if query.state not in known_states():
            api_abort(422, "invalid", "The request is not valid.", [f"query.state: unknown state {query.state!r}"])
        stmt = stmt.where(Application.state == query.state)
    if query.call is not None:
        stmt = stmt.where(Application.call_id == query.call)
    if query.organisation is not None:
        stmt = stmt.where(Application.organisation_id == query.organisation)
    if query.updated_since is not None:
        since = as_utc(query.updated_since)
        moved = exists().where(WorkflowEvent.workflow == event_workflow(), WorkflowEvent.object_id == Application.id,
                               WorkflowEvent.created_at >= since)
        stmt = stmt.where(or_(Application.created_at >= since, moved))
    # the total depends on the filters and on what this user may see
    page = page_of(stmt, query, summaries, count_key=("applications", current_user.id,
                                                       query.model_dump_json(exclude={"page", "per_page"})))
    page["items"] = [ApplicationSummary(**item) for item in page["items"]]
    return Page[ApplicationSummary](**page)


def load(application_id):
    return get_or_404(Application, application_id, visible_to=can_view_application)


def answers_of(application):
    territory = db.session.get(Territory, application.territory_id) if application.territory_id else None
    theme = db.session.get(Theme, application.theme_id) if application.theme_id else None
    milestones = db.session.exec(select(Milestone).where(Milestone.application_id == application.id)
                                 .order_by(Milestone.position, Milestone.id)).all()
    return Answers(
        contact=ApplicantContact(name=application.contact_name, role=application.contact_role,
                        email=application.contact_email, phone=application.contact_phone),
        co_applicants=[Ref(id=org.id, name=org.name) for org in co_applicants_of(application)],
        summary=application.summary, description=application.description, innovation=application.innovation,
        beneficiaries=application.beneficiaries, territory=territory.epci if territory else None,
        partners=application.partners, kind=application.kind,
        kind_label=label(kind_label(application.kind)) if application.kind else None,
        theme=label(theme.label) if theme else None,
        start_date=application.start_date, end_date=application.end_date,
        milestones=[MilestoneOut(due_on=m.due_on, label=m.label) for m in milestones],
        expected_results=application.expected_results, indicators=application.indicators,
        attachments=[AttachmentOut(id=a.id, label=a.label, filename=a.filename, content_type=a.content_type,
                                   size=a.size, uploaded_at=a.uploaded_at) for a in attachments_of(application.id)])


def budget_of(application):
    lines, cofundings = budget.cost_lines(application.id), budget.cofundings(application.id)
    totals = budget.compute_totals(lines, cofundings, application.vat_recoverable)
    calculation = maximum_grant(application) \
        if current_user.is_staff or can_edit_application(application, current_user) else None
    return Budget(
        vat_recoverable=application.vat_recoverable,
        cost_lines=[CostLineOut(category=line.category, label=line.label, amount_excl_tax=line.amount_excl_tax,
                                amount_incl_tax=line.amount_incl_tax, eligible=line.eligible) for line in lines],
        cofundings=[CoFundingOut(funder=f.funder, public=f.public, amount=f.amount) for f in cofundings],
        total_excl_tax=totals.total_excl_tax, total_incl_tax=totals.total_incl_tax,
        eligible_cost=totals.eligible_cost, public_cofunding=totals.public_cofunding,
        private_cofunding=totals.private_cofunding, requested_amount=application.requested_amount,
        approved_amount=application.approved_amount,
        maximum_grant=calculation.maximum if calculation is not None and calculation.complete else None)


@bp.get("/applications/<int:application_id>")
@token_required
@api.validate(resp=responses(ApplicationDetail, 401, 404), tags=["applications"])
def get_application(application_id):
    """An application: its answers, budget, state and version, and the actions the user may take
    now (blocked ones with their reasons)."""
    application = load(application_id)
    call = db.session.get(Call, application.call_id)
    organisation = db.session.get(Organisation, application.organisation_id)
    last_move = last_event_times(event_workflow(), [application.id]).get(application.id)
    return ApplicationDetail(
        **summary(application, call.title, organisation.name, last_move),
        submitted_at=application.submitted_at, completion_deadline=application.completion_deadline,
        answers=answers_of(application), budget=budget_of(application),
        actions=actions_out(application, current_user._get_current_object()))


class Timeline(BaseModel):
    items: list[TimelineEvent]


@bp.get("/applications/<int:application_id>/events")
@token_required
@api.validate(resp=responses(Timeline, 401, 404), tags=["applications"])
def application_events(application_id):
    """The application's timeline: every state change, oldest first, with who acted and why."""
    return Timeline(items=events_out(load(application_id)))

