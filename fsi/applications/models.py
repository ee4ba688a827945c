"""Applications (dossiers de candidature).

Base columns the workflow and review rely on (reference ... submitted_at), then the form's
content. Repeating parts of the form (cost lines, co-financing, milestones, co-applicants,
attachments) are normalised tables; each submission freezes a JSON snapshot
(ApplicationVersion) so that versions can be compared whatever changes later.
"""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fsi.db import UTCDateTime, utcnow
from fsi.workflow.definitions import state_check

MONEY = dict(max_digits=12, decimal_places=2)


class Application(SQLModel, table=True):
    __table_args__ = (
        # the state column only ever holds a state of the application's circuits (workflows/)
        CheckConstraint(state_check("application"), name="state_known"),
        # the API's list, newest first: a page is read from the index, not sorted from the table
        Index("ix_application_created_at_id", "created_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    #: human reference, FSI-<year>-<number>, never reused
    reference: str = Field(max_length=20, unique=True)
    call_id: int = Field(foreign_key="call.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    #: moved only by fsi.workflow.service.fire
    state: str = Field(default="draft", max_length=32, index=True)
    #: the circuit it follows (its call's, when it was created): a definition of workflows/
    circuit: str = Field(default="application", max_length=40)
    #: bumped by every change; a change made on an older version is refused
    version: int = 1
    title: str = Field(default="", max_length=200)
    requested_amount: Decimal | None = Field(default=None, **MONEY)
    #: set by the committee's approve decision
    approved_amount: Decimal | None = Field(default=None, **MONEY)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: the first submission, acknowledged to the applicant: the project may not start before it
    received_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: set by staff on a returned or deferred file: past it, FSI closes the file without follow-up
    completion_deadline: date | None = None

    #: when the grant was approved: the 36-month ceiling counts from this
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    #: number of frozen versions (each submission freezes the next one)
    revision: int = 0

    # --- applicant -------------------------------------------------------------------------
    contact_name: str = Field(default="", max_length=160)
    contact_role: str = Field(default="", max_length=160)
    contact_email: str = Field(default="", max_length=254)
    contact_phone: str = Field(default="", max_length=30)
    # --- project ---------------------------------------------------------------------------
    summary: str = Field(default="", sa_type=Text)
    description: str = Field(default="", sa_type=Text)
    innovation: str = Field(default="", sa_type=Text)
    #: residents and staff concerned
    beneficiaries: str = Field(default="", sa_type=Text)
    territory_id: int | None = Field(default=None, foreign_key="territory.id")
    partners: str = Field(default="", sa_type=Text)
    #: a code of fsi.calls.rules.KINDS
    kind: str = Field(default="", max_length=32)
    theme_id: int | None = Field(default=None, foreign_key="theme.id")
    # --- timeline and evaluation -------------------------------------------------------------
    start_date: date | None = None
    end_date: date | None = None
    expected_results: str = Field(default="", sa_type=Text)
    indicators: str = Field(default="", sa_type=Text)
    # --- budget ----------------------------------------------------------------------------
    #: False when the applicant cannot recover VAT: the eligible cost is then counted tax included
    vat_recoverable: bool = True


class CoApplicant(SQLModel, table=True):
    """Another organisation carrying a joint project with the applicant."""

    __tablename__ = "co_applicant"

    application_id: int = Field(foreign_key="application.id", primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True, index=True)


class CostLine(SQLModel, table=True):
    __tablename__ = "cost_line"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    position: int = 0
    #: a code of fsi.applications.budget.COST_CATEGORIES
    category: str = Field(max_length=32)
    label: str = Field(max_length=200)
    amount_excl_tax: Decimal = Field(**MONEY)
    amount_incl_tax: Decimal = Field(**MONEY)
    #: counted in the eligible cost the grant is computed on (amounts excluding tax)
    eligible: bool = True


class CoFunding(SQLModel, table=True):
    """Another funder of the project (the applicant's own share is the remainder)."""

    __tablename__ = "co_funding"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    position: int = 0
    funder: str = Field(max_length=200)
    #: public money counts towards the 80 % ceiling of public funding
    public: bool = True
    amount: Decimal = Field(**MONEY)


class Milestone(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    position: int = 0
    due_on: date | None = None
    label: str = Field(max_length=200)


class Attachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    #: which required document this is (a label of call.required_attachments) or "" for others
    label: str = Field(default="", max_length=200)
    #: sanitised name shown and offered on download; never used on disk
    filename: str = Field(max_length=160)
    #: random name under UPLOAD_FOLDER
    stored_name: str = Field(max_length=64, unique=True)
    content_type: str = Field(max_length=120)
    size: int
    sha256: str = Field(max_length=64)
    uploaded_by_id: int | None = Field(default=None, foreign_key="user.id")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ApplicationVersion(SQLModel, table=True):
    """The answers and attachments list as they were at one submission."""

    __tablename__ = "application_version"
    __table_args__ = (UniqueConstraint("application_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    number: int
    trigger: str = Field(max_length=32)
    snapshot: dict = Field(default_factory=dict, sa_type=JSON)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReferenceCounter(SQLModel, table=True):
    """The last reference number handed out per year: numbers are never reused."""

    __tablename__ = "reference_counter"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last: int = 0
