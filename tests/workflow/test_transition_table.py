"""Every transition of the application workflow, from each of its states, by each kind of actor:
the allowed ones move the row and write exactly one event, the others are refused with a
reason and change nothing."""
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.db import db
from fsi.workflow.definitions import get_workflow
from fsi.workflow.models import WorkflowEvent
from fsi.workflow.service import WorkflowRefused, fire
from tests.workflow.conftest import ACTORS

WORKFLOW = get_workflow("application")
CASES = [(t.trigger, source, actor) for t in WORKFLOW.transitions for source in t.sources for actor in ACTORS]

DATA = {"amount": Decimal("25000.00"), "date": date(2026, 12, 1), "document": "convention.pdf",
        "still_due": Decimal("0.00")}


def expected_outcome(transition, actor):
    """None when the actor may fire, else the reason expected."""
    role = {"owner": "applicant", "other_applicant": "applicant"}.get(actor, actor)
    if role not in transition.roles:
        return "Action non autorisée pour votre rôle."
    if actor == "other_applicant":
        return "Action réservée à l'organisme porteur du dossier."
    return None


def events_of(app_id):
    return db.session.exec(select(WorkflowEvent).where(WorkflowEvent.object_id == app_id)).all()


@pytest.mark.parametrize("trigger,source,actor", CASES, ids=[f"{t}-from-{s}-by-{a}" for t, s, a in CASES])
def test_transition_table(app, open_guards, people, new_application, trigger, source, actor):
    transition = WORKFLOW.transition(trigger)
    app_id = new_application(source)
    refusal = expected_outcome(transition, actor)
    comment = "Motif indiqué par l'acteur." if transition.comment != "none" else None
    data = {name: DATA[name] for name in transition.data}
    with app.test_request_context():
        row = db.session.get(Application, app_id)
        user = db.session.get(User, people[actor])
        if refusal:
            with pytest.raises(WorkflowRefused) as refused:
                fire(row, trigger, user, comment=comment, data=data)
            assert refused.value.reasons == [refusal]
            db.rollback()
        else:
            event = fire(row, trigger, user, comment=comment, data=data)
            db.commit()
            assert (event.from_state, event.to_state, event.seq, event.actor_id) == (source, transition.dest, 1, user.id)
    with app.app_context():
        row = db.session.get(Application, app_id)
        events = events_of(app_id)
        if refusal:
            assert (row.state, row.version, len(events)) == (source, 1, 0)
        else:
            assert (row.state, row.version, len(events)) == (transition.dest, 2, 1)
            assert events[0].trigger == trigger
            assert events[0].comment == comment
            if "amount" in transition.data:
                assert events[0].data["amount"] == "25000.00"
            if "date" in transition.data:
                assert events[0].data["date"] == "2026-12-01"


def test_every_state_is_covered_by_the_table():
    """The table tries every transition from every one of its sources: nothing is skipped."""
    sources = {s for t in WORKFLOW.transitions for s in t.sources}
    assert sources == {s.name for s in WORKFLOW.states.values() if not s.final}
    assert len(CASES) == 5 * sum(len(t.sources) for t in WORKFLOW.transitions)
