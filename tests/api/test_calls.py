"""GET /calls and GET /calls/{id}: the calls' pages' visibility (staff every call, others those
already open), the rules and the scoring grid, the list's envelope and its constant cost."""
from datetime import timedelta
from decimal import Decimal

import pytest

from fsi.accounts.models import Role
from fsi.calls.models import Criterion
from fsi.db import utcnow
from tests.factories import create_open_call, create_user
from tests.queries import count_statements

ROLES = (Role.applicant, Role.reviewer, Role.staff, Role.admin)


@pytest.fixture
def calls(in_db):
    with in_db() as session:
        opened = create_open_call(title="Appel ouvert", envelope=Decimal("600000.00"))
        session.add(Criterion(call_id=opened.id, position=1, label="Innovation", weight=Decimal("2"),
                              scale_min=0, scale_max=5))
        upcoming = create_open_call(title="Appel à venir", opens_at=utcnow() + timedelta(days=10),
                                    closes_at=utcnow() + timedelta(days=40))
        users = {role: create_user(role=role) for role in ROLES}
    return opened, upcoming, users


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_the_calls_its_pages_show(api_client, calls, role):
    opened, upcoming, users = calls
    response = api_client(users[role]).get("/api/v1/calls")
    assert response.status_code == 200
    body = response.get_json()
    expected = [upcoming.id, opened.id] if role in (Role.staff, Role.admin) else [opened.id]
    assert [item["id"] for item in body["items"]] == expected
    assert (body["page"], body["per_page"], body["total"]) == (1, 20, len(expected))
    first = next(item for item in body["items"] if item["id"] == opened.id)
    assert first["envelope"] == "600000.00" and first["is_open"] is True
    assert first["opens_at"].endswith("Z")
    detail = api_client(users[role]).get(f"/api/v1/calls/{upcoming.id}")
    assert detail.status_code == (200 if role in (Role.staff, Role.admin) else 404)


def test_a_call_has_its_rules_and_scoring_grid(api_client, calls):
    opened, _upcoming, users = calls
    body = api_client(users[Role.applicant]).get(f"/api/v1/calls/{opened.id}").get_json()
    assert body["title"] == "Appel ouvert"
    rules = body["rules"]
    assert rules["organisation_ceiling"] == "500000.00" and rules["min_project_cost"] == "3000.00"
    assert [t["on"] for t in rules["payment_schedule"]] == ["agreement", "final"]
    assert rules["kinds"] and all(set(kind["label"]) == {"fr", "en"} for kind in rules["kinds"])
    assert [(c["label"], c["weight"], c["scale_max"]) for c in body["scoring_grid"]] == [("Innovation", "2.00", 5)]


def test_without_a_token_or_with_a_revoked_one(api_client, calls, revoke_token):
    opened, _upcoming, users = calls
    assert api_client(None).get(f"/api/v1/calls/{opened.id}").status_code == 401
    api = api_client(users[Role.staff])
    assert api.get("/api/v1/calls").status_code == 200
    revoke_token(api.token)
    assert api.get("/api/v1/calls").status_code == 401


def test_pages_and_their_constant_cost(app, api_client, in_db):
    with in_db():
        staff = create_user(role=Role.staff)
        create_open_call()
    api = api_client(staff)
    api.get("/api/v1/calls")  # the first request of a token notes its use
    with count_statements(app) as one:
        assert api.get("/api/v1/calls").status_code == 200
    with in_db():
        for _ in range(4):
            create_open_call()
    with count_statements(app) as five:
        body = api.get("/api/v1/calls?per_page=2&page=2").get_json()
    assert len(five) == len(one)
    assert (len(body["items"]), body["page"], body["per_page"], body["total"]) == (2, 2, 2, 5)
    beyond = api.get("/api/v1/calls?page=9").get_json()
    assert beyond["items"] == [] and beyond["total"] == 5
