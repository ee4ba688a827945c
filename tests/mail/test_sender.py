"""send-mail against a real SMTP server (aiosmtpd, in a thread), a closed port, and the log."""
import logging
import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from fsi.db import utcnow
from fsi.mail.models import MailStatus, OutboxMessage
from fsi.mail.outbox import queue_mail
from fsi.mail.sender import retry_delay, send_pending
from tests.accounts.helpers import outbox


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    """Keeps what it receives; refuses recipients at refused.example."""

    def __init__(self):
        self.received = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example"):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server(app):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_TIMEOUT=5)
    yield recorder
    controller.stop()


def queue(in_db, *recipients):
    with in_db():
        for recipient in recipients:
            queue_mail(recipient, "Objet accentué é", f"Bonjour {recipient}")


def run(app):
    with app.app_context():
        return send_pending()


def test_smtp_success_marks_sent(app, in_db, smtp_server):
    queue(in_db, "a@example.org")
    assert run(app) == (1, 0)
    [envelope] = smtp_server.received
    assert envelope.rcpt_tos == ["a@example.org"]
    email = message_from_bytes(envelope.content, policy=policy.default)
    assert (email["Subject"], email["From"], email["To"]) == ("Objet accentué é", "FSI <fsi@localhost>", "a@example.org")
    assert email.get_content().strip() == "Bonjour a@example.org"
    with in_db() as session:
        [message] = outbox(session)
        assert (message.status, message.attempts, message.last_error) == (MailStatus.sent, 1, None)
        assert message.sent_at is not None
    assert run(app) == (0, 0)  # nothing sent twice
    assert len(smtp_server.received) == 1


def test_each_message_has_its_own_fate(app, in_db, smtp_server):
    queue(in_db, "nobody@refused.example", "b@example.org")
    assert run(app) == (1, 1)
    with in_db() as session:
        refused, accepted = outbox(session)
        assert (refused.status, refused.attempts) == (MailStatus.pending, 1)
        assert "550" in refused.last_error
        assert accepted.status == MailStatus.sent
    assert [e.rcpt_tos for e in smtp_server.received] == [["b@example.org"]]


def test_failing_server_keeps_the_message_with_back_off(app, in_db):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_TIMEOUT=2, MAIL_MAX_ATTEMPTS=3)
    queue(in_db, "c@example.org")
    before = utcnow()
    assert run(app) == (0, 1)
    with in_db() as session:
        [message] = outbox(session)
        assert (message.status, message.attempts) == (MailStatus.pending, 1)
        assert "ConnectionRefusedError" in message.last_error
        assert before + timedelta(minutes=1) <= message.next_attempt_at <= utcnow() + timedelta(minutes=1)
    assert run(app) == (0, 0)  # not due yet
    for attempts, status in ((2, MailStatus.pending), (3, MailStatus.failed)):
        with in_db() as session:
            session.get(OutboxMessage, message.id).next_attempt_at = utcnow() - timedelta(seconds=1)
        run(app)
        with in_db() as session:
            stored = session.get(OutboxMessage, message.id)
            assert (stored.attempts, stored.status) == (attempts, status)
    with in_db() as session:
        assert outbox(session)[0].status == MailStatus.failed  # kept, never deleted
    assert run(app) == (0, 0)


@pytest.mark.parametrize("attempts,minutes", [(1, 1), (2, 2), (3, 4), (4, 8), (9, 256), (10, 360), (12, 360)])
def test_retry_delay_doubles_up_to_six_hours(attempts, minutes):
    assert retry_delay(attempts) == timedelta(minutes=minutes)


def test_without_smtp_mails_are_logged_and_marked_sent(app, in_db, caplog):
    queue(in_db, "d@example.org")
    with caplog.at_level(logging.INFO, logger="fsi.mail"):
        assert run(app) == (1, 0)
    assert "d@example.org" in caplog.text and "Bonjour d@example.org" in caplog.text
    with in_db() as session:
        assert outbox(session)[0].status == MailStatus.sent


def test_send_mail_command(app, in_db, smtp_server):
    queue(in_db, "e@example.org", "f@example.org")
    result = app.test_cli_runner().invoke(args=["fsi", "send-mail"])
    assert result.exit_code == 0, result.output
    assert "2 courriel(s) envoyé(s), 0 échec(s)" in result.output
    assert sorted(e.rcpt_tos[0] for e in smtp_server.received) == ["e@example.org", "f@example.org"]


def test_unreachable_server_stops_the_run(app, in_db):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_TIMEOUT=2)
    queue(in_db, "g@example.org", "h@example.org")
    assert run(app) == (0, 1)
    with in_db() as session:
        first, second = outbox(session)
        assert (first.attempts, second.attempts) == (1, 0)
        assert second.status == MailStatus.pending and second.next_attempt_at <= utcnow()


class Authenticator:
    def __init__(self):
        self.logins = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        self.logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"secret")


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # a local test server
@pytest.mark.parametrize("password,sent", [("secret", 1), ("wrong", 0)])
def test_smtp_login_from_the_settings(app, in_db, password, sent):
    recorder, authenticator = Recorder(), Authenticator()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
                            auth_require_tls=False, auth_required=True)
    controller.start()
    try:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_TIMEOUT=2, SMTP_USERNAME="fsi",
                          SMTP_PASSWORD=password)
        queue(in_db, "i@example.org")
        assert run(app) == (sent, 1 - sent)
    finally:
        controller.stop()
    assert authenticator.logins == [(b"fsi", password.encode())]
    assert len(recorder.received) == sent
