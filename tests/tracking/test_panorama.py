"""The Panorama des territoires: each view lists every row of its table (metropolises first among
the EPCI) with the same figures as a computation in Python; a territory's and a department's
pages list the grants decided there; every page costs the same number of statements for 10 and
200 applications; the charts are accessible SVG with a table; both languages."""
import random
import re
from decimal import Decimal

import pytest
from flask import render_template_string

from fsi.accounts.models import OrganisationKind, Role
from fsi.tracking.charts import bar_chart
from fsi.tracking.figures import Scope
from fsi.tracking.panorama import VIEWS, panorama_rows
from tests.factories import create_user
from tests.queries import count_statements
from tests.tracking import expected as computed
from tests.tracking.dataset import _application, build
from tests.tracking.expected import Expected, assert_same, reloaded

dataset, generated = computed.dataset, computed.generated  # fixtures: the generated dataset
METROPOLISES = ("Métropole d'Aix-Marseille-Provence", "Métropole Toulon Provence Méditerranée",
                "Métropole Nice Côte d'Azur")


@pytest.mark.parametrize("view", list(VIEWS))
def test_each_view_has_the_figures_of_each_row(app, dataset, view):
    expected = Expected(dataset)
    with app.test_request_context():
        rows = panorama_rows(view)
    groups = expected.groups(view, Scope())
    by_key = {row.key: row for row in rows}
    assert len(by_key) == len(rows)  # one row per key
    assert set(groups) <= set(by_key)
    for key, applications in groups.items():
        figures = expected.figures(applications)
        figures.pop("overdue_reports"), figures.pop("overdue_payments")  # today's: see test_figures
        assert_same(by_key[key].figures, figures, (view, key))
    assert sum(row.figures.applications for row in rows) >= len(dataset.applications)


def test_every_row_of_the_tables_is_listed(app, dataset):
    with app.test_request_context():
        epci = panorama_rows("epci")
        departments = panorama_rows("department")
        kinds = panorama_rows("organisation_kind")
        axes = panorama_rows("axis")
        themes = panorama_rows("theme")
        years = panorama_rows("year")
    assert {t.id for t in dataset.territories} <= {row.key for row in epci}
    assert {t.department_code for t in dataset.territories} <= {row.key for row in departments}
    assert [row.key for row in kinds] == [kind.value for kind in OrganisationKind]
    assert [row.key for row in axes] == [axis.id for axis in dataset.axes]
    assert [row.key for row in themes][:3] == [theme.id for theme in dataset.themes]
    assert [row.key for row in years] == [2025, 2024]


def test_metropolises_come_first(app, dataset):
    with app.test_request_context():
        rows = panorama_rows("epci")
    firsts = rows[:3]
    assert sorted(row.label for row in firsts) == sorted(METROPOLISES)
    assert all(row.metropolis for row in firsts) and not any(row.metropolis for row in rows[3:])
    assert all(row.url.startswith("/tracking/territories/") for row in rows if row.key is not None)


def test_a_filtered_view(app, dataset):
    expected = Expected(dataset)
    call = dataset.calls[1]
    scope = Scope(call_id=call.id, year=2025)
    with app.test_request_context():
        rows = panorama_rows("department", scope)
    for key, applications in expected.groups("department", scope).items():
        row = next(row for row in rows if row.key == key)
        assert row.figures.granted == expected.figures(applications)["granted"]
        assert f"call={call.id}" in row.url and "year=2025" in row.url
    assert sum(row.figures.applications for row in rows) == sum(1 for a in dataset.applications
                                                                 if a.call_id == call.id)


# --- Pages ------------------------------------------------------------------------------------

@pytest.fixture
def staff(in_db, login):
    with in_db():
        user = create_user(role=Role.staff)
    login(user)
    return user


def test_a_territory_lists_its_grants(app, client, generated, staff):
    with app.app_context():
        data = reloaded(generated)
        groups = Expected(data).groups("epci", Scope())
        territory_id = max((key for key in groups if key), key=lambda key: sum(1 for a in groups[key] if a.approved_amount))
        granted = {a.reference: a.id for a in groups[territory_id] if a.approved_amount is not None}
        others = {a.reference for a in data.applications if a.approved_amount is not None} - set(granted)
        epci = data.territory(territory_id).epci
    assert granted and others
    body = client.get(f"/tracking/territories/{territory_id}").get_data(as_text=True)
    for reference, application_id in granted.items():
        assert f'<a href="/applications/{application_id}">{reference}</a>' in body
    assert not {reference for reference in others if reference in body}
    assert f"<h1>{epci}</h1>".replace("'", "&#39;") in body


def test_a_department_lists_its_grants(app, client, generated, staff):
    with app.app_context():
        groups = Expected(reloaded(generated)).groups("department", Scope())
        code, applications = max(groups.items(), key=lambda item: len(item[1]))
        wanted = {a.reference for a in applications if a.approved_amount is not None}
    body = client.get(f"/tracking/departments/{code}").get_data(as_text=True)
    references = set(re.findall(r"GEN-\d{5}", body))
    assert references == wanted and wanted


def test_unknown_places_are_404(client, generated, staff):
    assert client.get("/tracking/departments/99").status_code == 404
    assert client.get("/tracking/departments/ABCD").status_code == 404
    assert client.get("/tracking/territories/999999").status_code == 404
    assert client.get("/tracking/territories/99999999999999").status_code == 404


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("view", [*VIEWS, "unknown"])
def test_the_panorama_renders(client, generated, staff, language, view):
    client.post("/language", data={"lang": language, "next": "/"})
    response = client.get(f"/tracking/panorama?by={view}&year=2025")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.count('<svg class="chart-svg" role="img"') == 3
    assert body.count("<title id=") == 3 and body.count("<desc id=") == 3
    assert body.count('<table class="chart-table">') == 3
    assert f'<html lang="{language}">' in body
    if view == "epci":
        assert body.index("Métropole d&#39;Aix-Marseille-Provence") < body.index("Gap-Tallard-Durance")


def test_the_pages_cost_the_same_for_10_and_200_applications(app, client, in_db, login):
    with in_db():
        user = create_user(role=Role.staff)
        data = build(n_applications=10, seed=7)
        territory_id, code = data.territories[0].id, data.territories[0].department_code
    login(user)
    paths = [f"/tracking/panorama?by={view}" for view in VIEWS] + [
        "/tracking/panorama?by=epci&year=2025", f"/tracking/territories/{territory_id}", f"/tracking/departments/{code}"]

    def cost():
        counts = []
        for path in paths:
            with count_statements(app) as statements:
                assert client.get(path).status_code == 200
            counts.append(len(statements))
        return counts

    few = cost()
    with in_db():
        rng = random.Random(11)
        for _ in range(190):
            _application(data, rng)
    assert cost() == few
    assert max(few) < 20


# --- Charts -----------------------------------------------------------------------------------

def test_bars_are_sized_on_the_largest_value(app):
    with app.test_request_context():
        chart = bar_chart("Montants", "Description", [("A", Decimal("200.00"), "/a"), ("B", Decimal("50.00")),
                                                      ("C", Decimal("-5.00")), ("D", None)], "Accordé")
        counts = bar_chart("Dossiers", "", [("A", 3), ("B", 0)], "Dossiers")
        empty = bar_chart("Rien", "", [], "Dossiers")
        html = render_template_string('{% from "tracking/_charts.html" import chart %}{{ chart(c) }}{{ chart(e) }}',
                                      c=chart, e=empty)
    assert [bar.percent for bar in chart.bars] == [100.0, 25.0, 0.0, 0.0]
    assert [bar.width for bar in chart.bars] == [300.0, 75.0, 0.0, 0.0]
    assert [bar.url for bar in chart.bars] == ["/a", None, None, None]
    assert chart.bars[0].formatted == "200\u00a0€" and counts.bars[0].formatted == "3"
    assert [bar.percent for bar in counts.bars] == [100.0, 0.0] and empty.bars == []
    assert '<rect x="220" y="2" width="300.0" height="18"' in html and '<a href="/a">A</a>' in html
    assert html.count("<svg") == 1 and "Aucune donnée pour ce graphique." in html
