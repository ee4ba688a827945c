"""Funded projects: a granted application's project, its agreement and amendments, extensions,
payment tranches (workflows/payment.yaml), reports (workflows/report.yaml), clawbacks, and the
reminders already sent. Amounts are Decimal euros with cents (Numeric(12, 2))."""
import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fsi.db import UTCDateTime, enum_column, utcnow
from fsi.workflow.definitions import get_workflow, state_check


def _money(**kwargs):
    return Field(max_digits=12, decimal_places=2, **kwargs)


class Project(SQLModel, table=True):
    """What a granted application becomes: one per application, opened when it is awarded.

    ``paid_total`` is raised by one conditional UPDATE per payment (fsi.funding.payments), and the
    CHECK below makes paying more than granted impossible even for two staff paying at once."""

    __table_args__ = (
        CheckConstraint("granted_amount > 0", name="granted_positive"),
        CheckConstraint("paid_total >= 0 AND paid_total <= granted_amount", name="paid_within_grant"),
        CheckConstraint("due_amount IS NULL OR (due_amount >= 0 AND due_amount <= granted_amount)",
                        name="due_within_grant"),
    )

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", unique=True)
    granted_amount: Decimal = _money()
    paid_total: Decimal = _money(default=Decimal("0.00"))
    #: what is finally due, recomputed from the final report's actual eligible spending (None before)
    due_amount: Decimal | None = _money(default=None, nullable=True)
    #: the terms of that recomputation, shown and kept: {"rate": ..., "actual_eligible": ..., ...}
    due_terms: dict = Field(default_factory=dict, sa_type=JSON)
    #: the call's threshold was exceeded when the project opened: an agreement must be signed
    agreement_required: bool = False
    agreement_signed_on: date | None = None
    agreement_attachment_id: int | None = Field(default=None, foreign_key="attachment.id")
    starts_on: date | None = None
    ends_on: date | None = None
    extensions_used: int = 0
    #: « caducité » recorded by staff: the project past its end date with spending left
    lapsed_on: date | None = None
    lapsed_reason: str = Field(default="", sa_type=Text)
    opened_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = 1


class Amendment(SQLModel, table=True):
    """An amendment (avenant) to the agreement."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    signed_on: date
    reason: str = Field(sa_type=Text)
    attachment_id: int | None = Field(default=None, foreign_key="attachment.id")
    recorded_by_id: int = Field(foreign_key="user.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Extension(SQLModel, table=True):
    """One extension of the project's end date (+12 months by default), with its reason."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    months: int = 12
    previous_end: date
    new_end: date
    reason: str = Field(sa_type=Text)
    granted_by_id: int = Field(foreign_key="user.id")
    granted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReportKind(str, enum.Enum):
    progress = "progress"
    final = "final"


REPORT_KIND_LABELS = {
    ReportKind.progress: {"fr": "Rapport d'étape", "en": "Progress report"},
    ReportKind.final: {"fr": "Bilan final", "en": "Final report"},
}


def _initial(workflow):
    return lambda: get_workflow(workflow).initial


class Report(SQLModel, table=True):
    """A progress or final report, moved by workflows/report.yaml; due on ``due_on``."""

    __table_args__ = (CheckConstraint(state_check("report"), name="state_known"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    kind: ReportKind = Field(sa_column=enum_column(ReportKind, nullable=False))
    due_on: date = Field(index=True)
    state: str = Field(default_factory=_initial("report"), max_length=32, index=True)
    achievements: str = Field(default="", sa_type=Text)
    difficulties: str = Field(default="", sa_type=Text)
    lessons: str = Field(default="", sa_type=Text)
    #: the application's indicators with the values measured: [{"label", "target", "measured"}]
    indicators: list = Field(default_factory=list, sa_type=JSON)
    #: spending by budget line: [{"label", "planned", "actual", "eligible"}] (amounts as strings)
    spending: list = Field(default_factory=list, sa_type=JSON)
    #: attachments of the application (invoices, photos, deliverables) filed with this report
    attachment_ids: list = Field(default_factory=list, sa_type=JSON)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = 1


class Tranche(SQLModel, table=True):
    """One payment of a project (advance, interim, balance), moved by workflows/payment.yaml."""

    __table_args__ = (
        CheckConstraint(state_check("payment"), name="state_known"),
        CheckConstraint("amount > 0", name="amount_positive"),
        UniqueConstraint("project_id", "position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    position: int
    label: str = Field(max_length=200)
    amount: Decimal = _money()
    #: the report that must be accepted before this tranche can be approved (a conditional payment)
    condition_report_id: int | None = Field(default=None, foreign_key="report.id")
    #: the balance: recomputed from the final report's actual spending
    is_balance: bool = False
    state: str = Field(default_factory=_initial("payment"), max_length=32, index=True)
    due_on: date | None = None
    paid_on: date | None = None
    paid_amount: Decimal | None = _money(default=None, nullable=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = 1


class Clawback(SQLModel, table=True):
    """An amount to recover (« reversement ») when more was paid than is finally due."""

    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    amount: Decimal = _money()
    reason: str = Field(sa_type=Text)
    computed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
    received_on: date | None = None
    received_recorded_by_id: int | None = Field(default=None, foreign_key="user.id")


class ReminderSent(SQLModel, table=True):
    """A reminder already mailed: ``flask fsi remind`` inserts before sending, and the unique key
    makes a second run (the same day, or on another server at once) send nothing twice."""

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("key"),)

    id: int | None = Field(default=None, primary_key=True)
    #: e.g. "report:12:due-30", "report:12:overdue:2026-11-30", "digest:7:2026-11-30"
    key: str = Field(max_length=120)
    sent_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
