"""The outbox is written in the action's transaction: no commit, no mail."""
import pytest
from flask import abort

from fsi.db import db
from fsi.mail.outbox import queue_mail
from tests.accounts.helpers import outbox


@pytest.fixture
def app(new_app):
    """These tests add routes: an application of their own."""
    return new_app


def add_route(app, rule, view):
    app.add_url_rule(rule, view.__name__, view, methods=["POST"])


def test_a_mail_queued_in_a_request_that_fails_is_not_kept(app, client, in_db):
    def action_that_fails():
        queue_mail("someone@example.org", "Sujet", "Corps")
        db.session.flush()  # written in the transaction...
        abort(409)  # ...which the request then abandons

    add_route(app, "/test/fails", action_that_fails)
    assert client.post("/test/fails").status_code == 409
    with in_db() as session:
        assert outbox(session) == []


def test_a_mail_queued_in_a_request_that_raises_is_not_kept(app, in_db):
    def action_that_raises():
        queue_mail("someone@example.org", "Sujet", "Corps")
        db.session.flush()
        raise RuntimeError("boom")

    add_route(app, "/test/raises", action_that_raises)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert app.test_client().post("/test/raises").status_code == 500
    with in_db() as session:
        assert outbox(session) == []


def test_a_mail_queued_in_a_committed_request_is_pending(app, client, in_db):
    def action_that_commits():
        queue_mail("someone@example.org", "Sujet", "Corps")
        db.commit()
        return "ok"

    add_route(app, "/test/commits", action_that_commits)
    client.post("/test/commits")
    with in_db() as session:
        [message] = outbox(session)
        assert (message.recipient, message.status.value, message.attempts) == ("someone@example.org", "pending", 0)
