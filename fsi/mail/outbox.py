"""Queue emails in the outbox: in the caller's transaction, so a rolled-back action sends nothing."""
from sqlmodel import func, select

from fsi.db import db
from fsi.mail.models import MailStatus, OutboxMessage


def queue_mail(recipient, subject, body):
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    return message


def failed_count():
    """Messages given up after MAIL_MAX_ATTEMPTS (kept in the outbox): someone should look."""
    return db.session.exec(select(func.count()).select_from(OutboxMessage)
                           .where(OutboxMessage.status == MailStatus.failed)).one()
