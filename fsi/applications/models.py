"""Applications (dossiers de candidature).

Base columns the workflow and review rely on; the applications domain adds the form's content.
"""
from datetime import datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from fsi.db import UTCDateTime, utcnow
from fsi.workflow.definitions import state_check


class Application(SQLModel, table=True):
    __table_args__ = (
        # the state column only ever holds a state of workflows/application.yaml
        CheckConstraint(state_check("application"), name="state_known"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    #: human reference, FSI-<year>-<number>, never reused
    reference: str = Field(max_length=20, unique=True)
    call_id: int = Field(foreign_key="call.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    #: moved only by fsi.workflow.service.fire
    state: str = Field(default="draft", max_length=32, index=True)
    #: bumped by every change; a change made on an older version is refused
    version: int = 1
    title: str = Field(default="", max_length=200)
    requested_amount: Optional[Decimal] = Field(default=None, max_digits=12, decimal_places=2)
    #: set by the committee's approve decision
    approved_amount: Optional[Decimal] = Field(default=None, max_digits=12, decimal_places=2)
    created_by_id: Optional[int] = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    submitted_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
