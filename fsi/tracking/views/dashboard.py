"""The dashboard: the figures of a scope (everything, a call, a year, from the URL), then the
same by call (the most recent ones, every one on demand) and by year, each row scoping the page.
A fixed number of statements."""
from flask import render_template, request, url_for
from flask_babel import gettext as _

from fsi.cache import kept_page
from fsi.i18n import pick
from fsi.tracking.access import can_track
from fsi.tracking.calls import call_choices, calls_and_years
from fsi.tracking.charts import bar_chart
from fsi.tracking.figures import Figures, figures_by
from fsi.tracking.views.common import ordered_states, scope_from_args, state_labels
from fsi.web import requires

#: the calls the dashboard details by default, the most recent first (every one on demand)
RECENT_CALLS = 12


@requires(can_track)
@kept_page
def dashboard():
    scope = scope_from_args()
    calls, years = calls_and_years()
    overall = figures_by("all", scope).get(0) or Figures(envelope=0)
    by_call, by_year = figures_by("call", scope), figures_by("year", scope)
    labels = state_labels()
    states = ordered_states(overall.by_state, labels)
    with_figures = [call for call in calls if call.id in by_call]
    every_call = request.args.get("calls") == "all"
    call_rows = [(call, by_call[call.id], url_for("tracking.dashboard", call=call.id))
                 for call in (with_figures if every_call else with_figures[:RECENT_CALLS])]
    year_rows = [(year, by_year[year], url_for("tracking.dashboard", year=year))
                 for year in years if year in by_year]
    charts = [
        bar_chart(_("Dossiers par état"), _("Nombre de dossiers dans chaque état, brouillons compris."),
                  [(pick(label), count) for label, count in states], _("Dossiers"), _("État")),
        bar_chart(_("Montant accordé par appel"), _("Somme des subventions décidées, par appel à projets."),
                  [(call.title, figures.granted, url) for call, figures, url in call_rows], _("Accordé"), _("Appel")),
        bar_chart(_("Montant versé par année"), _("Somme des versements effectués, par année d'ouverture de l'appel."),
                  [(str(year), figures.paid, url) for year, figures, url in year_rows], _("Versé"), _("Année")),
    ]
    chosen = next((call for call in calls if call.id == scope.call_id), None)
    offered = call_choices(calls, scope.year, scope.call_id)
    return render_template("tracking/dashboard.html", scope=scope, calls=offered, years=years,
                           chosen=chosen,
                           figures=overall, states=states, call_rows=call_rows, year_rows=year_rows,
                           charts=charts, calls_with_figures=len(with_figures), every_call=every_call,
                           recent_calls=RECENT_CALLS)
