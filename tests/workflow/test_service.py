"""fire(): comments, data, guards (every reason), stale versions, mails, effects."""
import pytest
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.db import StaleObject, db
from fsi.mail.models import OutboxMessage
from fsi.workflow.models import WorkflowEvent
from fsi.workflow.service import WorkflowRefused, available_actions, fire


def load(app_id, user_id):
    return db.session.get(Application, app_id), db.session.get(User, user_id)


def event_count():
    return len(db.session.exec(select(WorkflowEvent)).all())


def test_required_comment(app, open_guards, people, new_application):
    app_id = new_application("submitted")
    with app.test_request_context():
        row, staff = load(app_id, people["staff"])
        with pytest.raises(WorkflowRefused) as refused:
            fire(row, "return_for_completion", staff, comment="   ")
        assert refused.value.reasons == ["Un commentaire est obligatoire pour cette action."]
        assert (row.state, event_count()) == ("submitted", 0)


def test_amount_is_parsed_in_french_and_must_be_positive(app, open_guards, people, new_application):
    app_id = new_application("scheduled")
    with app.test_request_context():
        row, staff = load(app_id, people["staff"])
        for bad in ("-5", "douze", "0", "12,345"):
            with pytest.raises(WorkflowRefused) as refused:
                fire(row, "approve", staff, data={"amount": bad})
            assert refused.value.reasons == ["Le montant doit être un nombre positif en euros (au plus 2 décimales)."]
        with pytest.raises(WorkflowRefused) as refused:
            fire(row, "approve", staff, data={})
        assert refused.value.reasons == ["Le montant est obligatoire."]
        event = fire(row, "approve", staff, data={"amount": "12 500,50"})
        db.commit()
        assert event.data == {"amount": "12500.50"}
        assert row.state == "approved"


def test_unexpected_data_and_unexpected_comment_are_refused(app, open_guards, people, new_application):
    app_id = new_application("reviewed")
    with app.test_request_context():
        row, staff = load(app_id, people["staff"])
        with pytest.raises(WorkflowRefused) as refused:
            fire(row, "schedule", staff, comment="Pourquoi pas", data={"amount": "5"})
        assert refused.value.reasons == ["Cette action ne prend pas de commentaire.",
                                         "Donnée inattendue pour cette action : amount."]


def test_every_failing_guard_gives_its_reason(app, domains, people, new_application, override_guards):
    override_guards({"call_open": lambda ctx: "L'appel à projets est clos.",
                     "application_complete": lambda ctx: "Le budget n'est pas équilibré."})
    app_id = new_application("draft")
    with app.test_request_context():
        row, owner = load(app_id, people["owner"])
        with pytest.raises(WorkflowRefused) as refused:
            fire(row, "submit", owner)
        assert refused.value.reasons == ["L'appel à projets est clos.", "Le budget n'est pas équilibré."]
        assert (row.state, row.version, event_count()) == ("draft", 1, 0)
        submit = [a for a in available_actions(row, owner) if a.trigger == "submit"][0]
        assert (submit.enabled, submit.reasons) == (False, ("L'appel à projets est clos.",
                                                           "Le budget n'est pas équilibré."))


def test_guards_see_the_actor_data_and_comment(app, domains, people, new_application, override_guards):
    seen = []
    override_guards({"quorum_present": lambda ctx: seen.append((ctx.actor.id, ctx.trigger, ctx.comment))})
    app_id = new_application("scheduled")
    with app.test_request_context():
        row, staff = load(app_id, people["staff"])
        fire(row, "reject", staff, comment="Hors sujet")
        assert seen == [(staff.id, "reject", "Hors sujet")]


def test_a_stale_expected_version_is_refused_and_changes_nothing(app, open_guards, people, new_application):
    app_id = new_application("submitted")
    with app.test_request_context():
        row, staff = load(app_id, people["staff"])
        for stale in (7, "0", "abc"):
            with pytest.raises(StaleObject):
                fire(row, "declare_eligible", staff, expected_version=stale)
        assert (row.state, event_count()) == ("submitted", 0)
        fire(row, "declare_eligible", staff, expected_version="1")  # as a form's hidden field gives it
        assert (row.state, row.version, event_count()) == ("eligible", 2, 1)


def test_a_row_changed_meanwhile_is_refused(app, in_db, open_guards, people, new_application):
    app_id = new_application("submitted")
    with app.test_request_context():
        row, staff = load(app_id, people["staff"])  # read at version 1
        with in_db() as other:  # someone else changes it meanwhile
            other.get(Application, app_id).title = "Changé"
            other.get(Application, app_id).version = 2
        with pytest.raises(StaleObject):
            fire(row, "declare_eligible", staff)
        db.rollback()
    with app.app_context():
        assert db.session.get(Application, app_id).state == "submitted"
        assert event_count() == 0


def test_a_source_that_no_longer_matches_is_refused(app, open_guards, people, new_application):
    app_id = new_application("eligible")
    with app.test_request_context():
        row, staff = load(app_id, people["staff"])
        with pytest.raises(WorkflowRefused) as refused:
            fire(row, "declare_eligible", staff)
        assert refused.value.reasons == ["Cette action n'est pas possible dans l'état actuel (Recevable)."]


def test_notifications_are_queued_in_the_same_transaction(app, in_db, open_guards, people, new_application):
    app_id = new_application("submitted")
    with app.test_request_context():
        row, staff = load(app_id, people["staff"])
        fire(row, "return_for_completion", staff, comment="Il manque le plan de financement.")
        db.rollback()  # the caller gives up: no state change, no event, no mail
    with in_db() as session:
        assert session.exec(select(OutboxMessage)).all() == []
        assert session.get(Application, app_id).state == "submitted"
    with app.test_request_context():
        row, staff = load(app_id, people["staff"])
        fire(row, "return_for_completion", staff, comment="Il manque le plan de financement.")
        db.commit()
    with in_db() as session:
        owner = session.get(User, people["owner"])
        mails = session.exec(select(OutboxMessage)).all()
        assert [m.recipient for m in mails] == [owner.email]
        assert mails[0].subject.endswith(": Retourné pour complément")
        assert "Il manque le plan de financement." in mails[0].body
        assert "Déposé → Retourné pour complément" in mails[0].body


def test_effects_run_after_the_change_in_the_same_transaction(app, open_guards, people, new_application,
                                                             override_guards):
    seen = []
    override_guards(effects={"record_decision_on_agenda": lambda ctx: seen.append((ctx.row.state, ctx.comment))})
    app_id = new_application("scheduled")
    with app.test_request_context():
        row, staff = load(app_id, people["staff"])
        fire(row, "reject", staff, comment="Hors sujet")
        assert seen == [("rejected", "Hors sujet")]


def test_available_actions_follow_roles_and_ownership(app, open_guards, people, new_application):
    app_id = new_application("submitted")
    with app.test_request_context():
        row = db.session.get(Application, app_id)
        triggers = {actor: [a.trigger for a in available_actions(row, db.session.get(User, people[actor]))]
                    for actor in ("owner", "other_applicant", "staff", "reviewer", "admin")}
    assert triggers == {
        "owner": ["withdraw"],
        "other_applicant": [],
        "staff": ["return_for_completion", "declare_ineligible", "declare_eligible", "close_without_follow_up"],
        "reviewer": [],
        "admin": ["return_for_completion", "declare_ineligible", "declare_eligible", "close_without_follow_up"],
    }
