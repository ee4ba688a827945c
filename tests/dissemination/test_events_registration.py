"""Registering, the waiting list and its promotion, attendance; atomic under concurrency on both
databases (real threads); invitations and reminders through the outbox, each sent once."""
import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from fsi.accounts.models import Role
from fsi.db import db, utcnow
from fsi.dissemination.events import mails, registrations
from fsi.dissemination.events.models import Event, Registration, RegistrationStatus
from fsi.errors import Refused
from fsi.mail.models import OutboxMessage
from tests.dissemination.events_helpers import make_event
from tests.factories import create_user

REGISTERED, WAITLISTED, CANCELLED = (RegistrationStatus.registered, RegistrationStatus.waitlisted,
                                     RegistrationStatus.cancelled)


def get(model, ident):
    return db.session.get(model, ident)


def statuses(event_id):
    return {r.user_id: r.status for r in db.session.exec(select(Registration)
                                                         .where(Registration.event_id == event_id)).all()}


def outbox():
    return db.session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_past_the_capacity_people_wait_and_a_cancellation_promotes_the_first(in_db):
    with in_db():
        event = make_event(capacity=2)
        people = [create_user() for _ in range(4)]
        results = [registrations.register(event, user).status for user in people]
        assert results == [REGISTERED, REGISTERED, WAITLISTED, WAITLISTED]
        registrations.cancel_registration(event, people[0])
        assert statuses(event.id) == {people[0].id: CANCELLED, people[1].id: REGISTERED,
                                      people[2].id: REGISTERED, people[3].id: WAITLISTED}
        mailed = outbox()
        assert [m.recipient for m in mailed] == [people[2].email]
        assert "place s'est libérée" in mailed[0].subject


def test_registering_twice_changes_nothing_and_coming_back_queues_at_the_end(in_db):
    with in_db():
        event = make_event(capacity=1)
        first, second, third = create_user(), create_user(), create_user()
        registrations.register(event, first)
        assert registrations.register(event, first).status == REGISTERED
        registrations.register(event, second)
        registrations.register(event, third)
        registrations.cancel_registration(event, second)  # waiting: nobody promoted
        assert statuses(event.id)[first.id] == REGISTERED
        again = registrations.register(event, second)
        assert again.status == WAITLISTED
        registrations.cancel_registration(event, first)
        assert statuses(event.id)[third.id] == REGISTERED  # third waited longer than second's return
        assert statuses(event.id)[second.id] == WAITLISTED


def test_a_larger_capacity_lets_the_waiting_list_in_and_a_smaller_one_than_taken_is_refused(in_db):
    from fsi.dissemination.events.services import update_event

    with in_db():
        event = make_event(capacity=1)
        people = [create_user() for _ in range(3)]
        for user in people:
            registrations.register(event, user)
        values = {k: getattr(event, k) for k in ("kind", "title", "starts_at", "ends_at", "place", "video_url",
                                                 "theme_id", "description")}
        update_event(event, event.version, {**values, "capacity": 2})
        assert sorted(statuses(event.id).values()) == [REGISTERED, REGISTERED, WAITLISTED]
        with pytest.raises(Refused) as refused:
            update_event(event, event.version, {**values, "capacity": 1})
        assert refused.value.field == "capacity"


def test_closed_when_begun_or_cancelled(in_db):
    with in_db():
        begun = make_event(starts_in=timedelta(minutes=-5))
        with pytest.raises(Refused):
            registrations.register(begun, create_user())
        cancelled = make_event()
        cancelled.cancelled_at = utcnow()
        db.session.add(cancelled)
        db.session.flush()
        with pytest.raises(Refused):
            registrations.register(cancelled, create_user())


def test_attendance_is_recorded_once_begun_for_the_registered_only(in_db):
    with in_db():
        event = make_event(capacity=2)
        people = [create_user() for _ in range(3)]
        rows = [registrations.register(event, user) for user in people]
        with pytest.raises(Refused):
            registrations.record_attendance(event, [rows[0].id])
        event.starts_at = utcnow() - timedelta(hours=1)
        db.session.add(event)
        db.session.flush()
        assert registrations.record_attendance(event, [rows[0].id, rows[2].id]) == 1
        assert [get(Registration, r.id).attended for r in rows] == [True, False, None]


@pytest.mark.parametrize("seats", [1, 3])
def test_the_last_seats_taken_at_once_never_exceed_the_capacity(app, in_db, seats):
    """Six people register at the same moment for ``seats`` seats (real threads, real transactions)."""
    with in_db():
        event_id = make_event(capacity=seats).id
        user_ids = [create_user().id for _ in range(6)]
    barrier = threading.Barrier(len(user_ids))
    errors = []

    def take(user_id):
        from fsi.accounts.models import User

        with app.test_request_context():
            try:
                event, user = db.session.get(Event, event_id), db.session.get(User, user_id)
                barrier.wait(timeout=20)  # every one has read the event before anyone writes
                registrations.register(event, user)
                db.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                db.rollback()
                errors.append(error)

    threads = [threading.Thread(target=take, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with in_db():
        found = sorted(statuses(event_id).values())
        assert found.count(REGISTERED) == seats
        assert found.count(WAITLISTED) == 6 - seats


def test_two_cancellations_at_once_promote_two_different_people(app, in_db):
    with in_db():
        event_id = make_event(capacity=2).id
        people = [create_user() for _ in range(4)]
        event = get(Event, event_id)
        for user in people:
            registrations.register(event, user)
        leaving = [people[0].id, people[1].id]
    barrier = threading.Barrier(2)
    errors = []

    def leave(user_id):
        from fsi.accounts.models import User

        with app.test_request_context():
            try:
                event, user = db.session.get(Event, event_id), db.session.get(User, user_id)
                barrier.wait(timeout=20)
                registrations.cancel_registration(event, user)
                db.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                db.rollback()
                errors.append(error)

    threads = [threading.Thread(target=leave, args=(user_id,)) for user_id in leaving]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with in_db():
        assert sorted(statuses(event_id).values()) == [CANCELLED, CANCELLED, REGISTERED, REGISTERED]
        assert len(outbox()) == 2


def test_invitations_go_once_to_each_member_of_a_housing_body(in_db):
    with in_db():
        event = make_event()
        members = [create_user(), create_user()]
        create_user(role=Role.staff)
        create_user(role=Role.reviewer)  # no organisation: not invited
        assert mails.send_invitations(event) == 2
        assert mails.send_invitations(event) == 0
        later = create_user()
        assert mails.send_invitations(event) == 1
        assert sorted(m.recipient for m in outbox()) == sorted(u.email for u in members + [later])
        assert all("Invitation" in m.subject and f"/events/{event.id}.ics" in m.body for m in outbox())


def test_reminders_go_once_within_48_hours_to_the_registered(app, in_db):
    with in_db():
        soon, later = make_event(starts_in=timedelta(hours=30), capacity=1), make_event(starts_in=timedelta(days=5))
        first, waiting = create_user(), create_user()
        registrations.register(soon, first)
        registrations.register(soon, waiting)
        registrations.register(later, first)
        soon_id = soon.id
    with app.test_request_context():
        assert mails.remind() == 1
        db.commit()
        assert mails.remind() == 0
        db.commit()
    with in_db():
        mailed = outbox()
        assert [m.recipient for m in mailed] == [first.email]
        assert "Rappel" in mailed[0].subject and f"/events/{soon_id}-" in mailed[0].body
