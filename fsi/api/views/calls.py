"""GET /calls, GET /calls/{id}: what the calls' pages show (the same visibility: staff see every
call, others those already open), with their funding rules and scoring grid."""
from decimal import Decimal

from flask_login import current_user
from pydantic import BaseModel, Field
from sqlmodel import select, true

from fsi.api.auth import token_required
from fsi.api.blueprint import bp
from fsi.api.pagination import Page, PageQuery, page_of
from fsi.api.schemas.actions import Label, label
from fsi.api.shapes import Money, UtcTime
from fsi.api.spec import api, responses
from fsi.calls import services
from fsi.calls.access import can_view_call
from fsi.calls.models import Call
from fsi.calls.rules import call_kinds, kind_label
from fsi.db import utcnow
from fsi.web import get_or_404


class CallSummary(BaseModel):
    id: int
    title: str
    opens_at: UtcTime
    closes_at: UtcTime
    is_open: bool
    envelope: Money
    circuit: str = Field(description="The workflow its applications follow.")


class FundingKindOut(BaseModel):
    code: str
    label: Label
    rate: Decimal = Field(description="Share of the eligible cost (0.5 = 50 %).")
    cap: Money


class CriterionOut(BaseModel):
    id: int
    label: str
    description: str
    weight: Decimal
    scale_min: int
    scale_max: int


class ScheduleTranche(BaseModel):
    label: str
    share: int = Field(description="Percentage of the grant.")
    on: str = Field(description="When it falls due: agreement, progress or final.")


class CallRules(BaseModel):
    min_project_cost: Money
    min_cost_includes_tax: bool
    public_funding_max_rate: Decimal
    organisation_ceiling: Money
    ceiling_months: int
    joint_grant_split: str
    agreement_threshold: Money
    max_duration_months: int
    max_extensions: int
    progress_reports: int
    required_attachments: list[str]
    payment_schedule: list[ScheduleTranche]
    kinds: list[FundingKindOut]


class CallDetail(CallSummary):
    description: str = Field(description="Markdown.")
    axes: list[Label]
    themes: list[Label]
    rules: CallRules
    scoring_grid: list[CriterionOut]


class CallQuery(PageQuery):
    pass


def visible_calls(user):
    """The SQL of ``can_view_call``: staff every call, others those already open."""
    return true() if user.is_staff else Call.opens_at <= utcnow()


def summary(call, now):
    return CallSummary(id=call.id, title=call.title, opens_at=call.opens_at, closes_at=call.closes_at,
                       is_open=call.is_open(now), envelope=call.envelope, circuit=call.circuit)


@bp.get("/calls")
@token_required
@api.validate(query=CallQuery, resp=responses(Page[CallSummary], 401, 422), tags=["calls"])
def list_calls(query: CallQuery):
    """The calls for projects the user may read, newest first."""
    now = utcnow()
    stmt = select(Call).where(visible_calls(current_user)).order_by(Call.opens_at.desc(), Call.id.desc())
    return Page[CallSummary](**page_of(stmt, query, lambda calls: [summary(call, now) for call in calls]))


@bp.get("/calls/<int:call_id>")
@token_required
@api.validate(resp=responses(CallDetail, 401, 404), tags=["calls"])
def get_call(call_id):
    """A call with its funding rules (kinds, rates, caps, ceiling, schedule) and scoring grid."""
    call = get_or_404(Call, call_id, visible_to=can_view_call)
    kinds = [FundingKindOut(code=kind.code, label=label(kind_label(kind.code)), rate=kind.rate, cap=kind.cap)
             for kind in call_kinds(call.id, enabled_only=True)]
    rules = CallRules(
        min_project_cost=call.min_project_cost, min_cost_includes_tax=call.min_cost_includes_tax,
        public_funding_max_rate=call.public_funding_max_rate, organisation_ceiling=call.organisation_ceiling,
        ceiling_months=call.ceiling_months, joint_grant_split=call.joint_grant_split,
        agreement_threshold=call.agreement_threshold, max_duration_months=call.max_duration_months,
        max_extensions=call.max_extensions, progress_reports=call.progress_reports,
        required_attachments=[str(item) for item in call.required_attachments or []],
        payment_schedule=[ScheduleTranche(label=str(t["label"]), share=int(t["share"]), on=str(t["on"]))
                          for t in call.payment_schedule or []],
        kinds=kinds)
    grid = [CriterionOut(id=c.id, label=c.label, description=c.description, weight=c.weight,
                         scale_min=c.scale_min, scale_max=c.scale_max) for c in services.grid(call.id)]
    return CallDetail(**summary(call, utcnow()).model_dump(), description=call.description,
                      axes=[label(axis.label) for axis in services.call_axes(call.id)],
                      themes=[label(theme.label) for theme in services.call_themes(call.id)],
                      rules=rules, scoring_grid=grid)

