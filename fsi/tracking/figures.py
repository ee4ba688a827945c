"""The figures staff answer the board from, for a set of applications, each an SQL aggregate
grouped by one dimension (call, year, department, EPCI, axis, theme, organisation kind): a page
costs one statement per figure family and dimension, whatever the number of applications.

What an application belongs to (the shared definitions of the tracking pages):
its call; its year, the year of its call's opening (Europe/Paris); its territory, the project's
(``Application.territory_id``) else its organisation's; its department, that territory's else
its organisation's; its theme; its call's axes (an application counts under each of them); its
organisation's kind."""
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, case, func, literal_column, or_
from sqlmodel import select

from fsi.accounts.models import Organisation, Territory
from fsi.applications.models import Application
from fsi.cache import until_data_changes
from fsi.calls.models import Call, CallAxis
from fsi.db import db
from fsi.funding.models import Clawback, Project, Report, Tranche
from fsi.i18n import today
from fsi.tracking.sql import days_between, paris_day, paris_year
from fsi.workflow.models import WorkflowEvent
from fsi.workflow.tags import tagged

ZERO = Decimal("0.00")
AWARDED = tagged("application", "awarded")
DECIDED = tagged("application", "decided")
REPORT_DUE = tagged("report", "due")
PAYMENT_OUTSTANDING = tagged("payment", "outstanding")

#: where an application is: the project's territory, else its organisation's
territory_key = func.coalesce(Application.territory_id, Organisation.territory_id)
department_key = func.coalesce(Territory.department_code, Organisation.department_code)
call_year = paris_year(Call.opens_at)

#: the dimensions a page groups by: name -> the key expression (None: everything together)
DIMENSIONS = {
    "all": None,
    "call": Application.call_id,
    "year": call_year,
    "department": department_key,
    "epci": territory_key,
    "axis": CallAxis.axis_id,
    "theme": Application.theme_id,
    "organisation_kind": Organisation.kind,
}
#: the dimensions an envelope means something for (a call's envelope is not split by territory)
ENVELOPE_DIMENSIONS = ("all", "call", "year", "axis")


@dataclass(frozen=True)
class Scope:
    """Which applications: a call, a year, a territory (EPCI), a department (None: all)."""

    call_id: int | None = None
    year: int | None = None
    territory_id: int | None = None
    department: str | None = None

    @property
    def by_place(self):
        return self.territory_id is not None or self.department is not None


#: every application
EVERYTHING = Scope()


@dataclass
class Figures:
    """The figures of a set of applications (see the module docstring for what belongs)."""

    #: {state: number of applications}, drafts included
    by_state: dict = field(default_factory=dict)
    #: Σ requested amounts of the applications received
    requested: Decimal = ZERO
    #: Σ approved amounts (every grant decided)
    granted: Decimal = ZERO
    #: what the grants still commit (fsi.funding.payments.committed_amounts, in SQL)
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    #: still to pay on the running projects
    remaining: Decimal = ZERO
    recovered: Decimal = ZERO
    to_recover: Decimal = ZERO
    projects: int = 0
    #: Σ envelopes of the calls in scope; None where it means nothing (by territory, theme...)
    envelope: Decimal | None = None
    overdue_reports: int = 0
    overdue_payments: int = 0
    median_days_to_decision: Decimal | None = None
    median_days_to_first_payment: Decimal | None = None

    @property
    def applications(self):
        return sum(self.by_state.values())

    @property
    def envelope_use(self):
        """committed / envelope (None without an envelope)."""
        if not self.envelope:
            return None
        return self.committed / self.envelope

    @property
    def empty(self):
        return not self.by_state


def _base(stmt, scope, dimension):
    """``stmt`` over the applications (with their call, organisation and territory; the call's
    axes when grouped by axis), restricted to ``scope``."""
    stmt = (stmt.select_from(Application)
            .join(Call, Call.id == Application.call_id)
            .join(Organisation, Organisation.id == Application.organisation_id)
            .outerjoin(Territory, Territory.id == territory_key))
    if dimension == "axis":
        stmt = stmt.join(CallAxis, CallAxis.call_id == Call.id)
    return stmt.where(*scope_conditions(scope))


def scope_conditions(scope):
    conditions = []
    if scope.call_id is not None:
        conditions.append(Application.call_id == scope.call_id)
    if scope.year is not None:
        conditions.append(call_year == scope.year)
    if scope.territory_id is not None:
        conditions.append(territory_key == scope.territory_id)
    if scope.department is not None:
        conditions.append(department_key == scope.department)
    return conditions


def _key(dimension):
    expression = DIMENSIONS[dimension]
    return literal_column("0").label("key") if expression is None else expression.label("key")


def _grouped(stmt, dimension, *more):
    expression = DIMENSIONS[dimension]
    keys = ([] if expression is None else [expression]) + list(more)
    return stmt.group_by(*keys) if keys else stmt


def received_back():
    """Per project, the clawbacks already paid back."""
    return (select(Clawback.project_id, func.sum(Clawback.amount).label("amount"))
            .where(Clawback.received_on.is_not(None)).group_by(Clawback.project_id).subquery())


def committed_expression(received):
    """What a grant commits (fsi.funding.payments.committed_amounts, then the calculator's
    default), for one application row outer-joined to its project and its clawbacks received."""
    kept = Project.paid_total - func.coalesce(received.c.amount, 0)
    return case(
        (Project.due_amount.is_not(None), case((Project.due_amount >= kept, Project.due_amount), else_=kept)),
        (Application.state.in_(AWARDED), func.coalesce(Application.approved_amount, 0)),
        (Project.id.is_not(None), kept),
        else_=0)


def _running():
    return and_(Project.lapsed_on.is_(None), Application.state.in_(AWARDED))


def _median(days, dimension, scope, joined):
    """The median of ``days`` per key: numbered in order within each key, then the middle one (or
    the mean of the two middle ones)."""
    expression = DIMENSIONS[dimension]
    partition = [] if expression is None else [expression]
    inner = joined(_base(select(
        _key(dimension), days.label("days"),
        func.row_number().over(partition_by=partition, order_by=days).label("position"),
        func.count().over(partition_by=partition).label("total")), scope, dimension)).where(
        days.is_not(None)).subquery()
    return (select(inner.c.key, func.avg(inner.c.days))
            .where(or_(inner.c.position == (inner.c.total + 1) // 2, inner.c.position == (inner.c.total + 2) // 2))
            .group_by(inner.c.key))


def _first_decisions():
    return (select(WorkflowEvent.object_id, func.min(WorkflowEvent.created_at).label("at"))
            .where(WorkflowEvent.workflow == "application", WorkflowEvent.to_state.in_(DECIDED))
            .group_by(WorkflowEvent.object_id).subquery())


def _first_payments():
    return (select(Tranche.project_id, func.min(Tranche.paid_on).label("on"))
            .where(Tranche.paid_on.is_not(None)).group_by(Tranche.project_id).subquery())


def _days(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


def figures_by(dimension, scope=EVERYTHING, day=None):
    """{key: Figures} for ``dimension`` (a key of DIMENSIONS; "all" gives the key 0) within
    ``scope``: eight statements whatever the number of applications, computed once until the data
    changes (fsi.cache). The Figures are shared: read them, never change them."""
    return dict(_figures_by(dimension, scope, day or today()))


@until_data_changes()
def _figures_by(dimension, scope, day):
    answers = {}

    def at(key):
        key = getattr(key, "value", key)  # an organisation's kind comes back as its enum
        if key not in answers:
            answers[key] = Figures(envelope=ZERO if dimension in ENVELOPE_DIMENSIONS and not scope.by_place else None)
        return answers[key]

    received_when = case((Application.received_at.is_not(None), Application.requested_amount))
    rows = db.session.exec(_grouped(_base(select(
        _key(dimension), Application.state, func.count(Application.id),
        func.coalesce(func.sum(received_when), 0), func.coalesce(func.sum(Application.approved_amount), 0)),
        scope, dimension), dimension, Application.state)).all()
    for key, state, count, requested, granted in rows:
        figures = at(key)
        figures.by_state[state] = count
        figures.requested += Decimal(requested)
        figures.granted += Decimal(granted)

    received = received_back()
    remaining = case((and_(Project.id.is_not(None), _running()),
                      func.coalesce(Project.due_amount, Project.granted_amount) - Project.paid_total), else_=0)
    money = _base(select(
        _key(dimension), func.count(Project.id), func.coalesce(func.sum(Project.paid_total), 0),
        func.coalesce(func.sum(committed_expression(received)), 0),
        func.coalesce(func.sum(case((remaining > 0, remaining), else_=0)), 0)), scope, dimension)
    money = (money.outerjoin(Project, Project.application_id == Application.id)
             .outerjoin(received, received.c.project_id == Project.id))
    for key, projects, paid, committed, left in db.session.exec(_grouped(money, dimension)).all():
        figures = at(key)
        figures.projects, figures.paid = projects, Decimal(paid)
        figures.committed, figures.remaining = Decimal(committed), Decimal(left)

    clawbacks = _base(select(
        _key(dimension),
        func.coalesce(func.sum(case((Clawback.received_on.is_not(None), Clawback.amount), else_=0)), 0),
        func.coalesce(func.sum(case((Clawback.received_on.is_(None), Clawback.amount), else_=0)), 0)),
        scope, dimension)
    clawbacks = (clawbacks.join(Project, Project.application_id == Application.id)
                 .join(Clawback, Clawback.project_id == Project.id))
    for key, recovered, to_recover in db.session.exec(_grouped(clawbacks, dimension)).all():
        at(key).recovered, at(key).to_recover = Decimal(recovered), Decimal(to_recover)

    reports = (_base(select(_key(dimension), func.count(Report.id)), scope, dimension)
               .join(Project, Project.application_id == Application.id).join(Report, Report.project_id == Project.id)
               .where(Report.state.in_(REPORT_DUE), Report.due_on < day, _running()))
    for key, count in db.session.exec(_grouped(reports, dimension)).all():
        at(key).overdue_reports = count

    payments = (_base(select(_key(dimension), func.count(Tranche.id)), scope, dimension)
                .join(Project, Project.application_id == Application.id).join(Tranche, Tranche.project_id == Project.id)
                .where(Tranche.state.in_(PAYMENT_OUTSTANDING), Tranche.due_on < day, _running()))
    for key, count in db.session.exec(_grouped(payments, dimension)).all():
        at(key).overdue_payments = count

    decisions = _first_decisions()
    to_decision = _median(days_between(Application.received_at, decisions.c.at), dimension, scope,
                          lambda stmt: stmt.join(decisions, decisions.c.object_id == Application.id))
    for key, days in db.session.exec(to_decision).all():
        at(key).median_days_to_decision = _days(days)

    first_paid = _first_payments()
    # whole days: from the decision's day in Paris to the day of the first payment
    to_payment = _median(days_between(paris_day(Application.approved_at), first_paid.c.on), dimension, scope,
                         lambda stmt: stmt.join(Project, Project.application_id == Application.id)
                         .join(first_paid, first_paid.c.project_id == Project.id))
    for key, days in db.session.exec(to_payment).all():
        at(key).median_days_to_first_payment = _days(days)

    if dimension in ENVELOPE_DIMENSIONS and not scope.by_place:
        for key, envelope in db.session.exec(_envelopes(dimension, scope)).all():
            at(key).envelope = Decimal(envelope)
    return answers


def _envelopes(dimension, scope):
    """Σ envelopes of the calls in scope per key (every call, with applications or not)."""
    keys = {"all": literal_column("0"), "call": Call.id, "year": call_year, "axis": CallAxis.axis_id}
    stmt = select(keys[dimension].label("key"), func.coalesce(func.sum(Call.envelope), 0)).select_from(Call)
    if dimension == "axis":
        stmt = stmt.join(CallAxis, CallAxis.call_id == Call.id)
    if scope.call_id is not None:
        stmt = stmt.where(Call.id == scope.call_id)
    if scope.year is not None:
        stmt = stmt.where(call_year == scope.year)
    return stmt if dimension == "all" else stmt.group_by(keys[dimension])


def overall(scope=EVERYTHING, day=None):
    """The Figures of everything in ``scope``."""
    return figures_by("all", scope, day).get(0) or Figures(
        envelope=None if scope.by_place else ZERO)
