"""Queue emails in the outbox: in the caller's transaction, so a rolled-back action sends nothing."""
from fsi.db import db
from fsi.mail.models import OutboxMessage


def queue_mail(recipient, subject, body):
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    return message
