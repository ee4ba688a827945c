"""Send what the outbox holds: by SMTP when SMTP_HOST is set, else to the log (development).

Each message is claimed, then committed after its own attempt, so a crash or a failing server loses
nothing and several runs at once never send a message twice (``claim_next``):
a failure keeps the message pending with exponential back-off until MAIL_MAX_ATTEMPTS, after
which it is marked failed (and kept).
"""
import contextlib
import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from sqlalchemy import update
from sqlmodel import select

from fsi.db import db, utcnow
from fsi.mail.models import MailStatus, OutboxMessage

logger = logging.getLogger("fsi.mail")

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)


def retry_delay(attempts):
    """1, 2, 4, 8... minutes after the 1st, 2nd, 3rd... failure, at most 6 hours."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


#: how long a run holds a message it took (far more than SMTP_TIMEOUT): a run that dies leaves
#: it to the runs after this delay
CLAIM = timedelta(minutes=10)


def build_email(message):
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(idstring=f"fsi-{message.id}")
    email.set_content(message.body)
    return email


def open_smtp(cfg):
    kind = smtplib.SMTP_SSL if cfg["SMTP_SSL"] else smtplib.SMTP
    connection = kind(cfg["SMTP_HOST"], int(cfg["SMTP_PORT"]), timeout=cfg["SMTP_TIMEOUT"])
    try:
        if cfg["SMTP_STARTTLS"] and not cfg["SMTP_SSL"]:
            connection.starttls()
        if cfg.get("SMTP_USERNAME"):
            connection.login(cfg["SMTP_USERNAME"], cfg["SMTP_PASSWORD"] or "")
    except BaseException:
        connection.close()
        raise
    return connection


class ServerUnreachable(Exception):
    """The SMTP server could not be reached: stop this run, the next one will retry."""


class Transport:
    """One SMTP connection for the whole run, opened on the first message (or the log)."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.connection = None

    def send(self, message):
        if not self.cfg.get("SMTP_HOST"):
            logger.info("Courriel (non envoyé, pas de SMTP configuré) à %s : %s\n%s",
                        message.recipient, message.subject, message.body)
            return
        if self.connection is None:
            try:
                self.connection = open_smtp(self.cfg)
            except (smtplib.SMTPException, OSError) as error:
                raise ServerUnreachable(error) from error
        try:
            self.connection.send_message(build_email(message))
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()  # reconnect for the next message
            raise

    def close(self):
        if self.connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):  # closing anyway
                self.connection.quit()
            self.connection = None


def record_failure(message, error):
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.status = MailStatus.failed
        logger.error("Courriel %s abandonné après %s tentatives : %s", message.id, message.attempts, error)
    else:
        message.next_attempt_at = utcnow() + retry_delay(message.attempts)
        logger.warning("Courriel %s non envoyé (tentative %s) : %s", message.id, message.attempts, error)


def claim_next():
    """Take the next due message for this run, or None: its next attempt is pushed CLAIM ahead, in a
    committed transaction of its own, so no other run (another server, a cron job that overlapped)
    takes it meanwhile. On PostgreSQL the other runs skip the row while it is locked (``FOR UPDATE
    SKIP LOCKED``) and re-check the conditions once it is committed; on SQLite the single writer
    does the same. A run that dies holding a claim leaves the message to the runs after CLAIM."""
    db.commit()  # a fresh transaction whose first statement writes (SQLite: no stale snapshot)
    now = utcnow()
    due = (OutboxMessage.status == MailStatus.pending, OutboxMessage.next_attempt_at <= now)
    oldest = (select(OutboxMessage.id).where(*due)
              .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
              .limit(1).with_for_update(skip_locked=True).scalar_subquery())
    claimed = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == oldest, *due)
        .values(next_attempt_at=now + CLAIM).returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)).scalar_one_or_none()
    db.commit()
    if claimed is None:
        return None
    message = db.session.get(OutboxMessage, claimed, populate_existing=True)
    db.commit()  # read: the result is written in a transaction of its own
    return message


def send_pending(limit=None):
    """Try every due message once (at most ``limit``); returns (sent, failed attempts). Each
    message is claimed, sent, and its result committed, one at a time: several runs at once
    (cron on two servers) share the outbox without sending a message twice."""
    transport = Transport(current_app.config)
    sent = failures = 0
    try:
        while limit is None or sent + failures < limit:
            message = claim_next()
            if message is None:
                break
            try:
                transport.send(message)
            except ServerUnreachable as error:
                # one attempt counted; the other messages wait for the next run rather than
                # each waiting SMTP_TIMEOUT for a server that is down
                record_failure(message, error.__cause__)
                db.session.add(message)
                db.commit()
                return sent, failures + 1
            except (smtplib.SMTPException, OSError) as error:
                record_failure(message, error)
                failures += 1
            else:
                message.attempts += 1
                message.status = MailStatus.sent
                message.sent_at = utcnow()
                message.last_error = None
                sent += 1
            db.session.add(message)
            db.commit()
    finally:
        transport.close()
    return sent, failures
