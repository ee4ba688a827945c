"""Staff assessment (instruction): the eligibility checklist and the regional opinion."""
import enum
from datetime import datetime

from sqlalchemy import JSON, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fsi.db import UTCDateTime, enum_column, utcnow


class EligibilityItem(SQLModel, table=True):
    """A line of a call's eligibility checklist (recevabilité), editable by staff."""

    __tablename__ = "eligibility_item"

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", index=True)
    position: int = 0
    #: {"fr": ..., "en": ...}
    label: dict = Field(sa_type=JSON)
    #: retired items stay for the checks already recorded against them
    active: bool = True
    #: FSI answers this item itself from the file (a name of fsi.review.eligibility.RULES)
    rule: str | None = Field(default=None, max_length=40)


class EligibilityCheck(SQLModel, table=True):
    """Staff's answer to one checklist item for one application."""

    __tablename__ = "eligibility_check"
    __table_args__ = (UniqueConstraint("application_id", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    item_id: int = Field(foreign_key="eligibility_item.id", index=True)
    passed: bool
    note: str = Field(default="", sa_type=Text)
    #: None when FSI answered an automatic item itself
    checked_by_id: int | None = Field(default=None, foreign_key="user.id")
    checked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Opinion(str, enum.Enum):
    favourable = "favourable"
    reserved = "reserved"
    unfavourable = "unfavourable"


OPINION_LABELS = {
    Opinion.favourable: {"fr": "Favorable", "en": "Favourable"},
    Opinion.reserved: {"fr": "Réservé", "en": "Reserved"},
    Opinion.unfavourable: {"fr": "Défavorable", "en": "Unfavourable"},
}


class RegionalOpinion(SQLModel, table=True):
    """The regional association's opinion (avis de l'association régionale), shown to the committee."""

    __tablename__ = "regional_opinion"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", unique=True)
    opinion: Opinion = Field(sa_column=enum_column(Opinion, nullable=False))
    reasons: str = Field(default="", sa_type=Text)
    recorded_by_id: int = Field(foreign_key="user.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
