"""Ateliers, Clubs de réflexion, webinars and visits organised by staff; what each presents (the
published sheets, the awarded projects) and who registered (the waiting list past the capacity,
the attendance staff record)."""
import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fsi.db import UTCDateTime, enum_column, utcnow


class EventKind(str, enum.Enum):
    atelier = "atelier"
    club = "club"
    webinar = "webinar"
    visit = "visit"


EVENT_KIND_LABELS = {
    EventKind.atelier: {"fr": "Atelier", "en": "Workshop"},
    EventKind.club: {"fr": "Club de réflexion", "en": "Think tank"},
    EventKind.webinar: {"fr": "Webinaire", "en": "Webinar"},
    EventKind.visit: {"fr": "Visite", "en": "Site visit"},
}


class Event(SQLModel, table=True):
    """One event. Times are UTC (typed and shown in Europe/Paris); ``capacity`` None is unlimited.

    Registering and cancelling lock this row first (fsi.dissemination.events.registrations), so two
    people taking the last seat at once never exceed the capacity."""

    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity >= 1", name="capacity_positive"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: EventKind = Field(sa_column=enum_column(EventKind, nullable=False))
    title: str = Field(max_length=200)
    #: the title made a URL (the id comes first in the URL, the slug is only for the reader)
    slug: str = Field(max_length=200)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    #: the address, or how to get there (several lines)
    place: str = Field(default="", sa_type=Text)
    #: http or https only
    video_url: str = Field(default="", max_length=500)
    theme_id: int | None = Field(default=None, foreign_key="theme.id")
    #: Markdown, rendered to sanitised HTML
    description: str = Field(default="", sa_type=Text)
    capacity: int | None = None
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancel_reason: str = Field(default="", sa_type=Text)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = 1


class EventSheet(SQLModel, table=True):
    """A practice sheet presented at the event (public pages show it only once published)."""

    __tablename__ = "event_sheet"

    event_id: int = Field(foreign_key="event.id", primary_key=True)
    sheet_id: int = Field(foreign_key="practice_sheet.id", primary_key=True, index=True)


class EventProject(SQLModel, table=True):
    """A project presented at the event (public pages show only an awarded one's title and
    organisation)."""

    __tablename__ = "event_project"

    event_id: int = Field(foreign_key="event.id", primary_key=True)
    application_id: int = Field(foreign_key="application.id", primary_key=True, index=True)


class RegistrationStatus(str, enum.Enum):
    registered = "registered"
    waitlisted = "waitlisted"
    cancelled = "cancelled"


REGISTRATION_STATUS_LABELS = {
    RegistrationStatus.registered: {"fr": "Inscrit", "en": "Registered"},
    RegistrationStatus.waitlisted: {"fr": "Liste d'attente", "en": "Waiting list"},
    RegistrationStatus.cancelled: {"fr": "Annulée", "en": "Cancelled"},
}


class Registration(SQLModel, table=True):
    """One person's registration: one row per event and person, its status moving between
    registered, waitlisted and cancelled. The waiting list is served in ``queued_at`` order."""

    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        CheckConstraint("attended IS NULL OR status = 'registered'", name="attended_if_registered"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    status: RegistrationStatus = Field(sa_column=enum_column(RegistrationStatus, nullable=False))
    #: recorded by staff once the event has begun: True came, False did not, None not recorded
    attended: bool | None = None
    #: when the person (re)joined: the order of the waiting list
    queued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


__all__ = ["EVENT_KIND_LABELS", "Event", "EventKind", "EventProject", "EventSheet", "REGISTRATION_STATUS_LABELS",
           "Registration", "RegistrationStatus"]
