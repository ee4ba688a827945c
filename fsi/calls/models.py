"""Calls for projects (appels à projets) and their rules.

Base columns other domains rely on (title, dates, envelope, review settings, Criterion); the
calls domain adds the axes and themes, the required attachments and the funding rules.
"""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fsi.db import UTCDateTime, utcnow
from fsi.i18n import N_


class Axis(SQLModel, table=True):
    """A strategic axis of the fund (editable list, seeded with the three of the FSI)."""

    id: int | None = Field(default=None, primary_key=True)
    label_fr: str = Field(max_length=200)
    label_en: str = Field(default="", max_length=200)
    position: int = 0
    #: hidden from new calls; kept for the calls that already use it
    active: bool = True

    @property
    def label(self):
        return {"fr": self.label_fr, "en": self.label_en or self.label_fr}


class Theme(SQLModel, table=True):
    """A theme a call may target (editable list)."""

    id: int | None = Field(default=None, primary_key=True)
    label_fr: str = Field(max_length=200)
    label_en: str = Field(default="", max_length=200)
    position: int = 0
    active: bool = True

    @property
    def label(self):
        return {"fr": self.label_fr, "en": self.label_en or self.label_fr}


#: 50 % advance when the project starts, the balance once the final report is accepted
DEFAULT_SCHEDULE = (
    {"label": "Avance", "share": 50, "on": "agreement"},
    {"label": "Solde", "share": 50, "on": "final"},
)


#: the tranches' labels and when each falls due, in the order a project pays them
#: (kept in French in the schedule, N_ puts them in the catalog for the pages that show them)
SCHEDULE_STEPS = ((N_("Avance"), "agreement"), (N_("Versement intermédiaire"), "progress"), (N_("Solde"), "final"))


def schedule_of(advance_share, progress_share):
    """A call's default schedule from the shares staff type: the advance when the project starts,
    a tranche on the first accepted progress report, the balance (the rest) on the final report."""
    shares = (advance_share, progress_share, 100 - advance_share - progress_share)
    return [{"label": label, "share": share, "on": on}
            for (label, on), share in zip(SCHEDULE_STEPS, shares, strict=True) if share > 0]


def shares_of(schedule):
    """{"agreement": %, "progress": %, "final": %} of a call's schedule (the form's fields)."""
    shares = {on: 0 for _label, on in SCHEDULE_STEPS}
    for tranche in schedule or []:
        shares[tranche["on"]] = shares.get(tranche["on"], 0) + int(tranche["share"])
    return shares


class Call(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    #: Markdown, rendered safely
    description: str = Field(default="", sa_type=Text)
    opens_at: datetime = Field(sa_type=UTCDateTime)
    closes_at: datetime = Field(sa_type=UTCDateTime)
    #: the budget the call may award in total
    envelope: Decimal = Field(max_digits=12, decimal_places=2)
    #: review: a criterion whose scores' standard deviation exceeds this is flagged as disagreement
    disagreement_threshold: Decimal = Field(default=Decimal("1.50"), max_digits=6, decimal_places=2)
    #: review: a reviewer's normalised (z) score is shown only past this many scored applications
    zscore_min_reviews: int = 3
    #: the circuit its applications follow: "application" (the regional committee decides) or
    #: "application_fsi" (the AR gives its opinion, the CGLLS decides): a definition of workflows/
    circuit: str = Field(default="application", max_length=40)
    #: automation (off by default): start the review once an application's reviewers are assigned,
    #: close it once every review is in; each step is an event of the actor « Système »
    auto_start_review: bool = False
    auto_complete_review: bool = False
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    #: labels of the documents every application must attach (list of French strings)
    required_attachments: list = Field(default_factory=list, sa_type=JSON)
    # --- funding rules (defaults: the FSI's own rules; see fsi.calls.rules) ------------------
    min_project_cost: Decimal = Field(default=Decimal("3000"), max_digits=12, decimal_places=2)
    #: the minimum cost is compared with the total including tax (the fund's rule), or excluding it
    min_cost_includes_tax: bool = True
    #: this grant plus other public co-financing may not exceed this share of the eligible cost
    public_funding_max_rate: Decimal = Field(default=Decimal("0.80"), max_digits=5, decimal_places=4)
    #: most one organisation may be awarded over ``ceiling_months`` rolling months, all calls together
    organisation_ceiling: Decimal = Field(default=Decimal("500000"), max_digits=12, decimal_places=2)
    ceiling_months: int = 36
    #: a joint project's grant counts against the ceiling of "lead" (the applicant organisation)
    #: or, in "equal" shares, of every organisation carrying it
    joint_grant_split: str = Field(default="lead", max_length=8)
    #: above this grant an agreement (convention) is required
    agreement_threshold: Decimal = Field(default=Decimal("23000"), max_digits=12, decimal_places=2)
    max_duration_months: int = 36
    #: extensions of a project's end date (+12 months each) the call allows: innovation, one
    #: renewable once
    max_extensions: int = 2
    #: the default schedule of a project's payments: each tranche's label, share of the grant (%)
    #: and when it becomes due ("agreement": at the start; "progress"/"final": once that report is
    #: accepted). Copied to each project, editable there before the first payment.
    payment_schedule: list = Field(default_factory=lambda: [dict(tranche) for tranche in DEFAULT_SCHEDULE],
                                   sa_type=JSON)
    #: progress reports (rapports d'étape) due during a project, spread over its duration
    progress_reports: int = 1

    def is_open(self, now=None):
        now = now or utcnow()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None):
        return (now or utcnow()) >= self.closes_at


class CallAxis(SQLModel, table=True):
    __tablename__ = "call_axis"

    call_id: int = Field(foreign_key="call.id", primary_key=True)
    axis_id: int = Field(foreign_key="axis.id", primary_key=True)


class CallTheme(SQLModel, table=True):
    __tablename__ = "call_theme"

    call_id: int = Field(foreign_key="call.id", primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", primary_key=True)


class FundingKind(SQLModel, table=True):
    """A project kind a call funds, with its rate and cap (codes in fsi.calls.rules.KINDS)."""

    __tablename__ = "funding_kind"
    __table_args__ = (UniqueConstraint("call_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", index=True)
    code: str = Field(max_length=32)
    #: share of the eligible cost, e.g. 0.5000
    rate: Decimal = Field(max_digits=5, decimal_places=4)
    cap: Decimal = Field(max_digits=12, decimal_places=2)
    enabled: bool = True


class Criterion(SQLModel, table=True):
    """A line of the call's scoring grid (grille de notation)."""

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", index=True)
    position: int = 0
    label: str = Field(max_length=200)
    description: str = Field(default="", sa_type=Text)
    weight: Decimal = Field(default=Decimal("1"), max_digits=6, decimal_places=2)
    scale_min: int = 0
    scale_max: int = 5
