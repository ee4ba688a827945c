"""Each organisation's record: its identity and contacts, its 36-month ceiling (the grants of FSI
that still commit and those obtained outside FSI, which staff enter here), its grants and payments
year by year, its applications and projects. And the list of organisations with their totals.

Every figure is an SQL aggregate; operations flush, never commit."""
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Integer, cast, func, or_, text
from sqlmodel import select

from fsi.accounts.models import Organisation, Territory, User
from fsi.applications.calculator import awarded_within, months_before
from fsi.applications.models import Application, CoApplicant
from fsi.calls.models import Call
from fsi.db import db, utcnow
from fsi.funding.models import Project, Tranche
from fsi.i18n import PARIS
from fsi.tracking.models import OutsideGrant

ZERO = Decimal("0.00")


# --- The ceiling --------------------------------------------------------------------------------

def outside_total(organisation_id, since):
    """What the organisation was granted outside FSI from the day ``since`` on."""
    total = db.session.exec(select(func.coalesce(func.sum(OutsideGrant.amount), 0))
                            .where(OutsideGrant.organisation_id == organisation_id,
                                   OutsideGrant.granted_on >= since)).one()
    return Decimal(total or 0).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Ceiling:
    """The organisation's ceiling under the latest call's rules (Call's defaults without a call)."""

    months: int
    ceiling: Decimal
    #: everything that counts: FSI's grants that still commit and the outside grants
    used: Decimal
    outside: Decimal
    call: Call | None = None

    @property
    def from_fsi(self):
        return self.used - self.outside

    @property
    def left(self):
        return max(self.ceiling - self.used, ZERO)

    @property
    def exceeded(self):
        return self.used > self.ceiling

    @property
    def share_used(self):
        """The share of the ceiling used, 0 to 1 (more when exceeded)."""
        if self.ceiling <= 0:
            return Decimal(1)
        return (self.used / self.ceiling).quantize(Decimal("0.001"))


def latest_call():
    return db.session.exec(select(Call).order_by(Call.opens_at.desc(), Call.id.desc())).first()


def ceiling_of(organisation, now=None):
    """What the organisation has used of its ceiling and what is left, the way the award
    calculator counts it (fsi.applications.calculator.awarded_within, outside grants included)."""
    now = now or utcnow()
    call = latest_call()
    months = call.ceiling_months if call else Call.model_fields["ceiling_months"].default
    ceiling = call.organisation_ceiling if call else Call.model_fields["organisation_ceiling"].default
    since = months_before(now, months).astimezone(PARIS).date()
    return Ceiling(months=months, ceiling=Decimal(ceiling), used=awarded_within(organisation.id, months, now),
                   outside=outside_total(organisation.id, since), call=call)


# --- Grants obtained outside FSI ----------------------------------------------------------------

def outside_grants_of(organisation):
    """[(OutsideGrant, name of who entered it)], the latest first: one statement."""
    return db.session.exec(select(OutsideGrant, User.full_name)
                           .join(User, User.id == OutsideGrant.recorded_by_id)
                           .where(OutsideGrant.organisation_id == organisation.id)
                           .order_by(OutsideGrant.granted_on.desc(), OutsideGrant.id.desc())).all()


def add_outside_grant(organisation, user, *, funder, label, amount, granted_on, note=""):
    """Record a grant obtained outside FSI (staff): it counts in the ceiling at once."""
    grant = OutsideGrant(organisation_id=organisation.id, funder=funder.strip(), label=label.strip(),
                         amount=amount, granted_on=granted_on, note=(note or "").strip(),
                         recorded_by_id=user.id)
    db.session.add(grant)
    db.session.flush()
    return grant


def delete_outside_grant(grant):
    """Remove a grant entered by mistake; returns its organisation's id."""
    organisation_id = grant.organisation_id
    db.session.delete(grant)
    db.session.flush()
    return organisation_id


# --- Year by year -------------------------------------------------------------------------------

def _year(column, instant=False):
    """The calendar year of a date column, or of a UTC instant in Europe/Paris (``instant``). New
    Year's Eve is always in winter time (UTC+1), so on SQLite, which knows no time zone, an
    instant's Paris year is the year of the instant plus one hour."""
    if db.session.get_bind().dialect.name == "postgresql":
        if instant:
            column = func.timezone("Europe/Paris", func.timezone("UTC", column))
        return cast(func.extract("year", column), Integer)
    if instant:
        return cast(func.strftime("%Y", column, text("'+1 hour'")), Integer)
    return cast(func.strftime("%Y", column), Integer)


@dataclass(frozen=True)
class YearRow:
    year: int
    granted: Decimal
    paid: Decimal
    outside: Decimal


def _of(organisation_id):
    """The applications the organisation carries, as lead or co-applicant."""
    co_applied = select(CoApplicant.application_id).where(CoApplicant.organisation_id == organisation_id)
    return or_(Application.organisation_id == organisation_id, Application.id.in_(co_applied))


def per_year(organisation):
    """[YearRow], oldest first: FSI's grants by the year they were decided, payments by the year
    they were paid (the applications it carries as the applicant: a joint project's grant is its
    lead's, as in the list), outside grants by the year they were granted. Three GROUP BY
    statements."""
    mine = Application.organisation_id == organisation.id
    granted_year = _year(Application.approved_at, instant=True)
    granted = dict(db.session.exec(
        select(granted_year, func.sum(Application.approved_amount))
        .where(mine, Application.approved_amount.is_not(None), Application.approved_at.is_not(None))
        .group_by(granted_year)).all())
    paid_year = _year(Tranche.paid_on)
    paid = dict(db.session.exec(
        select(paid_year, func.sum(func.coalesce(Tranche.paid_amount, Tranche.amount)))
        .join(Project, Project.id == Tranche.project_id).join(Application, Application.id == Project.application_id)
        .where(mine, Tranche.paid_on.is_not(None))
        .group_by(paid_year)).all())
    outside_year = _year(OutsideGrant.granted_on)
    outside = dict(db.session.exec(
        select(outside_year, func.sum(OutsideGrant.amount))
        .where(OutsideGrant.organisation_id == organisation.id).group_by(outside_year)).all())
    years = sorted(set(granted) | set(paid) | set(outside))
    return [YearRow(int(year), _money(granted.get(year)), _money(paid.get(year)), _money(outside.get(year)))
            for year in years]


def _money(value):
    return Decimal(value or 0).quantize(Decimal("0.01"))


# --- Contacts, applications and projects ---------------------------------------------------------

def contacts_of(organisation):
    return db.session.exec(select(User).where(User.organisation_id == organisation.id)
                           .order_by(User.active.desc(), User.full_name, User.id)).all()


@dataclass(frozen=True)
class CarriedApplication:
    application: Application
    call: Call
    project: Project | None
    #: the organisation carries it as the applicant (else as a co-applicant)
    lead: bool


def applications_of(organisation):
    """Its applications (as applicant or co-applicant), newest first, with their call and project:
    one statement."""
    rows = db.session.exec(
        select(Application, Call, Project).join(Call, Call.id == Application.call_id)
        .outerjoin(Project, Project.application_id == Application.id)
        .where(_of(organisation.id))
        .order_by(Application.created_at.desc(), Application.id.desc())).all()
    return [CarriedApplication(application, call, project, application.organisation_id == organisation.id)
            for application, call, project in rows]


# --- The list of organisations --------------------------------------------------------------------

@dataclass(frozen=True)
class OrganisationRow:
    organisation: Organisation
    territory: str | None
    applications: int
    projects: int
    granted: Decimal
    paid: Decimal
    outside: Decimal


def organisation_rows():
    """Every organisation with its number of applications (drafts included) and of projects, what
    FSI granted it, paid it, and what it obtained outside FSI (as applicant): one statement."""
    applications = (select(Application.organisation_id.label("organisation_id"),
                           func.count(Application.id).label("applications"),
                           func.sum(Application.approved_amount).label("granted"))
                    .group_by(Application.organisation_id).subquery())
    projects = (select(Application.organisation_id.label("organisation_id"),
                       func.count(Project.id).label("projects"), func.sum(Project.paid_total).label("paid"))
                .join(Project, Project.application_id == Application.id)
                .group_by(Application.organisation_id).subquery())
    outside = (select(OutsideGrant.organisation_id.label("organisation_id"),
                      func.sum(OutsideGrant.amount).label("outside"))
               .group_by(OutsideGrant.organisation_id).subquery())
    rows = db.session.exec(
        select(Organisation, Territory.epci, applications.c.applications, applications.c.granted,
               projects.c.projects, projects.c.paid, outside.c.outside)
        .outerjoin(Territory, Territory.id == Organisation.territory_id)
        .outerjoin(applications, applications.c.organisation_id == Organisation.id)
        .outerjoin(projects, projects.c.organisation_id == Organisation.id)
        .outerjoin(outside, outside.c.organisation_id == Organisation.id)
        .order_by(func.lower(Organisation.name), Organisation.id)).all()
    return [OrganisationRow(organisation, epci, count or 0, project_count or 0, _money(granted), _money(paid),
                            _money(outside_amount))
            for organisation, epci, count, granted, project_count, paid, outside_amount in rows]


__all__ = ["Ceiling", "CarriedApplication", "OrganisationRow", "YearRow", "add_outside_grant", "applications_of",
           "ceiling_of", "contacts_of", "delete_outside_grant", "organisation_rows", "outside_grants_of",
           "outside_total", "per_year"]
