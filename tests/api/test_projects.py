"""GET /api/v1/projects and /projects/{id}: who sees which funded project (fsi.funding.access, as the
« Projets financés » pages), what a project shows (agreement, tranches with the user's actions,
reports, clawbacks), money as "60000.00", the list's filters and pages, no N+1."""
import re
from dataclasses import dataclass

import pytest
from sqlmodel import select

from fsi.accounts.models import Organisation, Role, User
from fsi.api import tokens
from fsi.api.models import ApiToken
from fsi.applications.models import Application, CoApplicant
from fsi.db import db
from tests.factories import create_organisation, create_user
from tests.funding.conftest import start_funded
from tests.queries import count_statements


@dataclass
class ProjectCast:
    project_id: int
    other_project_id: int
    call_id: int
    lead: User
    other: User  # the lead of the other project
    co: User
    reviewer: User
    reviewer_of_the_body: User  # a committee member employed by the lead organisation
    staff: User
    admin: User


def funded_for(lead=None):
    """A started project (60 000 € granted, two tranches) whose lead is ``lead`` (a new one by default)."""
    funded = start_funded()
    if lead is not None:
        application = db.session.get(Application, funded.application_id)
        application.organisation_id = lead.organisation_id
        db.session.flush()
    return funded


@pytest.fixture
def cast(in_db):
    with in_db() as session:
        funded, other_funded = start_funded(), start_funded()
        application = session.get(Application, funded.application_id)
        co_org = create_organisation()
        session.add(CoApplicant(application_id=application.id, organisation_id=co_org.id))
        organisation = session.get(Organisation, application.organisation_id)
        return ProjectCast(
            funded.project_id, other_funded.project_id, funded.call_id, lead=session.get(User, funded.applicant_id),
            other=session.get(User, other_funded.applicant_id), co=create_user(Role.applicant, organisation=co_org),
            reviewer=create_user(Role.reviewer),
            reviewer_of_the_body=create_user(Role.reviewer, organisation=organisation),
            staff=session.get(User, funded.staff_id), admin=create_user(Role.admin))


LISTS = {"lead": ["project"], "other": ["other_project"], "co": ["project"], "reviewer": 403,
         "reviewer_of_the_body": 403, "staff": ["other_project", "project"], "admin": ["other_project", "project"]}


@pytest.mark.parametrize("role", sorted(LISTS))
def test_the_list_as_each_role(role, cast, api_client):
    response = api_client(getattr(cast, role)).get("/api/v1/projects")
    expected = LISTS[role]
    if expected == 403:
        assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
        return
    assert response.status_code == 200, response.get_data(as_text=True)
    payload = response.get_json()
    ids = [getattr(cast, f"{name}_id") for name in expected]
    assert [item["id"] for item in payload["items"]] == ids  # newest first
    assert (payload["page"], payload["per_page"], payload["total"]) == (1, 20, len(ids))


DETAILS = {"lead": 200, "other": 404, "co": 200, "reviewer": 404, "reviewer_of_the_body": 404, "staff": 200,
           "admin": 200}


@pytest.mark.parametrize("role", sorted(DETAILS))
def test_a_project_as_each_role(role, cast, api_client):
    response = api_client(getattr(cast, role)).get(f"/api/v1/projects/{cast.project_id}")
    assert response.status_code == DETAILS[role], response.get_data(as_text=True)
    if response.status_code != 200:
        assert response.get_json()["error"]["code"] == "not_found"
        return
    project = response.get_json()
    assert project["id"] == cast.project_id
    advance = project["tranches"][0]
    triggers = [action["trigger"] for action in advance["actions"]]
    # the lead requests a payment, staff also cancel; the co-applicant reads only
    assert triggers == {"lead": ["request"], "co": [], "staff": ["request", "cancel"],
                        "admin": ["request", "cancel"]}[role]
    report_triggers = [a["trigger"] for a in project["reports"][0]["actions"]]
    assert report_triggers == {"lead": ["submit"], "co": [], "staff": ["cancel"], "admin": ["cancel"]}[role]


def test_what_a_project_shows(cast, api_client):
    project = api_client(cast.lead).get(f"/api/v1/projects/{cast.project_id}").get_json()
    assert (project["granted_amount"], project["paid_total"], project["remaining"], project["due_amount"]) == (
        "60000.00", "0.00", "60000.00", None)
    assert project["agreement"]["required"] is True
    assert project["agreement"]["signed_on"] == "2026-01-05" and project["starts_on"] == "2026-01-05"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", project["opened_at"])
    assert project["state_label"]["en"] and project["version"] >= 1
    assert [(t["position"], t["amount"], t["state"], t["is_balance"]) for t in project["tranches"]] == [
        (1, "30000.00", "planned", False), (2, "30000.00", "planned", True)]
    assert project["tranches"][1]["condition_report_id"] == project["reports"][-1]["id"]
    assert [r["kind"] for r in project["reports"]] == ["progress", "final"]
    report = project["reports"][0]
    assert report["kind_label"] == {"fr": "Rapport d'étape", "en": "Progress report"}
    assert report["spending"] == [{"label": "Dépense 0", "planned": "100000.00", "actual": None, "eligible": True}]
    assert report["indicators"] == [{"label": "Indicateurs.", "measured": ""}]
    (submit,) = report["actions"]
    assert submit["enabled"] is False and submit["checked"] is True
    assert submit["reasons"][0]["guard"] == "report_complete"
    assert submit["reasons"][0]["remedy"] == {
        "label": "Compléter le rapport", "url": f"http://fsi.test/projects/reports/{report['id']}"}
    assert project["clawbacks"] == [] and project["amendments"] == [] and project["extensions"] == []


def test_the_lists_filters_and_pages(cast, api_client):
    client = api_client(cast.staff)
    assert [p["id"] for p in client.get(f"/api/v1/projects?call={cast.call_id}").get_json()["items"]] == [
        cast.project_id]
    state = client.get(f"/api/v1/projects/{cast.project_id}").get_json()["state"]
    assert client.get(f"/api/v1/projects?state={state}").get_json()["total"] == 2
    assert client.get("/api/v1/projects?state=nowhere").get_json()["total"] == 0
    second = client.get("/api/v1/projects?per_page=1&page=2").get_json()
    assert ([p["id"] for p in second["items"]], second["total"], second["per_page"]) == ([cast.project_id], 2, 1)
    beyond = client.get("/api/v1/projects?page=5")
    assert beyond.status_code == 200 and beyond.get_json()["items"] == []
    for bad in ("per_page=101", "page=0", "call=abc", "call=99999999999", "per_page=-1", "state=%00", "state=a%20b"):
        response = client.get(f"/api/v1/projects?{bad}")
        assert response.status_code == 422 and response.get_json()["error"]["code"] == "invalid", bad


def test_without_a_token_revoked_and_unknown(cast, api_client, in_db):
    assert api_client(None).get("/api/v1/projects").status_code == 401
    assert api_client(None).get(f"/api/v1/projects/{cast.project_id}").status_code == 401
    client = api_client(cast.lead)
    assert client.get(f"/api/v1/projects/{cast.project_id}").status_code == 200
    with in_db() as session:
        token = session.exec(select(ApiToken).where(ApiToken.token_hash == tokens.token_hash(client.token))).one()
        tokens.revoke(cast.lead, token.id)
    assert client.get(f"/api/v1/projects/{cast.project_id}").status_code == 401
    assert client.get("/api/v1/projects").status_code == 401
    assert api_client(cast.staff).get("/api/v1/projects/999999").status_code == 404


@pytest.mark.parametrize("role", ["staff", "lead", "co"])
def test_the_list_costs_the_same_for_one_project_or_three(role, cast, api_client, app, in_db):
    client = api_client(getattr(cast, role))
    client.get("/api/v1/projects")  # the token's last use is written once
    with count_statements(app) as few:
        before = client.get("/api/v1/projects").get_json()["total"]
    with in_db() as session:
        lead = session.get(User, cast.lead.id)
        for _n in range(2):
            funded = funded_for(lead)
            session.add(CoApplicant(application_id=funded.application_id,
                                    organisation_id=cast.co.organisation_id))
    with count_statements(app) as many:
        assert client.get("/api/v1/projects").get_json()["total"] == before + 2
    assert len(many) == len(few)
