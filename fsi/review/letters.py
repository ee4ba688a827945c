"""Decision letters: one template per outcome, printable, mailed once released, each in the
reader's language (the page) or the recipient's (the mail)."""
from flask import render_template
from sqlmodel import select

from fsi.accounts.models import Organisation, Role, User
from fsi.applications.operations import start_without_agreement_if_due
from fsi.calls.models import Call
from fsi.db import db, utcnow
from fsi.i18n import lazy_gettext as _l
from fsi.mail.render import queue_template_mail
from fsi.review import national
from fsi.review.eligibility import opinion_of
from fsi.review.models import CommitteeSession, Outcome
from fsi.review.sessions import agenda_of

SUBJECTS = {
    "approved": _l("[FSI] %(reference)s : subvention accordée"),
    "rejected": _l("[FSI] %(reference)s : décision du comité"),
    "deferred": _l("[FSI] %(reference)s : compléments demandés par le comité"),
    "opinion": _l("[FSI] %(reference)s : avis de l'association régionale et transmission"),
}


def letter_context(item, application):
    """What a letter says: the association writes, on the day it sends the letter."""
    call = db.session.get(Call, application.call_id)
    return dict(item=item, application=application, session=db.session.get(CommitteeSession, item.session_id),
                call=call, organisation=db.session.get(Organisation, application.organisation_id),
                letter_date=item.released_at or item.decided_at or utcnow(),
                opinion=opinion_of(application.id), through_federation=national.goes_through_federation(application),
                needs_agreement=item.amount is not None and item.amount > call.agreement_threshold)


def letter_template(item):
    return f"review/letters/{item.outcome.value}.txt"


def letter_text(item, application):
    """The letter in the current language."""
    return render_template(letter_template(item), **letter_context(item, application))


def can_read_letter(item, application, user):
    """Staff always; the applicant organisation's users once the letter is released."""
    if not getattr(user, "is_authenticated", False) or item.outcome is None:
        return False
    if user.is_staff:
        return True
    return (user.role == Role.applicant and item.released_at is not None
            and user.organisation_id == application.organisation_id)


def release(item, application):
    """Release a held letter: the applicant may read it, and it is mailed to their users, each in
    their language."""
    if item.outcome is None or item.released_at is not None:
        return False
    item.released_at = utcnow()
    db.session.add(item)
    context = letter_context(item, application)
    recipients = db.session.exec(select(User).where(
        User.organisation_id == application.organisation_id, User.role == Role.applicant,
        User.active.is_(True)).order_by(User.email)).all()
    subject = SUBJECTS[item.outcome.value]
    for user in recipients:
        queue_template_mail(user, lambda _language: subject % {"reference": application.reference},
                            letter_template(item), **context)
    db.session.flush()
    if item.outcome == Outcome.approved:
        start_without_agreement_if_due(application)
    return True


def release_all(session):
    return sum(release(item, application) for item, application in agenda_of(session))
