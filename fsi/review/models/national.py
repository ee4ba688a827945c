"""The FSI's national circuit: the calendar of the CGLLS's comité des aides, what the regional
association transmitted (to the federation, to the CGLLS) and the national decision recorded
with its notification."""
import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Text
from sqlmodel import Field, SQLModel

from fsi.db import UTCDateTime, enum_column, utcnow


class NationalSession(SQLModel, table=True):
    """A session of the CGLLS's comité des aides (about five a year), kept by staff so that a
    transmission says which one it aims at."""

    __tablename__ = "national_session"

    id: int | None = Field(default=None, primary_key=True)
    meets_on: date = Field(index=True)
    #: « Comité des aides de mars 2027 »
    label: str = Field(max_length=200)
    #: e.g. the date files must reach the CGLLS
    notes: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Recipient(str, enum.Enum):
    federation = "federation"
    cglls = "cglls"


RECIPIENT_LABELS = {
    Recipient.federation: {"fr": "Fédération de l'organisme", "en": "The organisation's federation"},
    Recipient.cglls: {"fr": "CGLLS (comité des aides)", "en": "CGLLS (comité des aides)"},
}


class Transmission(SQLModel, table=True):
    """A file sent on by the association: to whom, when, for which national session."""

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    recipient: Recipient = Field(sa_column=enum_column(Recipient, nullable=False))
    sent_on: date
    national_session_id: int = Field(foreign_key="national_session.id")
    recorded_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class NationalOutcome(str, enum.Enum):
    granted = "granted"
    refused = "refused"
    adjourned = "adjourned"


NATIONAL_OUTCOME_LABELS = {
    NationalOutcome.granted: {"fr": "Subvention accordée", "en": "Grant awarded"},
    NationalOutcome.refused: {"fr": "Refus", "en": "Refusal"},
    NationalOutcome.adjourned: {"fr": "Ajournement", "en": "Adjournment"},
}


class NationalDecision(SQLModel, table=True):
    """The CGLLS's decision as the association records it, with the notification it received."""

    __tablename__ = "national_decision"
    __table_args__ = (
        CheckConstraint("outcome != 'granted' OR amount IS NOT NULL", name="granted_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    outcome: NationalOutcome = Field(sa_column=enum_column(NationalOutcome, nullable=False))
    decided_on: date
    national_session_id: int | None = Field(default=None, foreign_key="national_session.id")
    amount: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)
    #: the CGLLS's notification, kept with the application's attachments
    notification_id: int = Field(foreign_key="attachment.id")
    recorded_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
