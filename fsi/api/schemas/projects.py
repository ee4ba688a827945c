"""The bodies of the funded projects: the list's rows, and a project with its agreement, amendments,
extensions, payment tranches, reports and clawbacks (what its page shows)."""
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, Field

from fsi.api.schemas.actions import ActionOut, Label, Money

CENT = Decimal("0.01")


def money(value):
    """An amount as the API writes it ("60000.00"), or None."""
    if value is None:
        return None
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


class ProjectSummary(BaseModel):
    """A funded project: its figures, and the application it comes from (whose state is the
    project's stage)."""

    id: int
    application_id: int
    reference: str
    title: str | None
    organisation_id: int
    call_id: int
    state: str = Field(description="The application's state: the project's stage.")
    state_label: Label
    granted_amount: Money
    paid_total: Money
    remaining: Money = Field(description="What is still to pay: what is due (once known, else the grant) less paid.")
    due_amount: Money | None = Field(description="What is finally due, once the final report is accepted.")
    starts_on: date | None
    ends_on: date | None
    overdue: bool = Field(description="Past its end date with money left to pay, and not recorded as lapsed.")
    lapsed_on: date | None
    opened_at: datetime


class AgreementOut(BaseModel):
    required: bool = Field(description="The grant is above the call's threshold: an agreement must be signed.")
    signed_on: date | None
    attachment_id: int | None


class AmendmentOut(BaseModel):
    id: int
    signed_on: date
    reason: str
    attachment_id: int | None


class ExtensionOut(BaseModel):
    id: int
    months: int
    previous_end: date
    new_end: date
    reason: str
    granted_at: datetime


class TrancheOut(BaseModel):
    """A payment tranche (workflow `payment`); fire its actions with `POST /payments/{id}/transitions`."""

    id: int
    position: int
    label: str
    amount: Money
    is_balance: bool
    condition_report_id: int | None = Field(description="The report that must be accepted before it is approved.")
    state: str
    state_label: Label
    due_on: date | None
    paid_on: date | None
    paid_amount: Money | None
    version: int
    actions: list[ActionOut]


class IndicatorOut(BaseModel):
    label: str
    measured: str


class SpendingOut(BaseModel):
    label: str
    planned: Money | None
    actual: Money | None
    eligible: bool


class ReportOut(BaseModel):
    """A progress or final report (workflow `report`); fire its actions with
    `POST /reports/{id}/transitions`."""

    id: int
    kind: Literal["progress", "final"]
    kind_label: Label
    due_on: date
    overdue: bool = Field(description="Still to file and past its date.")
    state: str
    state_label: Label
    submitted_at: datetime | None
    achievements: str
    difficulties: str
    lessons: str
    indicators: list[IndicatorOut]
    spending: list[SpendingOut]
    attachment_ids: list[int]
    version: int
    actions: list[ActionOut]


class ClawbackOut(BaseModel):
    """An amount to pay back (more was paid than is finally due)."""

    id: int
    amount: Money
    reason: str
    computed_at: datetime
    received_on: date | None


class ProjectDetail(ProjectSummary):
    version: int
    extensions_used: int
    agreement: AgreementOut
    amendments: list[AmendmentOut]
    extensions: list[ExtensionOut]
    tranches: list[TrancheOut]
    reports: list[ReportOut]
    clawbacks: list[ClawbackOut]
