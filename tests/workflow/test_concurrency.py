"""Real concurrent workers fire conflicting transitions at one application: exactly one wins."""
import threading

import pytest
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.db import StaleObject, db
from fsi.workflow.models import WorkflowEvent
from fsi.workflow.service import WorkflowRefused, fire

CONFLICTS = {
    "eligible vs returned": ("submitted", [("staff", "declare_eligible", None), ("admin", "return_for_completion", "À compléter"),
                                           ("staff", "declare_ineligible", "Hors champ")]),
    "two submits": ("draft", [("owner", "submit", None), ("owner", "submit", None), ("owner", "withdraw", None)]),
}


def run_together(app, app_id, people, attempts):
    barrier = threading.Barrier(len(attempts))
    outcomes = [None] * len(attempts)

    def worker(index, actor, trigger, comment):
        with app.test_request_context():  # its own app context, so its own session
            try:
                row = db.session.get(Application, app_id)
                user = db.session.get(User, people[actor])
                barrier.wait(timeout=10)
                fire(row, trigger, user, comment=comment)
                db.commit()
                outcomes[index] = ("ok", trigger)
            except (StaleObject, WorkflowRefused) as error:
                db.rollback()
                outcomes[index] = ("refused", type(error).__name__)

    threads = [threading.Thread(target=worker, args=(i, *a)) for i, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.parametrize("name", list(CONFLICTS))
@pytest.mark.parametrize("round_", range(3))
def test_exactly_one_conflicting_transition_wins(app, open_guards, people, new_application, name, round_):
    state, attempts = CONFLICTS[name]
    app_id = new_application(state)
    outcomes = run_together(app, app_id, people, attempts)
    winners = [o for o in outcomes if o[0] == "ok"]
    assert len(winners) == 1, outcomes
    assert all(o[0] == "refused" for o in outcomes if o not in winners), outcomes
    with app.app_context():
        row = db.session.get(Application, app_id)
        events = db.session.exec(select(WorkflowEvent).where(WorkflowEvent.object_id == app_id)).all()
        assert len(events) == 1
        assert (events[0].trigger, events[0].seq, row.state, row.version) == (
            winners[0][1], 1, events[0].to_state, 2)
