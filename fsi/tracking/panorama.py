"""The Panorama des territoires: the figures by department, EPCI (metropolises first), axis,
theme, organisation kind and year, each row labelled and linked; and a territory's (or a
department's) projects. A constant number of statements: the figures (fsi.tracking.figures), then
one for the labels."""
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import case, func
from sqlmodel import select

from fsi.accounts.models import ORGANISATION_KIND_LABELS, Organisation, OrganisationKind, Territory
from fsi.applications.models import Application
from fsi.calls.models import Axis, Call, Theme
from fsi.db import db
from fsi.funding.models import Project
from fsi.i18n import PARIS
from fsi.i18n import lazy_gettext as _l
from fsi.tracking.figures import EVERYTHING, Figures, figures_by, scope_conditions, territory_key

#: the panorama's views, in the order of its tabs
VIEWS = {
    "department": _l("Par département"),
    "epci": _l("Par EPCI et métropole"),
    "axis": _l("Par axe"),
    "theme": _l("Par thème"),
    "organisation_kind": _l("Par type d'organisme"),
    "year": _l("Par année"),
}
#: the header of the first column, per view
HEADERS = {
    "department": _l("Département"),
    "epci": _l("EPCI"),
    "axis": _l("Axe"),
    "theme": _l("Thème"),
    "organisation_kind": _l("Type d'organisme"),
    "year": _l("Année"),
}
METROPOLIS = "métropole"
UNKNOWN = {"fr": "Non renseigné", "en": "Not given"}


@dataclass
class Row:
    key: object
    #: a {"fr", "en"} label or a plain text
    label: object
    url: str | None
    figures: Figures
    #: a second line under the label (the EPCI's kind and department)
    detail: str = ""
    metropolis: bool = False


def _scope_args(scope):
    return {name: value for name, value in (("call", scope.call_id), ("year", scope.year)) if value is not None}


def _departments(scope):
    rows = db.session.exec(select(Territory.department_code, func.min(Territory.department))
                           .group_by(Territory.department_code).order_by(Territory.department_code)).all()
    return [(code, f"{name} ({code})", url_for("tracking.department", code=code, **_scope_args(scope)), "", False)
            for code, name in rows]


def _epcis(scope):
    rows = db.session.exec(select(Territory).order_by(
        case((Territory.epci_kind == METROPOLIS, 0), else_=1), Territory.department_code, Territory.epci)).all()
    return [(t.id, t.epci, url_for("tracking.territory", territory_id=t.id, **_scope_args(scope)),
             f"{t.epci_kind} · {t.department} ({t.department_code})", t.epci_kind == METROPOLIS) for t in rows]


def _search(scope, **args):
    return url_for("tracking.search", **({"call": scope.call_id} if scope.call_id else {}), **args)


def _axes(scope):
    rows = db.session.exec(select(Axis).order_by(Axis.position, Axis.id)).all()
    return [(a.id, a.label, _search(scope, axis=a.id), "", False) for a in rows]


def _themes(scope):
    rows = db.session.exec(select(Theme).order_by(Theme.position, Theme.id)).all()
    return [(t.id, t.label, _search(scope, theme=t.id), "", False) for t in rows]


def _kinds(scope):
    return [(k.value, ORGANISATION_KIND_LABELS[k], _search(scope, organisation_kind=k.value), "", False)
            for k in OrganisationKind]


def _years(scope):
    opens = db.session.exec(select(Call.opens_at)).all()
    years = sorted({moment.astimezone(PARIS).year for moment in opens}, reverse=True)
    if scope.year is not None:
        years = [year for year in years if year == scope.year]
    return [(year, str(year), url_for("tracking.dashboard", year=year, **_call_arg(scope)), "", False)
            for year in years]


def _call_arg(scope):
    return {"call": scope.call_id} if scope.call_id else {}


LABELLERS = {"department": _departments, "epci": _epcis, "axis": _axes, "theme": _themes,
             "organisation_kind": _kinds, "year": _years}


def panorama_rows(view, scope=EVERYTHING):
    """The rows of ``view`` (a key of VIEWS): every department, EPCI, axis, theme or kind of the
    tables (with or without applications, metropolises first among the EPCI), then what the
    applications name but the tables do not (« Non renseigné »)."""
    figures = figures_by(view, scope)
    rows = []
    for key, label, url, detail, metropolis in LABELLERS[view](scope):
        rows.append(Row(key, label, url, figures.pop(key, None) or Figures(), detail, metropolis))
    for key, found in sorted(figures.items(), key=lambda item: (item[0] is None, str(item[0]))):
        label = UNKNOWN if key is None else str(key)
        url = url_for("tracking.department", code=key, **_scope_args(scope)) if view == "department" and key else None
        rows.append(Row(key, label, url, found))
    return rows


# --- A territory's page ----------------------------------------------------------------------

@dataclass
class ProjectRow:
    application_id: int
    reference: str
    title: str
    organisation_id: int
    organisation: str
    state: str
    circuit: str
    granted: object
    paid: object
    project_id: int | None


def projects_in(scope):
    """The grants decided in ``scope`` (a territory or a department), with what was paid: one
    statement."""
    stmt = (select(Application.id, Application.reference, Application.title, Organisation.id, Organisation.name,
                   Application.state, Application.circuit, Application.approved_amount, Project.paid_total,
                   Project.id)
            .join(Call, Call.id == Application.call_id)
            .join(Organisation, Organisation.id == Application.organisation_id)
            .outerjoin(Territory, Territory.id == territory_key)
            .outerjoin(Project, Project.application_id == Application.id)
            .where(Application.approved_amount.is_not(None), *scope_conditions(scope))
            .order_by(Application.reference, Application.id))
    return [ProjectRow(*row) for row in db.session.exec(stmt).all()]


def department_name(code):
    """The department's name from the territory table, else None (an organisation's code only)."""
    return db.session.exec(select(Territory.department).where(Territory.department_code == code).limit(1)).first()


def department_known(code):
    """Whether any territory or organisation names this department."""
    if department_name(code) is not None:
        return True
    return db.session.exec(select(Organisation.id).where(Organisation.department_code == code).limit(1)).first() \
        is not None


__all__ = ["VIEWS", "HEADERS", "panorama_rows", "projects_in", "department_name", "department_known"]
