"""A call's optional automation: start the review once the reviewers are assigned, close it once
every review is in; each step an event of « Système » with its reason; off by default."""
from datetime import date

from flask_babel import force_locale
from sqlmodel import select

from fsi.accounts.models import Organisation, Role, User
from fsi.applications.models import Application
from fsi.calls.models import Call, Criterion
from fsi.db import db
from fsi.mail.models import OutboxMessage
from fsi.review.assignments import assign_many, bulk_assign
from fsi.review.eligibility import items_for_call, record_checks
from fsi.review.scoring import save_review
from fsi.workflow.models import WorkflowEvent
from fsi.workflow.service import fire
from fsi.workflow.ui import event_comment, workflow_timeline
from tests.factories import create_user
from tests.review.conftest import create_review_application

DEADLINE = date(2030, 1, 31)


def eligible_application(people, **call_settings):
    """An application walked to « Recevable » through the workflow, on the people's call."""
    call = db.session.get(Call, people["call_id"])
    for name, value in call_settings.items():
        setattr(call, name, value)
    staff = db.session.get(User, people["staff"])
    application = create_review_application(call, organisation=db.session.get(Organisation, people["org_id"]),
                                            state="draft")
    applicant = db.session.get(User, people["applicant"])
    fire(application, "submit", applicant)
    record_checks(application, {i.id: (True, "") for i in items_for_call(call.id)}, staff)
    fire(application, "declare_eligible", staff)
    return application, staff


def last_event(application):
    return db.session.exec(select(WorkflowEvent).where(WorkflowEvent.object_id == application.id)
                           .order_by(WorkflowEvent.seq.desc())).first()


def submit_review(assignment, application):
    criteria = db.session.exec(select(Criterion).where(Criterion.call_id == application.call_id)).all()
    save_review(assignment, criteria, {"scores": {c.id: (c.scale_min, "") for c in criteria},
                                       "recommendation": "fund", "confidence": 2, "general_comment": ""},
                submit=True)


def test_off_by_default_nothing_moves_by_itself(in_request, people, open_submission):
    with in_request():
        application, staff = eligible_application(people)
        assign_many(application, [people["r1"], people["r2"]], DEADLINE, staff)
        assert application.state == "eligible"


def test_the_review_starts_once_the_reviewers_are_assigned_then_closes_once_all_are_in(in_request, people,
                                                                                         open_submission):
    with in_request():
        application, staff = eligible_application(people, auto_start_review=True, auto_complete_review=True)
        first, second = assign_many(application, [people["r1"], people["r2"]], DEADLINE, staff)
        assert application.state == "in_review"
        started = last_event(application)
        assert (started.trigger, started.actor_id) == ("start_review", None)
        assert started.comment == "Automatique : les évaluateurs sont désignés (réglage de l'appel)."
        submit_review(first, application)
        assert application.state == "in_review"  # one review is still awaited
        submit_review(second, application)
        closed = last_event(application)
        assert (application.state, closed.trigger, closed.actor_id) == ("reviewed", "complete_review", None)
        assert [entry.actor_name for entry in workflow_timeline(application)][-2:] == ["Système", "Système"]


def test_what_fsi_wrote_reads_in_each_language(in_request, people, open_submission):
    """The step's comment is stored in French (the record stays the same whoever triggered it)
    and shown in the reader's language, in the timeline and in the mails."""
    with in_request():
        application, staff = eligible_application(people, auto_start_review=True)
        english_reader = db.session.get(User, people["r1"])
        english_reader.language = "en"
        with force_locale("en"):  # an English-speaking staff member assigns
            assign_many(application, [people["r1"], people["r2"]], DEADLINE, staff)
        started = last_event(application)
        assert started.comment == "Automatique : les évaluateurs sont désignés (réglage de l'appel)."
        mails = {m.recipient: m.body for m in db.session.exec(select(OutboxMessage))}
        assert "Automatic: the reviewers are assigned (the call's setting)." in mails[english_reader.email]
        assert started.comment in mails[db.session.get(User, people["r2"]).email]
        assert event_comment(started) == started.comment
        with force_locale("en"):
            assert event_comment(started) == "Automatic: the reviewers are assigned (the call's setting)."
        written = WorkflowEvent(workflow="application", object_id=application.id, seq=99, trigger="submit",
                                from_state="draft", to_state="submitted", actor_id=staff.id,
                                comment=started.comment)
        with force_locale("en"):  # what a person wrote is never translated
            assert event_comment(written) == started.comment


def test_a_blocked_automatic_step_leaves_no_trace(in_request, people, open_submission):
    """The bulk assignment finds no free member for an application: its review does not start,
    and nothing of the attempt stays (no event, the row's version unchanged)."""
    with in_request():
        application, staff = eligible_application(people, auto_start_review=True)
        for key in ("r1", "r2", "r3", "r4"):
            db.session.get(User, people[key]).active = False
        create_user(Role.reviewer, active=False)
        version = application.version
        assert bulk_assign(db.session.get(Call, people["call_id"]), 2, DEADLINE, staff) == []
        assert (application.state, application.version) == ("eligible", version)
        assert last_event(db.session.get(Application, application.id)).trigger == "declare_eligible"
