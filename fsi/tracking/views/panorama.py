"""The Panorama des territoires (``?by=``, with the dashboard's ``?call=&year=``), and a
territory's or a department's page: its figures and the grants decided there."""
from flask import abort, render_template, request
from flask_babel import gettext as _

from fsi.accounts.models import Territory
from fsi.cache import kept_page
from fsi.calls.models import Call
from fsi.db import db
from fsi.i18n import pick
from fsi.tracking import panorama as service
from fsi.tracking.access import can_track
from fsi.tracking.calls import call_choices, calls_and_years
from fsi.tracking.charts import bar_chart
from fsi.tracking.figures import overall
from fsi.tracking.views.common import ordered_states, scope_from_args, state_labels
from fsi.web import get_or_404, requires


def _label(row):
    return pick(row.label)


@requires(can_track)
@kept_page
def panorama():
    view = request.args.get("by")
    view = view if view in service.VIEWS else "department"
    scope = scope_from_args()
    calls, years = calls_and_years()
    rows = service.panorama_rows(view, scope)
    header = str(service.HEADERS[view])
    charted = [row for row in rows if row.figures.by_state]
    charts = [
        bar_chart(_("Montant accordé — %(view)s", view=service.VIEWS[view]),
                  _("Somme des subventions décidées pour chaque ligne du tableau qui a des dossiers."),
                  [(_label(row), row.figures.granted, row.url) for row in charted], _("Accordé"), header),
        bar_chart(_("Montant versé — %(view)s", view=service.VIEWS[view]),
                  _("Somme des versements effectués aux projets de chaque ligne."),
                  [(_label(row), row.figures.paid, row.url) for row in charted], _("Versé"), header),
        bar_chart(_("Projets financés — %(view)s", view=service.VIEWS[view]),
                  _("Nombre de projets ouverts (subventions en cours ou terminées) pour chaque ligne."),
                  [(_label(row), row.figures.projects, row.url) for row in charted], _("Projets"), header),
    ]
    chosen = next((call for call in calls if call.id == scope.call_id), None)
    offered = call_choices(calls, scope.year, scope.call_id)
    return render_template("tracking/panorama.html", view=view, views=service.VIEWS, header=header, rows=rows,
                           charts=charts, scope=scope, calls=offered, years=years, chosen=chosen,
                           with_envelope=view in ("axis", "year"))


def _place_page(title, subtitle, scope):
    figures = overall(scope)
    labels = state_labels()
    projects = [(row, labels.get(row.state, {"fr": row.state, "en": row.state})) for row in service.projects_in(scope)]
    return render_template("tracking/territory.html", title=title, subtitle=subtitle, scope=scope,
                           figures=figures, states=ordered_states(figures.by_state, labels),
                           projects=projects, chosen=db.session.get(Call, scope.call_id) if scope.call_id else None)


@requires(can_track)
def territory(territory_id):
    place = get_or_404(Territory, territory_id)
    scope = scope_from_args(territory_id=place.id)
    return _place_page(place.epci, f"{place.epci_kind} · {place.department} ({place.department_code})", scope)


@requires(can_track)
def department(code):
    if len(code) > 3 or not service.department_known(code):
        abort(404)
    name = service.department_name(code)
    scope = scope_from_args(department=code)
    return _place_page(f"{name} ({code})" if name else code, _("Département"), scope)
