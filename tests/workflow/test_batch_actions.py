"""A list showing the available actions of many applications issues a constant number of queries."""

import pytest
from sqlalchemy import func
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.db import db
from fsi.workflow.models import WorkflowEvent
from fsi.workflow.service import available_actions_for
from tests.queries import count_statements


def events_by_object(rows):
    """One query for all rows: how many events each has (a stand-in for a guard's data)."""
    ids = [r.id for r in rows]
    counted = dict(db.session.exec(select(WorkflowEvent.object_id, func.count()).where(
        WorkflowEvent.object_id.in_(ids)).group_by(WorkflowEvent.object_id)).all())
    return {i: counted.get(i, 0) for i in ids}


def checked_guard(ctx):
    """Needs the database: reads the preloaded data, or queries for its one row."""
    counts = ctx.cache.get("test.events")
    if counts is None:
        counts = events_by_object([ctx.row])
    return None if counts[ctx.row.id] == 0 else "Déjà traité."


def preload_events(rows, cache):
    cache["test.events"] = events_by_object(rows)


NAMES = ("eligibility_checked", "eligibility_passed")


@pytest.fixture
def database_guards(open_guards, override_guards):
    """Both guards of the staff's actions on a submitted application need the database and
    share one preload function (the engine calls it once per list)."""
    override_guards(dict.fromkeys(NAMES, checked_guard), preloaders=dict.fromkeys(NAMES, preload_events))


def test_a_guard_without_preload_is_left_to_the_rows_page(app, database_guards, people, new_application,
                                                          override_guards):
    """A list never runs a guard that would query once per row: an action whose guard has no
    preload is offered unchecked (its own page evaluates it and explains)."""
    override_guards(preloaders=dict.fromkeys(NAMES))
    for _ in range(3):
        new_application("submitted")
    assert queries_for_list(app, people) == 0
    with app.test_request_context():
        rows = db.session.exec(select(Application)).all()
        actions = available_actions_for(rows, db.session.get(User, people["staff"]))
    checked = {(a.trigger, a.checked, a.enabled) for acts in actions.values() for a in acts}
    assert checked == {("return_for_completion", True, True), ("declare_ineligible", False, True),
                       ("declare_eligible", False, True), ("close_without_follow_up", True, True)}


def queries_for_list(app, people, check_guards=True):
    with app.test_request_context():
        staff = db.session.get(User, people["staff"])
        rows = db.session.exec(select(Application).order_by(Application.id)).all()
        with count_statements(app) as statements:
            actions = available_actions_for(rows, staff, check_guards=check_guards)
        assert len(actions) == len(rows)
        assert all([a.trigger for a in acts] == ["return_for_completion", "declare_ineligible", "declare_eligible",
                                                 "close_without_follow_up"] for acts in actions.values())
        return len(statements)


@pytest.mark.parametrize("check_guards", [True, False])
def test_constant_queries_for_1_and_100_applications(app, database_guards, people, new_application, check_guards):
    new_application("submitted")
    one = queries_for_list(app, people, check_guards)
    for _ in range(99):
        new_application("submitted")
    hundred = queries_for_list(app, people, check_guards)
    assert (one, hundred) == ((1, 1) if check_guards else (0, 0))


def test_batch_actions_carry_the_guard_reasons(app, database_guards, people, new_application):
    from fsi.workflow.service import fire

    first, second = new_application("submitted"), new_application("submitted")
    with app.test_request_context():
        staff = db.session.get(User, people["staff"])
        fire(db.session.get(Application, first), "return_for_completion", staff, comment="À compléter")
        fire(db.session.get(Application, first), "complete", db.session.get(User, people["owner"]))
        db.commit()
        rows = db.session.exec(select(Application).order_by(Application.id)).all()
        actions = available_actions_for(rows, staff)
        eligible = {row_id: [a for a in acts if a.trigger == "declare_eligible"][0] for row_id, acts in actions.items()}
        assert (eligible[first].enabled, eligible[first].reasons) == (False, ("Déjà traité.",))
        assert (eligible[second].enabled, eligible[second].reasons) == (True, ())
