"""Assignments: balance, conflicts (organisational, declared, staff), queue order, N+1 guard."""
from datetime import date

import pytest
from sqlmodel import select

from fsi.accounts.models import Organisation, User
from fsi.applications.models import CoApplicant
from fsi.calls.models import Call
from fsi.db import db
from fsi.review.assignments import assign, bulk_assign, reviewer_queue
from fsi.review.conflicts import conflicted_user_ids, record_conflict
from fsi.review.errors import ReviewError
from fsi.review.models import Assignment, ConflictSource
from fsi.review.services import assigned_reviewers
from tests.queries import count_statements
from tests.review.conftest import create_review_application

DEADLINE = date(2030, 1, 31)


def get(model, ident):
    return db.session.get(model, ident)


def test_bulk_assignment_balances_load_and_never_picks_a_conflicted_member(in_request, people):
    with in_request():
        call, org = get(Call, people["call_id"]), get(Organisation, people["org_id"])
        own = [create_review_application(call, organisation=org, state="eligible") for _ in range(3)]
        others = [create_review_application(call, state="eligible") for _ in range(3)]
        created = bulk_assign(call, 2, DEADLINE, get(User, people["staff"]))
        assert len(created) == 12
        by_app = {}
        for a in created:
            by_app.setdefault(a.application_id, set()).add(a.reviewer_id)
        for application in own:  # r3 belongs to the applicant organisation
            assert people["r3"] not in by_app[application.id]
        assert all(len(reviewers) == 2 for reviewers in by_app.values())
        load = {r: sum(r in s for s in by_app.values()) for r in ("r1", "r2", "r3", "r4") for r in [people[r]]}
        assert max(load.values()) - min(load.values()) <= 1, load
        assert sum(load.values()) == 12
        # deterministic: running it again adds nobody (everyone already has 2)
        assert bulk_assign(call, 2, DEADLINE, get(User, people["staff"])) == []
        assert others


def test_assigning_a_conflicted_member_is_refused(in_request, people):
    with in_request():
        call, org = get(Call, people["call_id"]), get(Organisation, people["org_id"])
        application = create_review_application(call, organisation=org, state="eligible")
        with pytest.raises(ReviewError, match="conflit"):
            assign(application, get(User, people["r3"]), DEADLINE, get(User, people["staff"]))
        assign(application, get(User, people["r1"]), DEADLINE, get(User, people["staff"]))
        with pytest.raises(ReviewError, match="déjà"):
            assign(application, get(User, people["r1"]), DEADLINE, get(User, people["staff"]))


def test_co_applicant_membership_is_a_conflict(in_request, people):
    with in_request():
        call = get(Call, people["call_id"])
        application = create_review_application(call, state="eligible")
        assert people["r4"] not in conflicted_user_ids(application)
        db.session.add(CoApplicant(application_id=application.id, organisation_id=people["other_org_id"]))
        db.session.flush()
        assert people["r4"] in conflicted_user_ids(application)


def test_conflict_declared_later_keeps_the_assignment_but_the_member_no_longer_reviews(in_request, people):
    """Nothing is deleted any more (the record): the assignment stays, the member leaves the audience."""
    with in_request():
        call = get(Call, people["call_id"])
        application = create_review_application(call, state="eligible")
        reviewer = get(User, people["r1"])
        assign(application, reviewer, DEADLINE, get(User, people["staff"]))
        assert [u.email for u in assigned_reviewers(application)] == [reviewer.email]
        with pytest.raises(ReviewError):
            record_conflict(application, reviewer, ConflictSource.declared, "  ", reviewer)
        record_conflict(application, reviewer, ConflictSource.declared, "Mon conjoint y travaille", reviewer)
        kept = db.session.exec(select(Assignment).where(Assignment.application_id == application.id)).all()
        assert [a.reviewer_id for a in kept] == [people["r1"]]
        assert people["r1"] in conflicted_user_ids(application)
        assert assigned_reviewers(application) == []


def test_queue_order_is_random_per_reviewer_but_stable(in_request, people):
    with in_request():
        call = get(Call, people["call_id"])
        applications = [create_review_application(call, state="eligible") for _ in range(8)]
        staff = get(User, people["staff"])
        for application in applications:
            for key in ("r1", "r2"):
                assign(application, get(User, people[key]), DEADLINE, staff)
        first = [row[1].id for row in reviewer_queue(get(User, people["r1"]))]
        again = [row[1].id for row in reviewer_queue(get(User, people["r1"]))]
        other = [row[1].id for row in reviewer_queue(get(User, people["r2"]))]
        assert first == again
        assert sorted(first) == sorted(other) == sorted(a.id for a in applications)
        assert first != other  # 8! orders: equal only by a 1-in-40 320 accident of these fixed seeds
        assert first != sorted(first)


@pytest.mark.parametrize("page", ["queue", "applications", "ranking"])
def test_list_pages_issue_a_constant_number_of_queries(app, client, login, in_db, people, page):
    def add(n):
        with in_db():
            call, staff = get(Call, people["call_id"]), get(User, people["staff"])
            for _ in range(n):
                application = create_review_application(call, state="eligible")
                assign(application, get(User, people["r1"]), DEADLINE, staff)

    if page == "queue":
        with in_db():
            user = get(User, people["r1"])
        login(user)
        url = "/review/queue"
    else:
        with in_db():
            user = get(User, people["staff"])
        login(user)
        url = f"/review/calls/{people['call_id']}/" + ("applications" if page == "applications" else "ranking")

    add(1)
    with count_statements(app) as one:
        client.get(url)
    add(2)
    with count_statements(app) as three:
        client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    assert len(one) == len(three), (len(one), len(three))


def test_review_guards_preload_for_lists_of_actions(app, in_request, people):
    """The workflow's list of actions over many applications checks the review guards in a
    constant number of queries (each guard has a preload)."""
    from fsi.applications.models import Application
    from fsi.review.models import AgendaItem
    from fsi.review.sessions import create_session
    from fsi.workflow.service import available_actions_for

    with in_request():
        call = get(Call, people["call_id"])
        session = create_session(call, "Séance", __import__("fsi.db", fromlist=["utcnow"]).utcnow(), "", 1,
                                 people["staff"], [people["r1"]])
        session_id = session.id

    def add(n):
        with in_request():
            for state in ("submitted", "eligible", "in_review", "scheduled"):
                for _ in range(n):
                    application = create_review_application(get(Call, people["call_id"]), state=state)
                    if state == "scheduled":
                        db.session.add(AgendaItem(session_id=session_id, application_id=application.id))

    def actions():
        with app.test_request_context():
            rows = db.session.exec(select(Application)).all()
            result = available_actions_for(rows, db.session.get(User, people["staff"]))
            assert len(result) == len(rows)

    add(1)
    with count_statements(app) as one:
        actions()
    add(2)
    with count_statements(app) as three:
        actions()
    assert len(one) == len(three), (len(one), len(three))


def test_the_conflict_declaration_list_hides_what_the_member_is_conflicted_on(in_request, people):
    """A conflicted member sees nothing of the application, not even its title in a list."""
    from fsi.review.conflicts import applications_open_for_declaration

    with in_request():
        call = get(Call, people["call_id"])
        own = create_review_application(call, organisation=get(Organisation, people["org_id"]), state="submitted")
        other = create_review_application(call, state="submitted")
        listed_for_r3 = {a.id for a in applications_open_for_declaration(get(User, people["r3"]))}
        listed_for_r1 = {a.id for a in applications_open_for_declaration(get(User, people["r1"]))}
    assert other.id in listed_for_r3 and own.id not in listed_for_r3
    assert {own.id, other.id} <= listed_for_r1
