"""Small test helpers of the accounts domain."""
import html
import re

from sqlmodel import select

from fsi.mail.models import OutboxMessage

LINK = re.compile(r"https?://\S+/password/reset/(\S+)")


def outbox(session, recipient=None):
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if recipient:
        stmt = stmt.where(OutboxMessage.recipient == recipient)
    return session.exec(stmt).all()


def link_token(message):
    """The one-time token in the link an email carries."""
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def page(response):
    """The response's HTML with entities decoded, so that texts compare as written."""
    return html.unescape(response.get_data(as_text=True))
