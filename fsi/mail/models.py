import enum
from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from fsi.cache import NOT_CACHED
from fsi.db import UTCDateTime, enum_column, utcnow


class MailStatus(str, enum.Enum):
    pending = "pending"
    sent = "sent"
    #: gave up after MAIL_MAX_ATTEMPTS; kept, and can be re-queued by an admin
    failed = "failed"


class OutboxMessage(SQLModel, table=True):
    """An email, written in the same transaction as the action that causes it."""

    __tablename__ = "outbox_message"
    __table_args__ = {"info": NOT_CACHED}  # no kept result reads it (fsi.cache)

    id: int | None = Field(default=None, primary_key=True)
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=250)
    body: str = Field(sa_type=Text)
    status: MailStatus = Field(sa_column=enum_column(MailStatus, nullable=False, index=True,
                                                      default=MailStatus.pending))
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
