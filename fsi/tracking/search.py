"""One search over applications and their projects, for staff: the filters read from the URL (so
a search is a link to share), checked against fsi.limits, and the matching rows in two statements
(the count and one page), or all of them in one statement for the exports.

A filter that cannot be read (a word where a number is expected, an unknown state, a date in year
9999) is left out and named in ``Filters.errors``, in French: the page says which filter it ignored
and why, and shows the rest; it never fails.

Where the definitions of the issue apply (design-14): an application's territory is where the
project is (``Application.territory_id``), else its organisation's; its department that
territory's, else the organisation's; its axes those of its call. "Financés seulement": the
applications with a project (a grant that opened one). The amount range applies to the amount
requested or to the amount granted, as chosen (``amount``)."""
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import and_, exists, false, func, or_
from sqlmodel import select

from fsi.accounts.models import ORGANISATION_KIND_LABELS, Organisation, OrganisationKind, Territory
from fsi.amounts import AmountError, parse_amount
from fsi.applications.models import Application
from fsi.cache import until_data_changes
from fsi.calls.models import Axis, Call, CallAxis, Theme
from fsi.calls.rules import KINDS_BY_CODE
from fsi.db import db
from fsi.fields import parse_french_date
from fsi.funding.models import Project
from fsi.i18n import PARIS
from fsi.i18n import lazy_gettext as _l
from fsi.limits import CONTROL, CONTROL_MESSAGE, MONEY_MAX, TITLE_MAX, bounded_int, date_error
from fsi.tracking.calls import call_choices, calls_and_years
from fsi.workflow.definitions import circuits

PER_PAGE, PER_PAGE_MAX = 50, 100
#: the sort keys the URL may name (``sort=``), each with its column below
SORTS = ("reference", "title", "organisation", "state", "requested", "granted", "paid", "submitted")
AMOUNT_ON = ("requested", "granted")
#: every filter's parameter in the URL: what is kept from one page to the next, and for the exports
PARAMS = ("q", "state", "call", "circuit", "organisation", "organisation_kind", "kind", "territory",
          "department", "theme", "axis", "amount", "min_amount", "max_amount", "submitted_from",
          "submitted_to", "funded", "sort", "order", "per_page")
#: each filter's name on the page, for the message saying it was ignored
FILTER_LABELS = {
    "q": _l("Texte"), "state": _l("États"), "call": _l("Appel"), "circuit": _l("Circuit"),
    "organisation": _l("Organisme"), "organisation_kind": _l("Type d'organisme"), "kind": _l("Nature du projet"),
    "territory": _l("Territoire (EPCI)"), "department": _l("Département"), "theme": _l("Thème"), "axis": _l("Axe"),
    "amount": _l("Montant"), "min_amount": _l("Au moins (€)"), "max_amount": _l("Au plus (€)"),
    "submitted_from": _l("Déposé du"), "submitted_to": _l("Déposé au"), "sort": _l("Tri"),
    "per_page": _l("Lignes par page"),
}


@dataclass
class Filters:
    q: str = ""
    states: tuple = ()
    call_id: int | None = None
    circuit: str | None = None
    organisation_id: int | None = None
    organisation_kind: str | None = None
    kind: str | None = None
    territory_id: int | None = None
    department: str | None = None
    theme_id: int | None = None
    axis_id: int | None = None
    amount_on: str = "requested"
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    funded_only: bool = False
    sort: str = "submitted"
    descending: bool = True
    page: int = 1
    per_page: int = PER_PAGE
    #: {parameter: why it was left out (French, lazy)}
    errors: dict = field(default_factory=dict)

    #: the filters the search page folds under « Plus de filtres » (the text, states and call stay in view)
    MORE = ("circuit", "organisation_id", "organisation_kind", "kind", "territory_id", "department", "theme_id",
            "axis_id", "min_amount", "max_amount", "submitted_from", "submitted_to", "funded_only")

    @property
    def uses_more(self):
        """Whether one of the folded filters is set or was refused: the page shows them unfolded."""
        refused = {"organisation", "territory", "theme", "axis", "min_amount", "max_amount", "submitted_from",
                   "submitted_to", "circuit", "organisation_kind", "kind", "department", "per_page"}
        return any(getattr(self, name) for name in self.MORE) or bool(refused & set(self.errors))


class Row(NamedTuple):
    id: int
    reference: str
    title: str
    organisation_id: int
    organisation: str
    call: str
    state: str
    circuit: str
    requested: Decimal | None
    granted: Decimal | None
    paid: Decimal | None
    project_id: int | None
    territory: str | None
    theme_fr: str | None
    theme_en: str | None
    received_at: datetime | None

    @property
    def received_on(self):
        """The day of the first submission, in Paris."""
        return self.received_at.astimezone(PARIS).date() if self.received_at else None


def state_labels():
    """{state: {"fr", "en"}} over every circuit of applications (the main circuit's label first)."""
    labels = {}
    for workflow in reversed(circuits("application")):
        labels.update({name: workflow.state_label(name) for name in workflow.states})
    return labels


def circuit_labels():
    return {workflow.name: workflow.label for workflow in circuits("application")}


# --- Reading the URL ---------------------------------------------------------------------------

def _text(args, name, errors, max_length=TITLE_MAX):
    value = (args.get(name) or "").strip()
    if CONTROL.search(value):
        errors[name] = CONTROL_MESSAGE
        return CONTROL.sub("", value)[:max_length]
    if len(value) > max_length:
        errors[name] = _l("%(max)d caractères au plus : la recherche porte sur le début du texte.", max=max_length)
        return value[:max_length]
    return value


def _id(args, name, errors):
    value = (args.get(name) or "").strip()
    if not value:
        return None
    number = bounded_int(value)
    if number is None:
        errors[name] = _l("Choisissez une valeur dans la liste.")
    return number


def _choice(args, name, choices, errors):
    value = (args.get(name) or "").strip()
    if not value:
        return None
    if value not in choices:
        errors[name] = _l("Choisissez une valeur dans la liste.")
        return None
    return value


def _amount(args, name, language, errors):
    try:
        value = parse_amount(args.get(name), language=language)
    except AmountError as error:
        errors[name] = error.message
        return None
    if value is not None and not Decimal(0) <= value <= MONEY_MAX:
        errors[name] = _l("Saisissez un montant entre 0 et 9 999 999 999,99 €.")
        return None
    return value


def _date(args, name, errors):
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        value = parse_french_date(text[:20])
    except ValueError:
        errors[name] = _l("Saisissez une date comme 25/11/2026.")
        return None
    if message := date_error(value):
        errors[name] = message
        return None
    return value


def parse_filters(args, language="fr"):
    """The search ``args`` (request.args) ask for, within bounds; what cannot be read is left out
    and named in ``errors``."""
    errors = {}
    labels = state_labels()
    states = tuple(dict.fromkeys(s for s in args.getlist("state") if s in labels))
    if len(states) < len([s for s in args.getlist("state") if s]):
        errors["state"] = _l("Un état demandé n'existe pas : il est ignoré.")
    filters = Filters(
        q=_text(args, "q", errors), states=states, call_id=_id(args, "call", errors),
        circuit=_choice(args, "circuit", circuit_labels(), errors),
        organisation_id=_id(args, "organisation", errors),
        organisation_kind=_choice(args, "organisation_kind", [k.value for k in OrganisationKind], errors),
        kind=_choice(args, "kind", KINDS_BY_CODE, errors), territory_id=_id(args, "territory", errors),
        department=_text(args, "department", errors, max_length=3) or None,
        theme_id=_id(args, "theme", errors), axis_id=_id(args, "axis", errors),
        amount_on=_choice(args, "amount", AMOUNT_ON, errors) or "requested",
        min_amount=_amount(args, "min_amount", language, errors),
        max_amount=_amount(args, "max_amount", language, errors),
        submitted_from=_date(args, "submitted_from", errors), submitted_to=_date(args, "submitted_to", errors),
        funded_only=args.get("funded") == "1",
        sort=_choice(args, "sort", SORTS, errors) or "submitted",
        per_page=PER_PAGE, errors=errors)
    filters.descending = args.get("order", "asc" if filters.sort in ("reference", "title", "organisation")
                                  else "desc") != "asc"
    if (per_page := (args.get("per_page") or "").strip()):
        number = bounded_int(per_page)
        if number is None or not 1 <= number <= PER_PAGE_MAX:
            errors["per_page"] = _l("Entre 1 et %(max)d lignes par page.", max=PER_PAGE_MAX)
        filters.per_page = min(max(number or PER_PAGE, 1), PER_PAGE_MAX)
    filters.page = bounded_int((args.get("page") or "1").strip()) or 1
    if None not in (filters.min_amount, filters.max_amount) and filters.min_amount > filters.max_amount:
        errors["max_amount"] = _l("Le montant maximum est inférieur au minimum : aucun dossier ne peut correspondre.")
    return filters


# --- The query ---------------------------------------------------------------------------------

TERRITORY_ID = func.coalesce(Application.territory_id, Organisation.territory_id)
PAID = func.coalesce(Project.paid_total, 0)
COLUMNS = (Application.id, Application.reference, Application.title, Organisation.id, Organisation.name,
           Call.title, Application.state, Application.circuit, Application.requested_amount,
           Application.approved_amount, Project.paid_total, Project.id, Territory.epci, Theme.label_fr,
           Theme.label_en, Application.received_at)
SORT_COLUMNS = {
    "reference": Application.reference, "title": func.lower(Application.title),
    "organisation": func.lower(Organisation.name), "state": Application.state,
    "requested": func.coalesce(Application.requested_amount, 0),
    "granted": func.coalesce(Application.approved_amount, 0),
    "paid": PAID, "submitted": Application.received_at,
}


def _like(text):
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(f):
    """The WHERE of the filters ``f``."""
    where = []
    if f.q:
        pattern = _like(f.q)
        where.append(or_(*(func.lower(column).like(pattern, escape="\\") for column in
                           (Application.reference, Application.title, Organisation.name, Application.summary))))
    if f.states:
        where.append(Application.state.in_(f.states))
    for value, column in ((f.call_id, Application.call_id), (f.circuit, Application.circuit),
                          (f.organisation_id, Organisation.id), (f.kind, Application.kind),
                          (f.territory_id, TERRITORY_ID), (f.theme_id, Application.theme_id)):
        if value is not None:
            where.append(column == value)
    if f.organisation_kind:
        where.append(Organisation.kind == OrganisationKind(f.organisation_kind))
    if f.department:
        where.append(func.coalesce(Territory.department_code, Organisation.department_code) == f.department)
    if f.axis_id is not None:
        where.append(exists().where(CallAxis.call_id == Application.call_id, CallAxis.axis_id == f.axis_id))
    amount = Application.requested_amount if f.amount_on == "requested" else Application.approved_amount
    if f.min_amount is not None:
        where.append(amount >= f.min_amount)
    if f.max_amount is not None:
        where.append(amount <= f.max_amount)
    if f.submitted_from is not None:
        where.append(Application.received_at >= _paris_midnight(f.submitted_from))
    if f.submitted_to is not None:
        where.append(Application.received_at < _paris_midnight(f.submitted_to + timedelta(days=1)))
    if f.funded_only:
        where.append(Project.id.is_not(None))
    return where


def _paris_midnight(day):
    """The UTC instant a Paris calendar day starts (the filter's dates are Paris days)."""
    return datetime.combine(day, time(), tzinfo=PARIS)


def _base(columns, f):
    stmt = (select(*columns).select_from(Application)
            .join(Organisation, Organisation.id == Application.organisation_id)
            .join(Call, Call.id == Application.call_id)
            .outerjoin(Project, Project.application_id == Application.id)
            .outerjoin(Territory, Territory.id == TERRITORY_ID)
            .outerjoin(Theme, Theme.id == Application.theme_id))
    where = _conditions(f)
    if f.submitted_to and f.submitted_from and f.submitted_to < f.submitted_from:
        where.append(false())
    return stmt.where(and_(*where)) if where else stmt


def _ordered(stmt, f):
    column = SORT_COLUMNS[f.sort]
    order = column.desc() if f.descending else column.asc()
    tie = Application.id.desc() if f.descending else Application.id.asc()
    if f.sort == "submitted":  # never submitted: last either way
        return stmt.order_by(Application.received_at.is_(None), order, tie)
    return stmt.order_by(order, tie)


@dataclass
class Page:
    rows: list
    total: int
    page: int
    pages: int
    per_page: int


def _filters_key(f):
    """What a search asks for (the reasons given for what it ignored make no difference)."""
    return tuple(getattr(f, item.name) for item in fields(f) if item.name != "errors")


@until_data_changes(key=_filters_key)
def search_page(f):
    """One page of the rows matching ``f`` (beyond the last page: the last), in two statements,
    kept until the data changes (fsi.cache)."""
    total = db.session.exec(_base((func.count(Application.id),), f)).one()
    pages = max(1, -(-total // f.per_page))
    page = min(max(f.page, 1), pages)
    rows = db.session.exec(_ordered(_base(COLUMNS, f), f).offset((page - 1) * f.per_page).limit(f.per_page)).all()
    return Page([Row(*row) for row in rows], total, page, pages, f.per_page)


def search_all(f):
    """Every row matching ``f``, in the page's order (the exports), in one statement."""
    return [Row(*row) for row in db.session.exec(_ordered(_base(COLUMNS, f), f)).all()]


# --- What the filters offer ----------------------------------------------------------------------

@dataclass
class Choices:
    calls: list
    organisations: list
    territories: list
    departments: list
    themes: list
    axes: list
    states: dict
    circuits: dict
    organisation_kinds: dict
    kinds: dict


def choices(organisation_id=None, call_id=None):
    """The options of the filter form, in a fixed number of statements. Organisations are too many
    to list (thousands): the form offers the one chosen (from an organisation's record), the text
    filter finds the others by name. Calls: fsi.tracking.calls.call_choices."""
    territories = db.session.exec(select(Territory).order_by(Territory.department_code, Territory.epci)).all()
    departments = sorted({(t.department_code, t.department) for t in territories})
    return Choices(
        calls=call_choices(calls_and_years()[0], call_id=call_id),
        organisations=db.session.exec(select(Organisation.id, Organisation.name)
                                      .where(Organisation.id == organisation_id)).all() if organisation_id else [],
        territories=territories, departments=departments,
        themes=db.session.exec(select(Theme).order_by(Theme.label_fr)).all(),
        axes=db.session.exec(select(Axis).order_by(Axis.label_fr)).all(),
        states=state_labels(), circuits=circuit_labels(),
        organisation_kinds={k.value: label for k, label in ORGANISATION_KIND_LABELS.items()},
        kinds={code: info.label for code, info in KINDS_BY_CODE.items()},
    )
