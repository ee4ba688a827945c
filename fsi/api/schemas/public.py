"""The bodies of the public endpoints (no token needed): the published practice sheets and the
events. Only what the public pages show: a sheet's chosen contact is the only personal data; an
event's video link only to those the event page gives it to (its registered people and staff)."""
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from fsi.api.pagination import Page, PageQuery
from fsi.api.schemas.actions import Label, Money


class SheetsQuery(PageQuery):
    q: str = Field(default="", max_length=200,
                   description="Words to look for (accents and plurals folded, as the catalogue's search). "
                               "Empty: every published sheet, newest first.")


class EventsQuery(PageQuery):
    when: Literal["upcoming", "past"] = Field(
        default="upcoming", description="upcoming: not over yet, soonest first (cancelled ones included, "
                                        "marked); past: over, latest first.")


class ThemeRef(BaseModel):
    id: int
    label: Label


class KindRef(BaseModel):
    """The kind of project (innovation, experimentation...)."""

    code: str
    label: Label


class TerritoryRef(BaseModel):
    department_code: str | None = Field(description="The project's department (else its organisation's).")
    department: str | None
    epci: str | None = Field(description="The intercommunality, when the project named one.")


class SheetSummary(BaseModel):
    """A published practice sheet (fiche d'expérience), as the catalogue lists it."""

    slug: str = Field(description="Its identifier: GET /sheets/{slug}.")
    title: str
    summary: str
    organisation: str = Field(description="The housing body that carried the project.")
    call: str = Field(description="The call for projects it was funded under.")
    theme: ThemeRef | None
    kind: KindRef | None
    territory: TerritoryRef
    grant: Money | None = Field(description="The subsidy granted.")
    year: int | None = Field(description="The year of the decision.")
    published_at: datetime | None
    url: str = Field(description="Its public page.")


class SheetsPage(Page[SheetSummary]):
    """A page of the published sheets, best first when words were searched, else newest first."""


class Sections(BaseModel):
    """The sheet's texts, in Markdown (an empty string when the writer left one out)."""

    problem: str
    actions: str = Field(description="What was done.")
    novelty: str = Field(description="What was new.")
    budget: str = Field(description="A comment on the budget (the figures are in ``figures``).")
    results: str
    lessons: str
    reproduce: str = Field(description="The conditions to reproduce the practice.")


class IndicatorValue(BaseModel):
    label: str
    target: str
    measured: str


class Figures(BaseModel):
    total_cost: Money | None = Field(description="The project's cost, taxes included.")
    granted: Money | None
    starts_on: date | None
    ends_on: date | None


class SheetContact(BaseModel):
    """The person the sheet's writers chose to answer questions about it."""

    name: str
    role: str
    email: str


class Shown(BaseModel):
    """An attachment chosen to illustrate the sheet."""

    url: str = Field(description="Its download.")
    filename: str
    image: bool
    alt_text: str
    caption: str


class ReproductionOut(BaseModel):
    """A housing body that declared it reproduced the practice (essaimage)."""

    organisation: str
    territory: str | None = Field(description="Where: « EPCI (department) », when said.")
    reproduced_on: date
    note: str


class EventRef(BaseModel):
    id: int
    title: str
    kind: str
    starts_at: datetime
    cancelled: bool
    url: str = Field(description="Its public page.")


class SheetDetail(SheetSummary):
    """A published sheet, everything its public page shows."""

    sections: Sections
    indicators: list[IndicatorValue]
    figures: Figures
    contact: SheetContact | None
    attachments: list[Shown]
    reproductions: list[ReproductionOut]
    events: list[EventRef] = Field(description="The events where it was (or will be) presented, latest first.")


class SheetRef(BaseModel):
    slug: str
    title: str
    summary: str
    url: str


class ProjectRef(BaseModel):
    """An awarded project presented at the event."""

    title: str
    organisation: str


class EventItem(BaseModel):
    """An atelier, a club de réflexion, a webinar or a visit."""

    id: int
    kind: Literal["atelier", "club", "webinar", "visit"]
    kind_label: Label
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    theme: ThemeRef | None
    description: str = Field(description="Its programme, in Markdown.")
    capacity: int | None = Field(description="None: no limit.")
    seats_left: int | None = Field(description="None: no limit.")
    waiting: int = Field(description="People on the waiting list.")
    cancelled: bool
    cancelled_at: datetime | None
    cancel_reason: str
    video_url: str | None = Field(description="The video link: given to the people registered and to staff "
                                              "(None otherwise, or when there is none).")
    registration: Literal["registered", "waitlisted"] | None = Field(
        description="The token's user's registration, if any.")
    sheets: list[SheetRef] = Field(description="The published sheets it presents.")
    projects: list[ProjectRef]
    url: str = Field(description="Its public page (registration there).")
    calendar_url: str = Field(description="Its iCalendar file.")


class EventsPage(Page[EventItem]):
    """A page of events."""
