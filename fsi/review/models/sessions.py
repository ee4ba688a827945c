"""Committee sessions (séances du comité): members, agenda, decisions, recusals."""
import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fsi.db import UTCDateTime, enum_column, utcnow
from fsi.review.models.scoring import ConflictSource


class SessionStatus(str, enum.Enum):
    planned = "planned"
    closed = "closed"


class CommitteeSession(SQLModel, table=True):
    __tablename__ = "committee_session"

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", index=True)
    title: str = Field(max_length=200)
    #: when it is held: the planned date, or when staff brought it forward (then the letters'
    #: date, the real one)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    #: the date first planned, kept when the session was brought forward
    planned_starts_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    brought_forward_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    brought_forward_by_id: int | None = Field(default=None, foreign_key="user.id")
    place: str = Field(default="", max_length=200)
    #: members present and free of conflict needed for a decision on an item
    quorum: int = 3
    chair_id: int | None = Field(default=None, foreign_key="user.id")
    status: SessionStatus = Field(default=SessionStatus.planned,
                                  sa_column=enum_column(SessionStatus, nullable=False))
    #: the agenda item under discussion, shown live to the members (no foreign key: agenda_item
    #: already points here, and a cycle would complicate creating the tables)
    current_item_id: int | None = None
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: the audit log's head hash when the session was closed: the printed minutes anchor the log
    audit_head_hash: str | None = Field(default=None, max_length=128)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    def has_started(self, now=None):
        return self.starts_at <= (now or utcnow())


class SessionMember(SQLModel, table=True):
    __tablename__ = "session_member"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="committee_session.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    present: bool = False


class Outcome(str, enum.Enum):
    approved = "approved"
    rejected = "rejected"
    deferred = "deferred"
    #: national circuit: the regional committee gave the association's opinion (it grants nothing)
    opinion = "opinion"


OUTCOME_LABELS = {
    Outcome.approved: {"fr": "Accordé", "en": "Approved"},
    Outcome.rejected: {"fr": "Refusé", "en": "Rejected"},
    Outcome.deferred: {"fr": "Ajourné", "en": "Deferred"},
    Outcome.opinion: {"fr": "Avis rendu", "en": "Opinion given"},
}
#: the workflows' decision triggers a session takes, and the outcome each records on the item
#: (a circuit offers those that leave the application's state)
DECISIONS = {"approve": Outcome.approved, "reject": Outcome.rejected, "defer": Outcome.deferred,
             "give_opinion": Outcome.opinion}


class AgendaItem(SQLModel, table=True):
    """An application on a session's agenda, and the committee's decision on it."""

    __tablename__ = "agenda_item"
    __table_args__ = (
        UniqueConstraint("session_id", "application_id"),
        CheckConstraint("outcome IS NULL OR decided_at IS NOT NULL", name="decided_when"),
        CheckConstraint("outcome != 'approved' OR amount IS NOT NULL", name="approved_amount"),
        CheckConstraint("released_at IS NULL OR outcome IS NOT NULL", name="released_decided"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="committee_session.id", index=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    position: int = 0
    outcome: Outcome | None = Field(default=None, sa_column=enum_column(Outcome))
    amount: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)
    #: reasons for a rejection, revisions asked for a deferral, remarks for an approval
    motivation: str = Field(default="", sa_type=Text)
    #: members present and free of conflict when the decision was taken
    members_counted: int | None = None
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    #: the letter is held until released; releasing queues the e-mail
    released_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Recusal(SQLModel, table=True):
    """A member who left the room for an item (déport), recorded for the minutes."""

    __table_args__ = (UniqueConstraint("item_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    #: where the conflict came from (shown in the reader's language); None on recusals recorded
    #: before it was kept apart, whose ``reason`` holds the French label
    source: ConflictSource | None = Field(default=None, sa_column=enum_column(ConflictSource))
    reason: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
