"""Small test helpers of the accounts domain."""
import html
import re
from contextlib import contextmanager

from sqlalchemy import event
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


@contextmanager
def count_statements(app):
    """``with count_statements(app) as statements:`` then ``len(statements)``."""
    statements = []
    engine = app.extensions["fsi.db"]

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def page(response):
    """The response's HTML with entities decoded, so that texts compare as written."""
    return html.unescape(response.get_data(as_text=True))
