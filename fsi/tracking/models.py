"""The grants an organisation obtained outside FSI (through the fédération, a region, a foundation),
entered by staff so that they count in the 36-month ceiling; and the indexes the tracking pages'
aggregates group and filter on, declared here (the lower domains do not know these pages)."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, Text
from sqlmodel import Field, SQLModel

from fsi.accounts.models import Organisation
from fsi.applications.models import Application
from fsi.db import UTCDateTime, utcnow
from fsi.funding.models import Clawback, Tranche
from fsi.workflow.models import WorkflowEvent


class OutsideGrant(SQLModel, table=True):
    """A grant obtained outside FSI: it counts against the organisation's ceiling over the call's
    rolling period from ``granted_on`` (fsi.tracking.plugins.outside_grants)."""

    __tablename__ = "outside_grant"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    #: who granted it: « Fédération des OPH », « Région Sud »...
    funder: str = Field(max_length=160)
    #: what it funds
    label: str = Field(max_length=200)
    amount: Decimal = Field(max_digits=12, decimal_places=2)
    #: the day the grant was decided (the ceiling's rolling period counts from it)
    granted_on: date = Field(index=True)
    note: str = Field(default="", sa_type=Text)
    recorded_by_id: int = Field(foreign_key="user.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


#: what the dashboards and the panorama group and filter by (migrations/versions/0009_tracking.py)
TRACKING_INDEXES = (
    Index("ix_application_territory_id", Application.territory_id),
    Index("ix_application_theme_id", Application.theme_id),
    Index("ix_application_received_at", Application.received_at),
    Index("ix_organisation_territory_id", Organisation.territory_id),
    Index("ix_organisation_kind", Organisation.kind),
    Index("ix_tranche_paid_on", Tranche.paid_on),
    Index("ix_clawback_received_on", Clawback.received_on),
    # the first decision of each application (the median delay to a decision)
    Index("ix_workflow_event_to_state", WorkflowEvent.workflow, WorkflowEvent.to_state),
)
