"""The review guards, fired through the real workflow service."""
from datetime import date

import pytest

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.calls.models import Call
from fsi.db import db
from fsi.review.assignments import assign
from fsi.review.eligibility import checks_for, findings, items_for_call, record_checks
from fsi.workflow.service import WorkflowRefused, fire
from tests.review.conftest import create_review_application
from tests.review.helpers import add_review


def get(model, ident):
    return db.session.get(model, ident)


def test_eligibility_guards(in_request, people):
    with in_request():
        call, staff = get(Call, people["call_id"]), get(User, people["staff"])
        application = create_review_application(call, state="submitted")
        items = items_for_call(call.id)
        assert len(items) == 7  # the FSI defaults, created with the call
        assert [i.rule for i in items] == [None, None, "started_after_receipt", "ceiling", "minimum_cost", None,
                                           "modernisation_only"]
        with pytest.raises(WorkflowRefused, match="7 point"):
            fire(application, "declare_ineligible", staff, comment="Hors champ")
        manual = [i for i in items if i.rule is None]
        record_checks(application, {manual[0].id: (True, ""), manual[1].id: (True, "")}, staff)
        record_checks(application, {manual[2].id: (False, "Pas d'indicateurs")}, staff)
        with pytest.raises(WorkflowRefused, match="1 point"):
            fire(application, "declare_eligible", staff)
        record_checks(application, {manual[2].id: (True, "Corrigé")}, staff)
        fire(application, "declare_eligible", staff)  # FSI answered its own four items
        assert application.state == "eligible"


def test_fsi_answers_its_own_items_and_a_tick_does_not_override_them(in_request, people):
    """A project that started before its file was received is flagged whatever staff tick; the
    modernisation item is for staff to judge on a modernisation project only."""
    with in_request():
        call, staff = get(Call, people["call_id"]), get(User, people["staff"])
        early = create_review_application(call, state="submitted", start_date=date(2020, 1, 1), kind="modernisation")
        items = items_for_call(call.id)
        record_checks(early, {i.id: (True, "") for i in items}, staff)
        found = findings(early, items)
        started = next(i for i in items if i.rule == "started_after_receipt")
        assert found[started.id].passed is False and "Début du projet le 01/01/2020" in found[started.id].text
        assert next(i for i in items if i.rule == "modernisation_only").id not in found  # staff judge it
        assert checks_for(early.id)[started.id].passed is False
        with pytest.raises(WorkflowRefused, match="1 point"):
            fire(early, "declare_eligible", staff)


def test_eligibility_checked_allows_ineligible_with_a_failed_item(in_request, people):
    with in_request():
        call, staff = get(Call, people["call_id"]), get(User, people["staff"])
        application = create_review_application(call, state="submitted")
        record_checks(application, {i.id: (i.position != 0, "") for i in items_for_call(call.id)}, staff)
        fire(application, "declare_ineligible", staff, comment="Ne cotise pas au fonds")
        assert application.state == "ineligible"


def test_review_guards(in_request, people):
    with in_request():
        call, staff = get(Call, people["call_id"]), get(User, people["staff"])
        application = create_review_application(call, state="eligible")
        with pytest.raises(WorkflowRefused, match="Aucun membre"):
            fire(application, "start_review", staff)
        assign(application, get(User, people["r1"]), date(2030, 1, 1), staff)
        assign(application, get(User, people["r2"]), date(2030, 1, 1), staff)
        fire(application, "start_review", staff)
        add_review(application, people["r1"], [3, 7], people["staff"])
        with pytest.raises(WorkflowRefused, match="1 évaluation"):
            fire(application, "complete_review", staff)
        add_review(application, people["r2"], [4, 8], people["staff"])
        fire(application, "complete_review", staff)
        assert get(Application, application.id).state == "reviewed"


def test_schedule_needs_a_planned_session(in_request, people):
    with in_request():
        call, staff = get(Call, people["call_id"]), get(User, people["staff"])
        application = create_review_application(call, state="reviewed")
        with pytest.raises(WorkflowRefused, match="aucune séance"):
            fire(application, "schedule", staff)


def test_a_revised_application_goes_back_to_its_reviewers(in_request, people, open_submission):
    from sqlmodel import select

    from fsi.review.models import Review
    from fsi.workflow.events import events_of

    with in_request():
        call, staff = get(Call, people["call_id"]), get(User, people["staff"])
        application = create_review_application(call, state="deferred")
        add_review(application, people["r1"], [3, 7], people["staff"])
        applicant = get(User, people["applicant"])
        application.organisation_id = applicant.organisation_id
        application.summary = "Résumé complété comme le comité l'a demandé."
        fire(application, "resubmit", applicant)
        assert application.state == "submitted"  # back through eligibility
        reviews = db.session.exec(select(Review)).all()
        assert [(r.is_editable, r.is_submitted) for r in reviews] == [(True, False)]  # reopened, scores kept
        assert [e.trigger for e in events_of("review", reviews[0].id)] == ["submit", "reopen"]
        record_checks(application, {i.id: (True, "") for i in items_for_call(call.id)}, staff)
        fire(application, "declare_eligible", staff)
        fire(application, "start_review", staff)  # its reviewers are still assigned
        with pytest.raises(WorkflowRefused, match="1 évaluation"):
            fire(application, "complete_review", staff)
