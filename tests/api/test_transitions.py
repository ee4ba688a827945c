"""POST /api/v1/{applications,payments,reports}/{id}/transitions: the one workflow service, as each
role; a stale version is 409 and changes nothing; a guard's refusal is 422 with its reasons; the
events written are those the web's form writes for the same action; a revoked token stops at once."""

import pytest
from sqlmodel import select

from fsi.accounts.models import Role, User
from fsi.api import tokens
from fsi.api.models import ApiToken
from fsi.applications.models import Application
from fsi.funding.models import Project, Tranche
from fsi.mail.models import OutboxMessage
from fsi.workflow.models import WorkflowEvent
from fsi.workflow.service import fire
from tests.api.transitions_setup import ROLES, body, error_of, make_cast, snapshot
from tests.factories import create_application, create_call
from tests.funding.conftest import start_funded

# --- Applications, as each role -------------------------------------------------------------------

STAFF_ACTION = {"owner": 403, "other": 404, "co": 403, "reviewer": 403, "conflicted": 404, "staff": 200,
                "admin": 200}


@pytest.mark.parametrize("role", ROLES)
def test_a_staff_action_as_each_role(role, api_client, cast, in_db):
    people = cast()
    before = snapshot(in_db, Application, people.application_id, "application")
    response = api_client(getattr(people, role)).post(
        f"/api/v1/applications/{people.application_id}/transitions",
        json=body("return_for_completion", 1, "Il manque le budget."))
    assert response.status_code == STAFF_ACTION[role], response.get_data(as_text=True)
    if response.status_code == 200:
        answer = response.get_json()
        assert (answer["workflow"], answer["id"], answer["state"], answer["version"]) == (
            "application", people.application_id, "returned", 2)
        assert answer["state_label"] == {"fr": "Retourné pour complément", "en": "Returned for completion"}
        assert answer["event"]["seq"] == 1 and answer["event"]["actor_id"] == getattr(people, role).id
        assert answer["event"]["created_at"].endswith("Z")
        assert snapshot(in_db, Application, people.application_id, "application")[:3] == ("returned", 2, 1)
    else:
        error = error_of(response)
        assert error["code"] == {403: "forbidden", 404: "not_found"}[response.status_code]
        assert snapshot(in_db, Application, people.application_id, "application") == before


APPLICANT_ACTION = {"owner": 200, "other": 404, "co": 403, "reviewer": 403, "conflicted": 404, "staff": 403,
                    "admin": 403}


@pytest.mark.parametrize("role", ROLES)
def test_the_applicants_action_as_each_role(role, api_client, cast, in_db):
    people = cast()
    response = api_client(getattr(people, role)).post(
        f"/api/v1/applications/{people.application_id}/transitions", json=body("withdraw", 1))
    assert response.status_code == APPLICANT_ACTION[role], response.get_data(as_text=True)
    state = snapshot(in_db, Application, people.application_id, "application")[0]
    assert state == ("withdrawn" if response.status_code == 200 else "submitted")
    if role == "co":
        assert error_of(response)["details"] == ["Action réservée à l'organisme porteur du dossier."]
    if role == "staff":
        assert error_of(response)["details"] == ["Action non autorisée pour votre rôle."]


def test_without_a_token_or_with_an_unknown_one(api_client, cast, in_db):
    people = cast()
    url = f"/api/v1/applications/{people.application_id}/transitions"
    response = api_client(None).post(url, json=body("return_for_completion", 1, "Non."))
    assert response.status_code == 401 and error_of(response)["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    response = api_client(None).post(url, json=body("return_for_completion", 1, "Non."),
                                     headers={"Authorization": "Bearer fsi_not-a-token"})
    assert response.status_code == 401
    assert snapshot(in_db, Application, people.application_id, "application") == ("submitted", 1, 0, 0)


def test_a_revoked_token_stops_at_once(api_client, cast, in_db):
    people = cast()
    client = api_client(people.staff)
    url = f"/api/v1/applications/{people.application_id}/transitions"
    assert client.post(url, json=body("return_for_completion", 1)).status_code == 422  # no comment: refused
    with in_db() as session:
        token = session.exec(select(ApiToken).where(ApiToken.token_hash == tokens.token_hash(client.token))).one()
        assert tokens.revoke(people.staff, token.id)
    response = client.post(url, json=body("return_for_completion", 1, "Il manque le budget."))
    assert response.status_code == 401 and error_of(response)["code"] == "unauthorized"
    assert snapshot(in_db, Application, people.application_id, "application") == ("submitted", 1, 0, 0)


def test_a_deactivated_users_token_stops(api_client, cast, in_db):
    people = cast()
    client = api_client(people.staff)
    with in_db() as session:
        session.get(User, people.staff.id).active = False
    response = client.post(f"/api/v1/applications/{people.application_id}/transitions",
                           json=body("return_for_completion", 1, "Il manque le budget."))
    assert response.status_code == 401


def test_an_unknown_application_is_404(api_client, cast):
    people = cast()
    response = api_client(people.staff).post("/api/v1/applications/999999/transitions",
                                             json=body("return_for_completion", 1, "Non."))
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"


# --- Stale versions -----------------------------------------------------------------------------

def test_a_stale_version_is_409_and_changes_nothing(api_client, cast, in_db):
    people = cast()
    url = f"/api/v1/applications/{people.application_id}/transitions"
    response = api_client(people.staff).post(url, json=body("return_for_completion", 7, "Il manque le budget."))
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "stale" and error["details"] == [error["message"]]
    assert snapshot(in_db, Application, people.application_id, "application") == ("submitted", 1, 0, 0)


def test_a_version_read_before_the_state_changed_is_409(api_client, cast, in_db):
    people = cast()
    url = f"/api/v1/applications/{people.application_id}/transitions"
    staff, admin = api_client(people.staff), api_client(people.admin)
    assert staff.post(url, json=body("return_for_completion", 1, "Il manque le budget.")).status_code == 200
    after = snapshot(in_db, Application, people.application_id, "application")
    response = admin.post(url, json=body("close_without_follow_up", 1, "Hors délai."))
    assert response.status_code == 409 and error_of(response)["code"] == "stale"
    assert snapshot(in_db, Application, people.application_id, "application") == after
    response = admin.post(url, json=body("close_without_follow_up", 2, "Hors délai."))
    assert response.status_code == 200 and response.get_json()["version"] == 3


# --- Refusals: guards, comment, data, bad bodies --------------------------------------------------

def test_a_guard_failure_is_422_with_the_reasons_and_where_to_fix_them(api_client, cast, in_db):
    people = cast()
    response = api_client(people.staff).post(f"/api/v1/applications/{people.application_id}/transitions",
                                             json=body("declare_eligible", 1))
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "refused" and error["details"]
    assert error["details"][0].startswith(error["message"].split(" ")[0])
    assert f"http://fsi.test/review/applications/{people.application_id}" in " ".join(error["details"])
    assert snapshot(in_db, Application, people.application_id, "application") == ("submitted", 1, 0, 0)


@pytest.mark.parametrize("payload, code, detail", [
    (body("return_for_completion", 1), "refused", "Un commentaire est obligatoire pour cette action."),
    (body("withdraw", 1, "x", amount="10.00"), "forbidden", None),  # the staff's role first
    (body("no_such_action", 1), "refused", "Action inconnue : no_such_action."),
    (body("declare_eligible", 1, "Ok", amount="1.5"), "refused", "Donnée inattendue pour cette action : amount."),
    (body("return_for_completion", 1, "ok", amount=1.5), "invalid", None),
    (body("return_for_completion", 1, "ok", amount=True), "invalid", None),
    (body("return_for_completion", 1, "ok", amount="25.000"), "invalid", None),
    (body("return_for_completion", 1, "ok", colour="red"), "invalid", None),
    (body("return_for_completion", 1, "nul\x00"), "invalid", None),
    (body("return_for_completion", 1, "lone \ud800 surrogate"), "invalid", None),
    (body("return the file", 1, "ok"), "invalid", None),
    (body("return_for_completion", 1, "x" * 5001), "invalid", None),
    ({"trigger": "return_for_completion", "comment": "ok"}, "invalid", None),
    (body("return_for_completion", -1, "ok"), "invalid", None),
    (body("return_for_completion", 2**31, "ok"), "invalid", None),
    ({**body("return_for_completion", 1, "ok"), "extra": 1}, "invalid", None),
    ([1, 2], "invalid", None),
    ("not json", "invalid", None),
])
def test_refused_and_invalid_bodies_are_422_and_change_nothing(payload, code, detail, api_client, cast, in_db):
    people = cast()
    response = api_client(people.staff).post(f"/api/v1/applications/{people.application_id}/transitions",
                                             json=payload)
    assert response.status_code == (403 if code == "forbidden" else 422), response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = error_of(response)
    assert error["code"] == code
    if detail:
        assert detail in error["details"]
    assert snapshot(in_db, Application, people.application_id, "application") == ("submitted", 1, 0, 0)


def test_a_body_that_is_not_json_is_422(api_client, cast, in_db):
    people = cast()
    response = api_client(people.staff).post(f"/api/v1/applications/{people.application_id}/transitions",
                                             data="trigger=withdraw", content_type="text/plain")
    assert response.status_code == 422 and error_of(response)["code"] == "invalid"
    assert snapshot(in_db, Application, people.application_id, "application") == ("submitted", 1, 0, 0)


# --- The same events as the web -----------------------------------------------------------------

def event_facts(in_db, workflow, object_id):
    """What an event says, less where and when it was written (its object, time and hashes)."""
    with in_db() as session:
        events = session.exec(select(WorkflowEvent).where(WorkflowEvent.workflow == workflow,
                                                          WorkflowEvent.object_id == object_id)
                               .order_by(WorkflowEvent.seq)).all()
        return [(e.seq, e.trigger, e.from_state, e.to_state, e.actor_id, e.comment, e.data, e.workflow_version)
                for e in events]


def mails(in_db):
    with in_db() as session:
        return sorted((m.recipient, m.subject) for m in session.exec(select(OutboxMessage)))


def test_an_application_action_writes_what_the_web_writes(api_client, client, login, in_db):
    with in_db():
        people = make_cast()
        twin = create_application(call=create_call(), organisation_id=people.owner.organisation_id,
                                  state="submitted", reference="TWIN-000001")
    comment = "Il manque le budget détaillé."
    login(people.staff)
    web = client.post(f"/workflow/application/{twin.id}/return_for_completion",
                      data={"return_for_completion-comment": comment,
                            "return_for_completion-expected_version": "1"})
    assert web.status_code == 302
    web_mails = mails(in_db)
    response = api_client(people.staff).post(f"/api/v1/applications/{people.application_id}/transitions",
                                             json=body("return_for_completion", 1, comment))
    assert response.status_code == 200
    expected = event_facts(in_db, "application", twin.id)
    assert [facts[:7] for facts in expected] == [
        (1, "return_for_completion", "submitted", "returned", people.staff.id, comment, {})]
    assert event_facts(in_db, "application", people.application_id) == expected
    api_mails = [mail for mail in mails(in_db) if mail not in web_mails]
    assert [recipient for recipient, _s in api_mails] == [recipient for recipient, _s in web_mails]
    assert [subject.replace(people_reference(in_db, people.application_id), "REF") for _r, subject in api_mails] == \
        [subject.replace("TWIN-000001", "REF") for _r, subject in web_mails]


def people_reference(in_db, application_id):
    with in_db() as session:
        return session.get(Application, application_id).reference


def approved_tranche(in_db):
    """A started project's first tranche, requested and approved: the next step is ``pay``."""
    with in_db() as session:
        funded = start_funded()
        tranche = session.exec(select(Tranche).where(Tranche.project_id == funded.project_id)
                               .order_by(Tranche.position)).first()
        staff = session.get(User, funded.staff_id)
        fire(tranche, "request", staff)
        fire(tranche, "approve", staff)
        return funded, tranche.id, tranche.version


def test_a_payment_with_its_date_writes_what_the_web_writes(api_client, client, login, in_db):
    web_funded, web_tranche, web_version = approved_tranche(in_db)
    api_funded, api_tranche, api_version = approved_tranche(in_db)
    with in_db() as session:
        staff = session.get(User, web_funded.staff_id)
        session.get(User, api_funded.staff_id).role = Role.admin  # another hand: each has its own actor id
    login(staff)
    web = client.post(f"/workflow/payment/{web_tranche}/pay",
                      data={"pay-date": "2026-03-02", "pay-comment": "Virement 42",
                            "pay-expected_version": str(web_version)})
    assert web.status_code == 302
    with in_db() as session:
        api_staff = session.get(User, api_funded.staff_id)
    response = api_client(api_staff).post(f"/api/v1/payments/{api_tranche}/transitions",
                                          json=body("pay", api_version, "Virement 42", date="2026-03-02"))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["state"] == "paid"
    web_events = event_facts(in_db, "payment", web_tranche)
    api_events = event_facts(in_db, "payment", api_tranche)
    assert web_events[-1][5:] == ("Virement 42", {"date": "2026-03-02"}, web_events[-1][7])
    assert [e[:4] + e[5:] for e in api_events] == [e[:4] + e[5:] for e in web_events]
    assert api_events[-1][4] == api_staff.id and web_events[-1][4] == staff.id
    with in_db() as session:
        web_project = session.get(Project, web_funded.project_id)
        api_project = session.get(Project, api_funded.project_id)
        assert api_project.paid_total == web_project.paid_total > 0


@pytest.mark.parametrize("data, reason", [
    ({"date": "2026-02-30"}, "La date n'est pas valide (format attendu : AAAA-MM-JJ)."),
    ({"date": "1999-12-31"}, "Saisissez une date entre 2000 et 2100."),
    ({}, "La date est obligatoire."),
    ({"amount": "10.00", "date": "2026-03-02"}, "Donnée inattendue pour cette action : amount."),
])
def test_the_actions_data_is_checked_by_the_service(data, reason, api_client, in_db):
    funded, tranche_id, version = approved_tranche(in_db)
    before = snapshot(in_db, Tranche, tranche_id, "payment")
    with in_db() as session:
        staff = session.get(User, funded.staff_id)
    response = api_client(staff).post(f"/api/v1/payments/{tranche_id}/transitions",
                                      json=body("pay", version, **data))
    assert response.status_code == 422 and reason in error_of(response)["details"]
    assert snapshot(in_db, Tranche, tranche_id, "payment") == before


