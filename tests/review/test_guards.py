"""The review guards, fired through the real workflow service."""
from datetime import date

import pytest

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.calls.models import Call
from fsi.db import db
from fsi.review.assignments import assign
from fsi.review.eligibility import items_for_call, record_checks
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
        assert len(items) == 5  # the FSI defaults, created with the call
        with pytest.raises(WorkflowRefused, match="5 point"):
            fire(application, "declare_ineligible", staff, comment="Hors champ")
        record_checks(application, {i.id: (True, "") for i in items[:4]}, staff)
        record_checks(application, {items[4].id: (False, "Coût 2 000 €")}, staff)
        with pytest.raises(WorkflowRefused, match="1 point"):
            fire(application, "declare_eligible", staff)
        record_checks(application, {items[4].id: (True, "Corrigé")}, staff)
        fire(application, "declare_eligible", staff)
        assert application.state == "eligible"


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

    with in_request():
        call, staff = get(Call, people["call_id"]), get(User, people["staff"])
        application = create_review_application(call, state="deferred")
        add_review(application, people["r1"], [3, 7], people["staff"])
        applicant = get(User, people["applicant"])
        application.organisation_id = applicant.organisation_id
        fire(application, "resubmit", applicant)
        assert application.state == "in_review"
        reviews = db.session.exec(select(Review)).all()
        assert [r.submitted_at for r in reviews] == [None]
        with pytest.raises(WorkflowRefused, match="1 évaluation"):
            fire(application, "complete_review", staff)
