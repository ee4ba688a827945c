"""Decision letters: one template per outcome, printable and mailed once released."""
from flask import render_template
from sqlmodel import select

from fsi.accounts.models import Organisation, Role, User
from fsi.calls.models import Call
from fsi.db import db, utcnow
from fsi.mail.outbox import queue_mail
from fsi.review.models import CommitteeSession
from fsi.review.sessions import agenda_of

SUBJECTS = {
    "approved": "[FSI] %s : votre projet est retenu",
    "rejected": "[FSI] %s : décision du comité",
    "deferred": "[FSI] %s : compléments demandés par le comité",
}


def letter_text(item, application):
    session = db.session.get(CommitteeSession, item.session_id)
    return render_template(f"review/letters/{item.outcome.value}.txt", item=item, application=application,
                           session=session, call=db.session.get(Call, application.call_id),
                           organisation=db.session.get(Organisation, application.organisation_id))


def can_read_letter(item, application, user):
    """Staff always; the applicant organisation's users once the letter is released."""
    if not getattr(user, "is_authenticated", False) or item.outcome is None:
        return False
    if user.is_staff:
        return True
    return (user.role == Role.applicant and item.released_at is not None
            and user.organisation_id == application.organisation_id)


def release(item, application):
    """Release a held letter: the applicant may read it, and it is mailed to their users."""
    if item.outcome is None or item.released_at is not None:
        return False
    item.released_at = utcnow()
    db.session.add(item)
    body = letter_text(item, application)
    recipients = db.session.exec(select(User.email).where(
        User.organisation_id == application.organisation_id, User.role == Role.applicant,
        User.active.is_(True)).order_by(User.email)).all()
    for email in recipients:
        queue_mail(email, SUBJECTS[item.outcome.value] % application.reference, body)
    db.session.flush()
    return True


def release_all(session):
    return sum(release(item, application) for item, application in agenda_of(session))
