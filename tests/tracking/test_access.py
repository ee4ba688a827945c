"""Who reaches the tracking pages: staff and admins; applicants and reviewers get a 403 on every
one of them (GET and POST alike), and an anonymous visitor is sent to the sign-in page. The routes
are read from the application's URL map, so a page added later is covered without a new test."""
import pytest

from fsi.accounts.models import Role
from tests.factories import create_organisation, create_user

#: a value for each route argument (the row need not exist: access is checked before loading)
ARGUMENTS = {"territory_id": 1, "organisation_id": 1, "grant_id": 1, "code": "13"}


def tracking_routes(app):
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("tracking."):
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<int:{name}>", str(ARGUMENTS[name])).replace(f"<{name}>", str(ARGUMENTS[name]))
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                routes.append((method, path))
    return routes


def test_every_tracking_route_is_listed(app):
    routes = tracking_routes(app)
    assert ("GET", "/tracking/") in routes
    assert len({path for _method, path in routes}) >= 10


@pytest.mark.parametrize("role", [Role.applicant, Role.reviewer])
def test_applicants_and_reviewers_are_refused_everywhere(app, client, in_db, login, role):
    with in_db():
        user = create_user(role=role, organisation=create_organisation())
    login(user)
    for method, path in tracking_routes(app):
        response = client.open(path, method=method)
        assert response.status_code == 403, (method, path, response.status_code)


def test_anonymous_visitors_are_sent_to_sign_in(app, client):
    for method, path in tracking_routes(app):
        response = client.open(path, method=method)
        assert response.status_code in (302, 401), (method, path)
        if response.status_code == 302:
            assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.staff, Role.admin])
def test_staff_and_admins_see_the_pages(app, client, in_db, login, role):
    with in_db():
        user = create_user(role=role)
    login(user)
    for method, path in tracking_routes(app):
        if method == "GET" and "{" not in path and path.rstrip("/").split("/")[-1].isalpha():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
