"""GET /applications (visibility per role, filters, pagination, constant cost), GET
/applications/{id} (answers, budget, state, version, actions with their blocking reasons) and
GET /applications/{id}/events, as each role: what the site shows each of them, nothing more."""
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest

from fsi.accounts.models import Organisation, Role
from fsi.applications.models import Application, CoApplicant, CostLine
from fsi.calls.models import Call
from fsi.db import utcnow
from fsi.i18n import today as paris_today
from fsi.review.models import Assignment, ConflictOfInterest, ConflictSource
from fsi.workflow.models import WorkflowEvent
from tests.factories import create_application, create_open_call, create_organisation, create_user
from tests.queries import count_statements


@dataclass
class World:
    call_id: int
    submitted: int  # organisation A's, carried with C, assigned to both reviewers (one conflicted)
    draft: int  # organisation A's, C named as co-applicant but not yet submitted
    other: int  # organisation B's
    users: dict


@pytest.fixture
def world(in_db):
    with in_db() as session:
        call = create_open_call()
        org_a, org_b, org_c = create_organisation(), create_organisation(), create_organisation()
        users = {"owner": create_user(organisation=org_a), "other_applicant": create_user(organisation=org_b),
                 "co_applicant": create_user(organisation=org_c), "reviewer": create_user(role=Role.reviewer),
                 "conflicted_reviewer": create_user(role=Role.reviewer),
                 "unassigned_reviewer": create_user(role=Role.reviewer),
                 "staff": create_user(role=Role.staff), "admin": create_user(role=Role.admin)}
        submitted = create_application(call, org_a, state="submitted", title="Domotique partagée")
        draft = create_application(call, org_a, state="draft", title="Brouillon")
        other = create_application(call, org_b, state="eligible", title="Autre organisme")
        session.add_all([CoApplicant(application_id=submitted.id, organisation_id=org_c.id),
                         CoApplicant(application_id=draft.id, organisation_id=org_c.id)])
        staff = users["staff"]
        for reviewer in ("reviewer", "conflicted_reviewer"):
            session.add(Assignment(application_id=submitted.id, reviewer_id=users[reviewer].id,
                                   deadline=paris_today() + timedelta(days=20), assigned_by_id=staff.id))
        session.add(ConflictOfInterest(application_id=submitted.id, user_id=users["conflicted_reviewer"].id,
                                       source=ConflictSource.declared, reason="Ancien salarié", recorded_by_id=staff.id))
        session.add(CostLine(application_id=submitted.id, category="works", label="Capteurs",
                             amount_excl_tax=Decimal("10000.00"), amount_incl_tax=Decimal("12000.00")))
    return World(call.id, submitted.id, draft.id, other.id, users)


def visible(world):
    everything = {world.submitted, world.draft, world.other}
    return {"owner": {world.submitted, world.draft}, "other_applicant": {world.other},
            "co_applicant": {world.submitted}, "reviewer": {world.submitted}, "conflicted_reviewer": set(),
            "unassigned_reviewer": set(), "staff": everything, "admin": everything}


ROLES = ("owner", "other_applicant", "co_applicant", "reviewer", "conflicted_reviewer", "unassigned_reviewer",
         "staff", "admin")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_and_reads_what_the_site_shows_it(api_client, world, role):
    api = api_client(world.users[role])
    expected = visible(world)[role]
    body = api.get("/api/v1/applications").get_json()
    assert {item["id"] for item in body["items"]} == expected
    assert body["total"] == len(expected)
    for application_id in (world.submitted, world.draft, world.other):
        detail = api.get(f"/api/v1/applications/{application_id}")
        events = api.get(f"/api/v1/applications/{application_id}/events")
        status = 200 if application_id in expected else 404
        assert (detail.status_code, events.status_code) == (status, status)
        if status == 404:
            assert detail.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("role", ROLES)
def test_without_a_token_or_with_a_revoked_one(api_client, world, revoke_token, role):
    api = api_client(world.users[role])
    assert api.get("/api/v1/applications").status_code == 200
    revoke_token(api.token)
    for url in ("/api/v1/applications", f"/api/v1/applications/{world.submitted}",
                f"/api/v1/applications/{world.submitted}/events"):
        assert api.get(url).status_code == 401
        assert api_client(None).get(url).status_code == 401


def test_the_detail_has_answers_budget_state_version_and_actions(api_client, world):
    body = api_client(world.users["staff"]).get(f"/api/v1/applications/{world.submitted}").get_json()
    assert (body["title"], body["state"], body["version"]) == ("Domotique partagée", "submitted", 1)
    assert body["state_label"] == {"fr": "Déposé", "en": "Submitted"}
    assert body["requested_amount"] == "40000.00" and body["approved_amount"] is None
    assert body["received_at"].endswith("Z")
    assert [org["id"] for org in body["answers"]["co_applicants"]] != []
    budget = body["budget"]
    assert [(line["label"], line["amount_excl_tax"], line["amount_incl_tax"]) for line in budget["cost_lines"]] == [
        ("Capteurs", "10000.00", "12000.00")]
    assert budget["total_excl_tax"] == "10000.00" and budget["eligible_cost"] == "10000.00"
    triggers = {action["trigger"]: action for action in body["actions"]}
    assert "declare_eligible" in triggers and "return_for_completion" in triggers
    assert triggers["return_for_completion"]["comment"] == "required"


def test_blocked_actions_come_with_their_reasons(api_client, world):
    """The applicant's empty draft: submitting is offered, blocked, with why (as on its page)."""
    body = api_client(world.users["owner"]).get(f"/api/v1/applications/{world.draft}").get_json()
    submit = next(action for action in body["actions"] if action["trigger"] == "submit")
    assert submit["enabled"] is False and submit["reasons"]
    assert all(reason["message"] for reason in submit["reasons"])
    assert body["budget"]["maximum_grant"] is None or isinstance(body["budget"]["maximum_grant"], str)
    reader = api_client(world.users["co_applicant"]).get(f"/api/v1/applications/{world.submitted}").get_json()
    assert reader["actions"] == [] and reader["budget"]["maximum_grant"] is None  # co-applicants only read


def test_the_timeline(api_client, world, in_db):
    with in_db() as session:
        session.add(WorkflowEvent(workflow="application", object_id=world.submitted, seq=1, trigger="submit",
                                  from_state="draft", to_state="submitted", actor_id=world.users["owner"].id,
                                  comment=None, data={}, workflow_version=1, prev_hash="0" * 64, hash="1" * 64))
    items = api_client(world.users["reviewer"]).get(f"/api/v1/applications/{world.submitted}/events").get_json()["items"]
    assert [(e["seq"], e["trigger"], e["from_state"], e["to_state"]) for e in items] == [
        (1, "submit", "draft", "submitted")]
    assert items[0]["actor"] == world.users["owner"].full_name and items[0]["created_at"].endswith("Z")
    assert set(items[0]["label"]) == {"fr", "en"}


def test_filters_combine(api_client, world, in_db):
    api = api_client(world.users["staff"])

    def ids(query):
        response = api.get(f"/api/v1/applications?{query}")
        assert response.status_code == 200, response.get_json()
        return {item["id"] for item in response.get_json()["items"]}

    assert ids("state=submitted") == {world.submitted}
    assert ids(f"call={world.call_id}") == {world.submitted, world.draft, world.other}
    assert ids("call=999999") == set()
    with in_db() as session:
        organisation_b = session.get(Application, world.other).organisation_id
    assert ids(f"organisation={organisation_b}") == {world.other}
    assert ids(f"organisation={organisation_b}&state=submitted") == set()
    tomorrow = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"updated_since={tomorrow}") == set()
    with in_db() as session:
        session.add(WorkflowEvent(workflow="application", object_id=world.other, seq=1, trigger="declare_eligible",
                                  from_state="submitted", to_state="eligible", actor_id=world.users["staff"].id,
                                  created_at=utcnow() + timedelta(days=2), data={}, workflow_version=1,
                                  prev_hash="0" * 64, hash="2" * 64))
    assert ids(f"updated_since={tomorrow}") == {world.other}  # moved by a transition since
    assert ids("updated_since=2000-01-01T00:00:00") == {world.submitted, world.draft, world.other}


@pytest.mark.parametrize("query", ["state=nowhere", "updated_since=yesterday", "call=abc", "organisation=0",
                                   "call=99999999999", "per_page=1000"])
def test_bad_filters_are_422(api_client, world, query):
    response = api_client(world.users["staff"]).get(f"/api/v1/applications?{query}")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid" and response.get_json()["error"]["details"]


@pytest.mark.parametrize("role", ["staff", "owner", "reviewer"])
def test_a_page_costs_the_same_whatever_it_holds(app, api_client, world, in_db, role):
    api = api_client(world.users[role])
    api.get("/api/v1/applications")  # the token's first use is noted once
    with count_statements(app) as before:
        assert api.get("/api/v1/applications").status_code == 200
    with in_db() as session:
        call = session.get(Call, world.call_id)
        owners = session.get(Organisation, session.get(Application, world.submitted).organisation_id)
        for _ in range(3):
            added = create_application(call, owners, state="submitted")
            session.add(Assignment(application_id=added.id, reviewer_id=world.users["reviewer"].id,
                                   deadline=paris_today(), assigned_by_id=world.users["staff"].id))
    with count_statements(app) as after:
        body = api.get("/api/v1/applications").get_json()
    assert len(after) == len(before)
    assert body["total"] == len(visible(world)[role]) + 3

