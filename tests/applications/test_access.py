"""Who sees and edits what: another organisation gets 404 everywhere, even guessing IDs."""
import pytest

from fsi.accounts.models import Role
from fsi.applications.access import can_edit_application, can_view_application
from fsi.applications.models import Application
from fsi.db import db
from tests.factories import create_application, create_open_call, create_organisation, create_user
from tests.queries import count_statements


@pytest.fixture
def two_organisations(in_db):
    with in_db():
        mine, theirs = create_organisation(), create_organisation()
        owner = create_user(role=Role.applicant, organisation=mine)
        colleague = create_user(role=Role.applicant, organisation=mine)
        stranger = create_user(role=Role.applicant, organisation=theirs)
        application = create_application(call=create_open_call(), organisation=mine, title="Secret")
    return application.id, owner, colleague, stranger


PAGES = ["", "/section/organisation", "/section/project", "/section/budget", "/section/timeline",
         "/section/results", "/attachments", "/versions", "/attachments/1"]
POSTS = ["/section/project", "/section/budget", "/attachments", "/submit", "/attachments/1/delete"]


def test_another_organisation_gets_404_on_every_page_and_action(client, in_db, login, two_organisations):
    application_id, _owner, _colleague, stranger = two_organisations
    login(stranger)
    for suffix in PAGES:
        assert client.get(f"/applications/{application_id}{suffix}").status_code == 404, suffix
    for suffix in POSTS:
        response = client.post(f"/applications/{application_id}{suffix}", data={"version": 1, "title": "Piraté"})
        assert response.status_code == 404, suffix
    assert "Secret" not in client.get("/applications/").get_data(as_text=True)
    with in_db():
        row = db.session.get(Application, application_id)
        assert (row.title, row.version) == ("Secret", 1)


def test_unknown_ids_are_404(client, login, two_organisations):
    _application_id, owner, _colleague, _stranger = two_organisations
    login(owner)
    assert client.get("/applications/999999").status_code == 404
    assert client.get("/applications/999999/section/project").status_code == 404


def test_users_of_the_same_organisation_share_applications(client, login, two_organisations):
    application_id, _owner, colleague, _stranger = two_organisations
    login(colleague)
    assert client.get(f"/applications/{application_id}").status_code == 200
    response = client.post(f"/applications/{application_id}/section/project", data={"version": 1, "title": "Repris"})
    assert response.status_code == 302
    assert "Repris" in client.get("/applications/").get_data(as_text=True)


@pytest.mark.parametrize("role, state, view, edit", [
    (Role.applicant, "draft", True, True),
    (Role.applicant, "returned", True, True),
    (Role.applicant, "deferred", True, True),
    (Role.applicant, "submitted", True, False),
    (Role.applicant, "in_review", True, False),
    (Role.applicant, "approved", True, False),
    (Role.staff, "draft", True, False),
    (Role.admin, "submitted", True, False),
    (Role.reviewer, "in_review", False, False),  # not assigned: nothing
])
def test_predicates(app, in_db, role, state, view, edit):
    with in_db():
        organisation = create_organisation()
        user = create_user(role=role, organisation=organisation if role == Role.applicant else None)
        application = create_application(organisation=organisation, state=state)
        assert can_view_application(application, user) is view
        assert can_edit_application(application, user) is edit


def test_staff_pages_are_forbidden_to_applicants(client, in_db, login):
    with in_db():
        call = create_open_call()
        user = create_user(role=Role.applicant)
    login(user)
    assert client.get(f"/applications/call/{call.id}").status_code == 403


def count_queries(app, client, url):
    with count_statements(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_lists_issue_a_constant_number_of_queries(app, client, in_db, login):
    """N+1 guard on "Mes dossiers" and on a call's list for staff: 1 row and 3 rows cost the same."""
    with in_db():
        organisation = create_organisation()
        applicant = create_user(role=Role.applicant, organisation=organisation)
        staff = create_user(role=Role.staff)
        call = create_open_call()
        create_application(call=call, organisation=organisation)
    login(applicant)
    one_mine = count_queries(app, client, "/applications/")
    with in_db():
        for _ in range(2):
            create_application(call=create_open_call(), organisation=organisation)
    three_mine = count_queries(app, client, "/applications/")
    client.post("/logout")
    login(staff)
    one_call = count_queries(app, client, f"/applications/call/{call.id}?state=draft")
    with in_db():
        for _ in range(2):
            create_application(call=call, organisation=create_organisation())
    three_call = count_queries(app, client, f"/applications/call/{call.id}?state=draft")
    assert "Projet" in client.get(f"/applications/call/{call.id}").get_data(as_text=True)
    assert (one_mine, one_call) == (three_mine, three_call)
    assert three_mine <= 4 and three_call <= 4
