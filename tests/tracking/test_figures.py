"""Every dashboard figure equals the same figure computed here, in Python, from the generated
dataset's rows (tests/tracking/dataset.py), for every dimension and for filtered scopes; the
committed amount in SQL equals the funding rule application by application; the dashboard costs
the same number of statements for 10 and for 200 applications, and renders in both languages."""
import random
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import func
from sqlmodel import select

from fsi.accounts.models import Role
from fsi.applications.calculator import committed_amounts
from fsi.applications.models import Application
from fsi.db import db
from fsi.formatting import money
from fsi.funding.models import Project
from fsi.tracking.figures import DIMENSIONS, Scope, committed_expression, figures_by, overall, received_back
from tests.factories import create_user
from tests.queries import count_statements
from tests.tracking import expected as computed
from tests.tracking.dataset import add_applications, build
from tests.tracking.expected import DAY, ZERO, Expected, assert_same

dataset, generated = computed.dataset, computed.generated  # fixtures: the generated dataset

# --- The figures ------------------------------------------------------------------------------

@pytest.mark.parametrize("dimension", list(DIMENSIONS))
def test_every_figure_equals_the_python_computation(dataset, dimension):
    expected = Expected(dataset)
    found = figures_by(dimension, Scope(), day=DAY)
    groups = expected.groups(dimension, Scope())
    assert set(found) >= set(groups)
    assert any(f.projects for f in found.values())  # the dataset exercises the money figures
    for key, applications in groups.items():
        assert_same(found[key], expected.figures(applications), (dimension, key))
        if dimension in ("all", "call", "year", "axis"):
            assert found[key].envelope == expected.envelope(dimension, key, Scope())
        else:
            assert found[key].envelope is None


def test_the_dataset_reaches_every_figure(dataset):
    figures = overall(day=DAY)
    for name in ("requested", "granted", "committed", "paid", "remaining", "recovered", "to_recover"):
        assert getattr(figures, name) > 0, name
    assert figures.overdue_reports > 0 and figures.overdue_payments > 0
    assert figures.median_days_to_decision and figures.median_days_to_first_payment
    assert 0 < figures.envelope_use < 1


def test_scoped_figures(dataset):
    expected = Expected(dataset)
    call = dataset.calls[1]
    scopes = [Scope(call_id=call.id), Scope(year=2025), Scope(year=2024, call_id=call.id),
              Scope(department="13"), Scope(territory_id=dataset.territories[0].id, year=2025)]
    for scope in scopes:
        applications = [a for a in dataset.applications if expected.in_scope(a, scope)]
        found = overall(scope, day=DAY)
        assert_same(found, expected.figures(applications), scope)
        if scope.by_place:
            assert found.envelope is None
        else:
            assert found.envelope == expected.envelope("all", 0, scope)
    assert overall(Scope(year=2024, call_id=call.id), day=DAY).applications == 0  # the 2025 call


def test_by_call_within_a_year(dataset):
    expected = Expected(dataset)
    scope = Scope(year=2025)
    found = figures_by("call", scope, day=DAY)
    assert {c.id for c in dataset.calls if c.opens_at.year == 2025} >= set(found)
    for key, applications in expected.groups("call", scope).items():
        assert_same(found[key], expected.figures(applications), key)


def test_committed_in_sql_is_the_funding_rule_for_each_application(dataset):
    received = received_back()
    rows = db.session.exec(
        select(Application.id, func.coalesce(committed_expression(received), 0))
        .outerjoin(Project, Project.application_id == Application.id)
        .outerjoin(received, received.c.project_id == Project.id)).all()
    in_sql = {application_id: Decimal(amount) for application_id, amount in rows}
    rule = committed_amounts(dataset.applications)
    assert in_sql == rule
    assert len(set(rule.values())) > 5


def test_an_empty_database_gives_zeros(app):
    with app.app_context():
        figures = overall(day=DAY)
    assert figures.applications == 0 and figures.granted == ZERO and figures.envelope == ZERO
    assert figures.envelope_use is None and figures.median_days_to_decision is None


# --- The page ---------------------------------------------------------------------------------

def _statements(app, client, path):
    with count_statements(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


def test_the_dashboard_costs_the_same_for_10_and_200_applications(app, client, in_db, login):
    with in_db():
        user = create_user(role=Role.staff)
        data = build(n_applications=10, seed=5)
        call_id = data.calls[0].id
    login(user)
    paths = ["/tracking/", f"/tracking/?call={call_id}", "/tracking/?year=2025"]
    few = [_statements(app, client, path) for path in paths]
    with in_db():
        add_applications(data, 190, random.Random(9))
    many = [_statements(app, client, path) for path in paths]
    assert many == few
    assert max(few) < 45


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_dashboard_shows_the_figures(app, client, in_db, login, language):
    with in_db():
        user = create_user(role=Role.staff)
        data = build(n_applications=30, seed=2)
        call = data.calls[2]
        title = call.title
    login(user)
    client.post("/language", data={"lang": language, "next": "/"})
    with app.app_context():
        figures = overall(Scope(call_id=call.id))
    body = client.get(f"/tracking/?call={call.id}").get_data(as_text=True)
    assert f'<html lang="{language}">' in body
    assert title.replace("'", "&#39;") in body
    assert '<svg class="chart-svg" role="img"' in body and "<desc" in body and "<caption>" in body
    with app.test_request_context(), force_locale(language):
        assert money(figures.granted, cents=False) in body
        assert money(figures.envelope, cents=False) in body
    assert f'href="/tracking/?call={call.id}"' in body  # the row by call scopes the page
