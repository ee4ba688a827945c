"""What events mail, through the outbox (fsi.mail), in each recipient's language: invitations
(sent once per person and event), the reminder before the event (``flask fsi remind-events``), a
seat given from the waiting list, a cancellation.

Every mail that must go once has a key in ``ReminderSent`` (fsi.funding's table of mails already
sent), inserted with its mail in the same transaction."""
from datetime import timedelta

from flask_babel import gettext as _
from sqlmodel import select

from fsi.accounts.models import Role, User
from fsi.db import db, utcnow
from fsi.dissemination.events.models import EVENT_KIND_LABELS, Event, Registration, RegistrationStatus
from fsi.funding.models import ReminderSent
from fsi.funding.reminders import send_once
from fsi.i18n import pick
from fsi.mail.render import absolute_url, queue_template_mail

TEMPLATE = "dissemination/events/mail/event.txt"
#: the reminder goes to those registered when the event starts within this delay
REMIND_BEFORE = timedelta(hours=48)
SUBJECTS = {
    "invitation": lambda event, language: _("[FSI] Invitation : %(kind)s « %(title)s »",
                                            kind=pick(EVENT_KIND_LABELS[event.kind], language), title=event.title),
    "reminder": lambda event, language: _("[FSI] Rappel : %(kind)s « %(title)s »",
                                          kind=pick(EVENT_KIND_LABELS[event.kind], language), title=event.title),
    "promoted": lambda event, language: _("[FSI] Une place s'est libérée : « %(title)s »", title=event.title),
    "cancelled": lambda event, language: _("[FSI] Événement annulé : « %(title)s »", title=event.title),
}


def event_url(event):
    return absolute_url("events.show", event_id=event.id, slug=event.slug)


def queue_event_mail(user, event, reason):
    """One mail about ``event`` to ``user``: ``reason`` is invitation, reminder, promoted or cancelled."""
    return queue_template_mail(user, lambda language: SUBJECTS[reason](event, language), TEMPLATE,
                               event=event, reason=reason, kind=EVENT_KIND_LABELS[event.kind],
                               url=event_url(event),
                               ics_url=absolute_url("events.ics", event_id=event.id))


def mail_promoted(event, registration):
    queue_event_mail(db.session.get(User, registration.user_id), event, "promoted")


def _registered_users(event, statuses):
    return db.session.exec(select(User).join(Registration, Registration.user_id == User.id)
                           .where(Registration.event_id == event.id, Registration.status.in_(statuses),
                                  User.active.is_(True)).order_by(User.id)).all()


def mail_cancelled(event):
    for user in _registered_users(event, (RegistrationStatus.registered, RegistrationStatus.waitlisted)):
        queue_event_mail(user, event, "cancelled")


def invitees():
    """Who is invited: every active user of a housing body (those who may register)."""
    return db.session.exec(select(User).where(User.active.is_(True), User.organisation_id.is_not(None),
                                              User.role.in_((Role.applicant, Role.reviewer)))
                           .order_by(User.id)).all()


def invitation_key(event, user):
    return f"event:{event.id}:invitation:{user.id}"


def send_invitations(event):
    """Invite everyone who may register and was not invited to this event yet (in the caller's
    transaction: two staff inviting at once meet the unique key, and the second one is undone).
    Returns how many were invited."""
    people = invitees()
    keys = {invitation_key(event, user): user for user in people}
    done = set(db.session.exec(select(ReminderSent.key).where(ReminderSent.key.in_(list(keys)))).all()) \
        if keys else set()
    sent = 0
    for key, user in keys.items():
        if key in done:
            continue
        db.session.add(ReminderSent(key=key))
        queue_event_mail(user, event, "invitation")
        sent += 1
    db.session.flush()
    return sent


def events_to_remind(now):
    return db.session.exec(select(Event).where(Event.cancelled_at.is_(None), Event.starts_at > now,
                                               Event.starts_at <= now + REMIND_BEFORE)
                           .order_by(Event.starts_at, Event.id)).all()


def remind(now=None):
    """Queue the reminders of the events starting within 48 hours, once per registered person (the
    start time is in the key: a rescheduled event is recalled again). Returns how many were queued.
    Each mail is committed with its key (fsi.funding.reminders.send_once)."""
    now = now or utcnow()
    sent = 0
    for event in events_to_remind(now):
        for user in _registered_users(event, (RegistrationStatus.registered,)):
            key = f"event:{event.id}:{event.starts_at:%Y%m%dT%H%M}:reminder:{user.id}"
            sent += send_once(key, lambda user=user, event=event: queue_event_mail(user, event, "reminder"))
    return sent
