"""The catalogue's search: one function over both engines (search_index.matches), with filters,
facet counts and pages. Only published sheets (tagged("sheet", "public")) are ever selected."""
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import Integer, case, cast, distinct, extract, func, literal, select

from fsi.accounts.models import ORGANISATION_KIND_LABELS, Organisation, OrganisationKind, Territory
from fsi.applications.models import Application
from fsi.cache import until_data_changes
from fsi.calls.models import Axis, CallAxis, Theme
from fsi.calls.rules import KINDS, kind_label
from fsi.db import db
from fsi.dissemination.catalogue.search_index import matches
from fsi.dissemination.sheets.models import PracticeSheet
from fsi.funding.models import Project
from fsi.i18n import N_, pick
from fsi.workflow import tagged

PER_PAGE = 10
#: grant ranges: (key, label, low inclusive, high exclusive)
GRANT_RANGES = (
    ("lt10k", N_("Moins de 10 000 €"), None, Decimal("10000")),
    ("10k-50k", N_("De 10 000 à 50 000 €"), Decimal("10000"), Decimal("50000")),
    ("50k-100k", N_("De 50 000 à 100 000 €"), Decimal("50000"), Decimal("100000")),
    ("gte100k", N_("100 000 € et plus"), Decimal("100000"), None),
)
FACETS = ("theme", "axis", "kind", "territory", "organisation_kind", "year", "grant")
#: the value of a facet's « Non précisé » (a sheet without a theme, a kind, a grant...), so that
#: every sheet counts once in each single-valued facet
NONE = "none"

granted = func.coalesce(Project.granted_amount, Application.approved_amount)
department = func.coalesce(Territory.department_code, Organisation.department_code)
year = cast(extract("year", func.coalesce(Application.approved_at, PracticeSheet.published_at)), Integer)
grant_range = case(*[((granted >= low if high is None else granted < high if low is None
                       else (granted >= low) & (granted < high)), literal(key))
                     for key, _label, low, high in GRANT_RANGES], else_=literal(NONE))


def published_sheets():
    return select(PracticeSheet).where(PracticeSheet.state.in_(tagged("sheet", "public")))


def _joined(statement):
    """The sheet with its application, organisation, territory and project."""
    return (statement.select_from(PracticeSheet)
            .join(Application, Application.id == PracticeSheet.application_id)
            .join(Organisation, Organisation.id == Application.organisation_id)
            .outerjoin(Territory, Territory.id == Application.territory_id)
            .outerjoin(Project, Project.application_id == Application.id)
            .where(PracticeSheet.state.in_(tagged("sheet", "public"))))


#: each facet: (the value's expression, how a filter on it reads)
def _facet_filter(name, value):
    if name == "axis":
        return PracticeSheet.application_id.in_(
            select(Application.id).join(CallAxis, CallAxis.call_id == Application.call_id)
            .where(CallAxis.axis_id == value))
    expression = FACET_EXPRESSIONS[name]
    if value == NONE and name != "grant":
        return expression.is_(None) | (expression == "") if name == "kind" else expression.is_(None)
    return expression == value


FACET_EXPRESSIONS = {
    "theme": Application.theme_id,
    "kind": Application.kind,
    "territory": department,
    "organisation_kind": Organisation.kind,
    "year": year,
    "grant": grant_range,
}


@dataclass
class Filters:
    """What the visitor chose: the words and one value per facet (strings from the URL)."""

    query: str = ""
    chosen: dict = field(default_factory=dict)

    @classmethod
    def from_args(cls, args):
        chosen = {}
        for name in FACETS:
            value = (args.get(name) or "").strip()[:40]
            parsed = _parse(name, value)
            if parsed is not None:
                chosen[name] = parsed
        return cls(query=(args.get("q") or "").strip()[:200], chosen=chosen)

    def args(self, **changes):
        """The URL arguments of these filters with ``changes`` (None removes one)."""
        out = {"q": self.query} if self.query else {}
        out.update({name: _unparse(value) for name, value in self.chosen.items()})
        for name, value in changes.items():
            if value is None:
                out.pop(name, None)
            else:
                out[name] = value
        return out


def _parse(name, value):
    if not value:
        return None
    if value == NONE and name != "axis":
        return NONE
    if name in ("theme", "axis", "year"):
        return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None
    if name == "organisation_kind":
        return OrganisationKind(value) if value in OrganisationKind._value2member_map_ else None
    if name == "kind":
        return value if value in {k.code for k in KINDS} else None
    if name == "grant":
        return value if value in {key for key, *_ in GRANT_RANGES} else None
    if name == "territory":
        return value if value.isalnum() and len(value) <= 3 else None
    return None


def _unparse(value):
    return getattr(value, "value", value)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    chosen: bool


@dataclass
class SearchResult:
    filters: Filters
    sheets: list
    total: int
    page: int
    pages: int
    #: {facet name: [FacetValue]}
    facets: dict
    #: {sheet id: (title_hit, rank)} when words were searched
    ranks: dict


def search(filters, page=1, per_page=PER_PAGE):
    """The published sheets matching ``filters``, best first (the title holding the words, then the
    engine's rank, then the newest), one page of them, and each facet's counts (counted over the
    sheets matching every other filter, so that a facet's counts add up to its total)."""
    found = _find(filters, page, per_page)
    loaded = {sheet.id: sheet for sheet in db.session.scalars(select(PracticeSheet).where(
        PracticeSheet.id.in_(found.ids)))} if found.ids else {}
    sheets = [loaded[sheet_id] for sheet_id in found.ids if sheet_id in loaded]
    facets = {name: _facet_values(name, counts, filters.chosen.get(name)) for name, counts in found.counts.items()}
    return SearchResult(filters, sheets, found.total, found.page, found.pages, facets, found.ranks)


@dataclass(frozen=True)
class _Found:
    """What a search found, kept until the data changes: the page's sheet ids in order, their
    ranks, and each facet's counts as {value: count}."""

    total: int
    page: int
    pages: int
    ids: tuple
    ranks: dict
    counts: dict


def _search_key(filters, page, per_page):
    return filters.query, tuple(sorted((name, _unparse(value)) for name, value in filters.chosen.items())), \
        page, per_page


@until_data_changes(key=_search_key)
def _find(filters, page, per_page):
    found = matches(filters.query) if filters.query else None
    if filters.query and found is None:
        found = False  # only stop words: nothing to look for, everything matches

    def restricted(statement, skip=None):
        statement = _joined(statement)
        if found is not None and found is not False:
            statement = statement.join(found, found.c.sheet_id == PracticeSheet.id)
        for name, value in filters.chosen.items():
            if name != skip:
                statement = statement.where(_facet_filter(name, value))
        return statement

    total = db.session.scalar(restricted(select(func.count(distinct(PracticeSheet.id)))))
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    statement = restricted(select(PracticeSheet.id))
    if found is not None and found is not False:
        statement = statement.add_columns(found.c.title_hit, found.c.rank).order_by(
            found.c.title_hit.desc(), found.c.rank, PracticeSheet.published_at.desc(), PracticeSheet.id.desc())
    else:
        statement = statement.order_by(PracticeSheet.published_at.desc(), PracticeSheet.id.desc())
    rows = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page)).all()
    ranks = {row[0]: (row[1], row[2]) for row in rows} if found is not None and found is not False else {}
    counts = {name: _facet_counts(name, restricted) for name in FACETS}
    return _Found(total, page, pages, tuple(row[0] for row in rows), ranks, counts)


def _facet_counts(name, restricted):
    if name == "axis":
        expression = CallAxis.axis_id
        statement = restricted(select(expression, func.count(distinct(PracticeSheet.id))), skip=name).join(
            CallAxis, CallAxis.call_id == Application.call_id)
    else:
        expression = FACET_EXPRESSIONS[name]
        statement = restricted(select(expression, func.count(distinct(PracticeSheet.id))), skip=name)
    counts = {}
    for value, count in db.session.execute(statement.group_by(expression)).all():
        value = NONE if value is None or value == "" else value
        counts[value] = counts.get(value, 0) + count
    return counts


def _facet_values(name, counts, chosen):
    """A facet's values with their labels (in the reader's language), in the facet's order."""
    labels = _labels(name, [value for value in counts if value != NONE])
    labels[NONE] = gettext("Non précisé")
    values = [FacetValue(str(_unparse(value)), labels.get(value, str(value)), count, value == chosen)
              for value, count in counts.items()]
    order = {"year": lambda v: -int(v.value) if v.value.isdigit() else 1,
             "grant": lambda v: _GRANT_ORDER.get(v.value, 99)}
    return sorted(values, key=order.get(name, lambda v: (v.value == NONE, v.label.casefold())))


_GRANT_ORDER = {key: position for position, (key, *_rest) in enumerate(GRANT_RANGES)}


def _labels(name, values):
    if name == "theme":
        return {t.id: pick(t.label) for t in db.session.scalars(select(Theme).where(Theme.id.in_(values)))}
    if name == "axis":
        return {a.id: pick(a.label) for a in db.session.scalars(select(Axis).where(Axis.id.in_(values)))}
    if name == "kind":
        return {code: pick(kind_label(code)) for code in values}
    if name == "organisation_kind":
        return {kind: pick(ORGANISATION_KIND_LABELS[OrganisationKind(kind)]) for kind in values if kind}
    if name == "territory":
        rows = db.session.execute(select(Territory.department_code, Territory.department)
                                  .where(Territory.department_code.in_(values)).distinct()).all()
        names = dict(rows)
        return {code: f"{names[code]} ({code})" if code in names else code for code in values}
    if name == "grant":
        return {key: gettext(label) for key, label, *_ in GRANT_RANGES}
    if name == "year":
        return {value: str(int(value)) for value in values if value is not None}
    return {}
