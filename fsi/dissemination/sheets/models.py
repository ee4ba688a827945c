"""Practice sheets (fiches d'expérience, workflows/sheet.yaml), the attachments of the project
chosen to illustrate them, and their reproductions by other housing bodies (essaimage)."""
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fsi.db import UTCDateTime, utcnow
from fsi.workflow.definitions import get_workflow, state_check

#: the fields written in Markdown (rendered to sanitised HTML: fsi.markdown)
MARKDOWN_FIELDS = ("problem", "actions", "novelty", "budget", "results", "lessons", "reproduce")


def _initial_state():
    return get_workflow("sheet").initial


class PracticeSheet(SQLModel, table=True):
    """What one funded project taught, written by its lead and published by staff."""

    __tablename__ = "practice_sheet"
    __table_args__ = (CheckConstraint(state_check("sheet"), name="state_known"),)

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", unique=True)
    #: "12-conciergerie-solidaire": the id and the title, fixed at the first publication
    slug: str = Field(max_length=200, unique=True)
    state: str = Field(default_factory=_initial_state, max_length=32, index=True)
    title: str = Field(max_length=200)
    #: a short plain text for the lists and the feed
    summary: str = Field(default="", sa_type=Text)
    problem: str = Field(default="", sa_type=Text)
    #: what was done
    actions: str = Field(default="", sa_type=Text)
    #: what was new
    novelty: str = Field(default="", sa_type=Text)
    #: a comment on the budget: the figures come from the application and its project
    budget: str = Field(default="", sa_type=Text)
    results: str = Field(default="", sa_type=Text)
    #: [{"label", "target", "measured"}], from the final report
    indicators: list = Field(default_factory=list, sa_type=JSON)
    lessons: str = Field(default="", sa_type=Text)
    #: the conditions to reproduce it
    reproduce: str = Field(default="", sa_type=Text)
    #: the sheet's chosen contact: the only personal data a published sheet shows
    contact_name: str = Field(default="", max_length=160)
    contact_role: str = Field(default="", max_length=160)
    contact_email: str = Field(default="", max_length=254)
    #: set on each publication
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = 1


class SheetAttachment(SQLModel, table=True):
    """An attachment of the sheet's application chosen to appear on the sheet (a photo, a
    deliverable); an image needs its alternative text."""

    __tablename__ = "sheet_attachment"
    __table_args__ = (UniqueConstraint("sheet_id", "attachment_id"),)

    id: int | None = Field(default=None, primary_key=True)
    sheet_id: int = Field(foreign_key="practice_sheet.id", index=True)
    attachment_id: int = Field(foreign_key="attachment.id")
    alt_text: str = Field(default="", max_length=300)
    caption: str = Field(default="", max_length=300)
    position: int = 0


class Reproduction(SQLModel, table=True):
    """Essaimage: a housing body declares it reproduced the practice (where, when, how)."""

    id: int | None = Field(default=None, primary_key=True)
    sheet_id: int = Field(foreign_key="practice_sheet.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    #: where it was reproduced (None: not said)
    territory_id: int | None = Field(default=None, foreign_key="territory.id")
    reproduced_on: date
    note: str = Field(default="", sa_type=Text)
    #: shown only to signed-in users
    contact_name: str = Field(default="", max_length=160)
    contact_email: str = Field(default="", max_length=254)
    declared_by_id: int = Field(foreign_key="user.id")
    declared_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


__all__ = ["MARKDOWN_FIELDS", "PracticeSheet", "Reproduction", "SheetAttachment"]
