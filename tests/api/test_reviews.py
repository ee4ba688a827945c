"""GET /api/v1/applications/{id}/reviews: what the reviews page shows, to whom it shows it. A
conflicted person gets 404; an assigned member reads the others' reviews once their own is
submitted; a set-aside review is shown apart, without its comments."""
from dataclasses import dataclass

import pytest
from sqlmodel import select

from fsi.accounts.models import Role, User
from fsi.api import tokens
from fsi.api.models import ApiToken
from fsi.applications.models import Application, CoApplicant
from fsi.db import db
from fsi.review.conflicts import record_conflict
from fsi.review.models import ConflictSource
from fsi.review.scoring import criteria_of
from tests.factories import create_organisation, create_user
from tests.queries import count_statements
from tests.review.conftest import create_review_application, create_review_call
from tests.review.helpers import add_review


@dataclass
class ReviewCast:
    application_id: int
    criteria: list
    owner: User
    other: User
    co: User
    submitted: User  # their review is submitted
    drafting: User  # assigned, their review not submitted
    conflicted: User  # assigned, employed by the applicant organisation
    declared: User  # submitted, then declared a conflict: their review is set aside
    unassigned: User
    staff: User
    conflicted_staff: User  # staff employed by the applicant organisation
    admin: User


@pytest.fixture
def cast(in_db):
    with in_db():
        org, co_org = create_organisation(), create_organisation()
        call = create_review_call()
        application = create_review_application(call, organisation=org, state="in_review")
        db.session.add(CoApplicant(application_id=application.id, organisation_id=co_org.id))
        staff = create_user(Role.staff)
        people = dict(owner=create_user(Role.applicant, organisation=org), other=create_user(Role.applicant),
                      co=create_user(Role.applicant, organisation=co_org),
                      submitted=create_user(Role.reviewer, full_name="Alice Relectrice"),
                      drafting=create_user(Role.reviewer), conflicted=create_user(Role.reviewer, organisation=org),
                      declared=create_user(Role.reviewer, full_name="Denis Déclarant"),
                      unassigned=create_user(Role.reviewer), staff=staff,
                      conflicted_staff=create_user(Role.staff, organisation=org), admin=create_user(Role.admin))
        add_review(application, people["submitted"].id, [4, 7], staff.id, comment="Solide")
        add_review(application, people["drafting"].id, [2], staff.id, submitted=False)
        add_review(application, people["conflicted"].id, [1, 1], staff.id, submitted=False)
        add_review(application, people["declared"].id, [5, 9], staff.id, comment="Excellent")
        record_conflict(application, people["declared"], ConflictSource.declared, "Mon beau-frère y travaille.",
                        people["declared"])
        criteria = [(c.id, c.label) for c in criteria_of(call.id)]
        return ReviewCast(application.id, criteria, **people)


EXPECTED = {"owner": 403, "other": 404, "co": 403, "submitted": 200, "drafting": 200, "conflicted": 404,
            "declared": 404, "unassigned": 404, "staff": 200, "conflicted_staff": 404, "admin": 200}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_reviews_as_each_role(role, cast, api_client):
    response = api_client(getattr(cast, role)).get(f"/api/v1/applications/{cast.application_id}/reviews")
    assert response.status_code == EXPECTED[role], response.get_data(as_text=True)
    payload = response.get_json()
    if response.status_code != 200:
        assert payload["error"]["code"] == {403: "forbidden", 404: "not_found"}[response.status_code]
        assert "Solide" not in response.get_data(as_text=True)
        return
    assert payload["application_id"] == cast.application_id
    if role == "drafting":  # hidden until their own is submitted
        assert payload == {"application_id": cast.application_id, "hidden": True, "reviews": [], "set_aside": []}
        return
    assert payload["hidden"] is False
    (review,) = payload["reviews"]
    assert (review["reviewer_id"], review["reviewer"], review["recommendation"], review["confidence"]) == (
        cast.submitted.id, "Alice Relectrice", "fund", 2)
    assert review["general_comment"] == "Solide" and review["submitted_at"].endswith("Z")
    assert [(s["criterion_id"], s["criterion"], s["score"], s["comment"]) for s in review["scores"]] == [
        (cast.criteria[0][0], "Innovation", 4, "Solide sur Innovation"),
        (cast.criteria[1][0], "Impact", 7, "Solide sur Impact")]
    (aside,) = payload["set_aside"]
    assert (aside["reviewer"], aside["set_aside_by"], aside["set_aside_reason"]) == (
        "Denis Déclarant", "Denis Déclarant", "Mon beau-frère y travaille.")
    assert [(s["score"], s["comment"]) for s in aside["scores"]] == [(5, None), (9, None)]
    assert "Excellent" not in response.get_data(as_text=True)  # a set-aside review's comments stay out


def test_without_a_token_revoked_and_unknown(cast, api_client, in_db):
    url = f"/api/v1/applications/{cast.application_id}/reviews"
    assert api_client(None).get(url).status_code == 401
    client = api_client(cast.staff)
    assert client.get(url).status_code == 200
    with in_db() as session:
        token = session.exec(select(ApiToken).where(ApiToken.token_hash == tokens.token_hash(client.token))).one()
        tokens.revoke(cast.staff, token.id)
    response = client.get(url)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert api_client(cast.staff).get("/api/v1/applications/999999/reviews").status_code == 404


def test_the_reviews_cost_the_same_whatever_their_number(cast, api_client, app, in_db):
    client = api_client(cast.staff)
    url = f"/api/v1/applications/{cast.application_id}/reviews"
    client.get(url)  # the token's last use is written once
    with count_statements(app) as few:
        assert client.get(url).status_code == 200
    with in_db() as session:
        application = session.get(Application, cast.application_id)
        for n in range(3):
            add_review(application, create_user(Role.reviewer).id, [n, n], cast.staff.id)
    with count_statements(app) as many:
        assert len(client.get(url).get_json()["reviews"]) == 4
    assert len(many) == len(few)
