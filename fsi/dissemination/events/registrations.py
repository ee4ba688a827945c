"""Registering for an event, cancelling, the waiting list, attendance.

Atomic under concurrency: every change of who holds a seat first locks the event's row
(``lock``: an UPDATE of the row, so PostgreSQL makes the second transaction wait for the first to
commit and SQLite serialises its writers), then counts the seats taken. Two people taking the last
seat at once: the second one counts after the first committed and goes to the waiting list."""
from flask_babel import gettext as _
from sqlmodel import func, select

from fsi.db import db, utcnow
from fsi.dissemination.events.access import has_begun, is_open_for_registration
from fsi.dissemination.events.mails import mail_promoted
from fsi.dissemination.events.models import Event, Registration, RegistrationStatus
from fsi.errors import Refused

REGISTERED, WAITLISTED, CANCELLED = (RegistrationStatus.registered, RegistrationStatus.waitlisted,
                                     RegistrationStatus.cancelled)


def lock(event):
    """Hold the event's row until the transaction ends (a no-op UPDATE: a row lock on PostgreSQL,
    the one writer's lock on SQLite), then read it again as it is now."""
    table = Event.__table__
    db.session.execute(table.update().where(table.c.id == event.id).values(version=table.c.version))
    db.session.refresh(event)
    return event


def seats_taken(event):
    return db.session.exec(select(func.count()).select_from(Registration).where(
        Registration.event_id == event.id, Registration.status == REGISTERED)).one()


def has_room(event):
    return event.capacity is None or seats_taken(event) < event.capacity


def registration_of(event, user):
    return db.session.exec(select(Registration).where(Registration.event_id == event.id,
                                                      Registration.user_id == user.id)).first()


def register(event, user):
    """Register ``user``: a seat if one is left, else the waiting list. Returns the registration;
    registering again while registered or waiting changes nothing."""
    lock(event)
    if not is_open_for_registration(event):
        raise Refused(_("Les inscriptions à cet événement sont closes."))
    registration = registration_of(event, user)
    if registration is not None and registration.status != CANCELLED:
        return registration
    now = utcnow()
    status = REGISTERED if has_room(event) else WAITLISTED
    if registration is None:
        registration = Registration(event_id=event.id, user_id=user.id, status=status, queued_at=now)
    else:  # came back: at the end of the queue
        registration.status, registration.queued_at, registration.attended = status, now, None
    registration.updated_at = now
    db.session.add(registration)
    db.session.flush()
    return registration


def cancel_registration(event, user):
    """Cancel ``user``'s registration; a seat freed goes to the first person waiting (mailed)."""
    lock(event)
    registration = registration_of(event, user)
    if registration is None or registration.status == CANCELLED:
        raise Refused(_("Vous n'êtes pas inscrit à cet événement."))
    if has_begun(event):
        raise Refused(_("L'événement a commencé : l'inscription ne peut plus être annulée."))
    registration.status, registration.attended, registration.updated_at = CANCELLED, None, utcnow()
    db.session.add(registration)
    db.session.flush()
    promote_waitlisted(event)
    return registration


def promote_waitlisted(event):
    """Give the free seats to the people waiting, first come first served, and mail each one.
    The caller holds the event's lock. Returns the promoted registrations."""
    if event.cancelled_at is not None or has_begun(event):
        return []
    waiting = select(Registration).where(Registration.event_id == event.id, Registration.status == WAITLISTED) \
        .order_by(Registration.queued_at, Registration.id)
    if event.capacity is not None:
        free = event.capacity - seats_taken(event)
        if free <= 0:
            return []
        waiting = waiting.limit(free)
    promoted = list(db.session.exec(waiting).all())
    for registration in promoted:
        registration.status, registration.updated_at = REGISTERED, utcnow()
        db.session.add(registration)
    db.session.flush()
    for registration in promoted:
        mail_promoted(event, registration)
    return promoted


def record_attendance(event, present_ids):
    """Staff's roll call once the event has begun: the registered people in ``present_ids`` came,
    the other registered people did not."""
    if not has_begun(event):
        raise Refused(_("La présence se note une fois l'événement commencé."))
    present = set(present_ids or ())
    rows = db.session.exec(select(Registration).where(Registration.event_id == event.id,
                                                      Registration.status == REGISTERED)).all()
    for registration in rows:
        registration.attended = registration.id in present
        registration.updated_at = utcnow()
        db.session.add(registration)
    db.session.flush()
    return sum(1 for registration in rows if registration.attended)
