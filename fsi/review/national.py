"""The FSI's national circuit as the regional association records it: the calendar of the
CGLLS's comité des aides, the transmissions (to the organisation's federation, to the CGLLS) and
the national decision with its notification.

Each step is a workflow action of application_fsi.yaml; the functions here record what the step
needs (the national session aimed at, the notification) and fire it, in the caller's
transaction. The guards ``transmission_recorded`` and ``national_decision_recorded`` refuse the
step when it was fired without them.
"""
from flask_babel import gettext as _
from sqlmodel import select

from fsi.accounts.models import Organisation
from fsi.applications.attachments import add_attachment
from fsi.applications.operations import start_without_agreement_if_due
from fsi.applications.workflow import recipients
from fsi.calls.rules import KINDS_BY_CODE
from fsi.db import db
from fsi.i18n import today
from fsi.mail.render import queue_template_mail
from fsi.review.errors import ReviewError
from fsi.review.models import NationalDecision, NationalOutcome, NationalSession, Recipient, Transmission
from fsi.workflow import tagged
from fsi.workflow.registry import definition_of
from fsi.workflow.service import fire

#: the steps that send the file on, and to whom
TRANSMISSIONS = {"transmit_to_federation": Recipient.federation, "transmit_to_cglls": Recipient.cglls}
#: the steps that record the CGLLS's decision, and which
NATIONAL_DECISIONS = {"record_national_grant": NationalOutcome.granted,
                      "record_national_refusal": NationalOutcome.refused,
                      "record_national_adjournment": NationalOutcome.adjourned}
#: files the association already sent on (to the federation or the CGLLS)
TRANSMITTED = tagged("application", "transmitted")
NOTIFICATION_LABEL = "Notification de la CGLLS"


# --- The calendar of the comité des aides --------------------------------------------------

def national_sessions(upcoming_only=False):
    query = select(NationalSession).order_by(NationalSession.meets_on)
    if upcoming_only:
        query = query.where(NationalSession.meets_on >= today())
    return db.session.exec(query).all()


def save_national_session(session, meets_on, label, notes=""):
    """Create (``session`` None) or change a session of the calendar."""
    label = (label or "").strip()
    if not label:
        raise ReviewError(_("Donnez un intitulé à la séance."), field="label")
    session = session or NationalSession(meets_on=meets_on, label=label)
    session.meets_on, session.label, session.notes = meets_on, label, (notes or "").strip()
    db.session.add(session)
    db.session.flush()
    return session


def delete_national_session(session):
    used = db.session.exec(select(Transmission.id).where(Transmission.national_session_id == session.id)).first()
    if used is not None:
        raise ReviewError(_("Des dossiers ont été transmis pour cette séance : elle reste au calendrier."))
    db.session.delete(session)
    db.session.flush()


# --- Routing and transmission ----------------------------------------------------------------

def goes_through_federation(application):
    """Innovation files go on through the organisation's federation; modernisation files are
    instructed by the association and go to the CGLLS directly."""
    kind = KINDS_BY_CODE.get(application.kind)
    return bool(kind and kind.through_federation)


def next_transmission(application):
    """The transmission step open to the file now in its circuit, or None."""
    workflow = definition_of(application)
    for trigger in TRANSMISSIONS:
        transition = workflow.transition(trigger)
        if transition is not None and application.state in transition.sources:
            if trigger == "transmit_to_federation" and not goes_through_federation(application):
                continue
            if (trigger == "transmit_to_cglls" and application.state not in TRANSMITTED
                    and goes_through_federation(application)):
                continue
            return trigger
    return None


def transmissions_of(application_id):
    return db.session.exec(select(Transmission).where(Transmission.application_id == application_id)
                           .order_by(Transmission.created_at, Transmission.id)).all()


def current_transmission(application, recipient):
    """The transmission to ``recipient`` recorded since the file's latest submission, or None."""
    for transmission in reversed(transmissions_of(application.id)):
        if transmission.recipient == recipient and (application.submitted_at is None
                                                    or transmission.created_at >= application.submitted_at):
            return transmission
    return None


def transmit(application, trigger, sent_on, national_session, actor, comment=None, expected_version=None):
    """Record that the file was sent on ``sent_on`` for ``national_session``, and fire the step."""
    if trigger not in TRANSMISSIONS:
        raise ReviewError(_("Transmission inconnue."))
    if sent_on > today():
        raise ReviewError(_("La date d'envoi ne peut pas être dans le futur."), field="sent_on")
    if national_session is None:
        raise ReviewError(_("Choisissez la séance du comité des aides visée."), field="national_session_id")
    if national_session.meets_on < sent_on:
        raise ReviewError(_("La séance visée doit se tenir après l'envoi."), field="national_session_id")
    db.session.add(Transmission(application_id=application.id, recipient=TRANSMISSIONS[trigger], sent_on=sent_on,
                                national_session_id=national_session.id, recorded_by_id=actor.id))
    db.session.flush()
    return fire(application, trigger, actor, comment=comment, data={"date": sent_on},
                expected_version=expected_version)


# --- The national decision ---------------------------------------------------------------------

def decisions_of(application_id):
    return db.session.exec(select(NationalDecision).where(NationalDecision.application_id == application_id)
                           .order_by(NationalDecision.created_at, NationalDecision.id)).all()


def current_decision(application, outcome):
    """The decision ``outcome`` recorded since the file was sent to the CGLLS, or None."""
    sent = current_transmission(application, Recipient.cglls)
    for decision in reversed(decisions_of(application.id)):
        if decision.outcome == outcome and (sent is None or decision.created_at >= sent.created_at):
            return decision
    return None


def record_national_decision(application, trigger, decided_on, notification, actor, *, amount=None, comment=None,
                             expected_version=None):
    """Keep the CGLLS's notification with the file, record its decision and fire the step; the
    applicant's users are mailed the notification, each in their language."""
    outcome = NATIONAL_DECISIONS.get(trigger)
    if outcome is None:
        raise ReviewError(_("Décision nationale inconnue."))
    if decided_on > today():
        raise ReviewError(_("La date de la décision ne peut pas être dans le futur."), field="decided_on")
    if notification is None or not notification.filename:
        raise ReviewError(_("Joignez la notification reçue de la CGLLS."), field="notification")
    sent = current_transmission(application, Recipient.cglls)
    attachment = add_attachment(application, actor, notification, NOTIFICATION_LABEL)
    decision = NationalDecision(application_id=application.id, outcome=outcome, decided_on=decided_on,
                                amount=amount if outcome == NationalOutcome.granted else None,
                                national_session_id=sent.national_session_id if sent else None,
                                notification_id=attachment.id, recorded_by_id=actor.id)
    db.session.add(decision)
    db.session.flush()
    data = {"date": decided_on} | ({"amount": amount} if outcome == NationalOutcome.granted else {})
    event = fire(application, trigger, actor, comment=comment, data=data, expected_version=expected_version)
    _mail_notification(application, decision, attachment)
    if outcome == NationalOutcome.granted:
        start_without_agreement_if_due(application)  # below the threshold, the notification starts it
    return event


def _mail_notification(application, decision, attachment):
    for user in recipients(application, "applicant"):
        queue_template_mail(user, lambda _language: _("[FSI] %(reference)s : décision du comité des aides de la CGLLS",
                                                     reference=application.reference),
                            "mail/review/national_decision.txt", application=application, decision=decision,
                            attachment=attachment,
                            organisation=db.session.get(Organisation, application.organisation_id))
