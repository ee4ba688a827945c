"""Throttling: too many attempts of a kind (a password, a second factor's code, a password-reset
request) for one account, or from one address, within the window, and further attempts are refused
(without checking anything) until the oldest expire.

Every attempt is written first, in a transaction of its own committed at once, and only then are
the attempts counted, itself included: of many attempts made at the same moment, the k-th to be
written counts at least k, so no more than the limit ever get their password checked. A refused
attempt takes its row back (refusals are not counted); a successful one forgives the account.
"""
import math
from datetime import timedelta

from flask import current_app
from sqlmodel import delete, select

from fsi.accounts.models import AttemptKind, LoginAttempt, normalise_email
from fsi.db import db, utcnow

#: per kind, the settings that limit the attempts per account and per address
LIMITS = {
    AttemptKind.password: ("LOGIN_MAX_FAILURES_PER_ACCOUNT", "LOGIN_MAX_FAILURES_PER_ADDRESS"),
    AttemptKind.second_factor: ("TWO_FACTOR_MAX_FAILURES", "LOGIN_MAX_FAILURES_PER_ADDRESS"),
    AttemptKind.reset: ("PASSWORD_RESET_MAX_PER_ACCOUNT", "PASSWORD_RESET_MAX_PER_ADDRESS"),
}


def _window():
    return timedelta(minutes=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"])


def _wait_for(times, limit, now):
    """With ``times`` (ascending) the attempts in the window, this one included: None when they
    stay within ``limit``, else how long until enough have expired for one more attempt."""
    if len(times) <= limit:
        return None
    unlocks_at = times[len(times) - limit] + _window()
    return max(unlocks_at - now, timedelta(seconds=1))


def begin_attempt(email, address, kind=AttemptKind.password):
    """Write the attempt, then count. Returns (attempt id, wait): ``wait`` is None when the
    password (or code, or request) may be checked, else the time to wait (the attempt is then
    taken back)."""
    email, address = normalise_email(email)[:254], (address or "")[:64]
    now = utcnow()
    per_account, per_address = (current_app.config[key] for key in LIMITS[kind])
    with db.separate_transaction() as session:
        session.exec(delete(LoginAttempt).where(LoginAttempt.created_at <= now - _window()))
        attempt = LoginAttempt(kind=kind, email=email, address=address, created_at=now)
        session.add(attempt)
    waits = []
    with db.separate_transaction() as session:
        for column, value, limit in ((LoginAttempt.email, email, per_account),
                                     (LoginAttempt.address, address, per_address)):
            times = session.exec(select(LoginAttempt.created_at).where(
                LoginAttempt.kind == kind, column == value, LoginAttempt.created_at > now - _window())
                .order_by(LoginAttempt.created_at)).all()
            waits.append(_wait_for(times, limit, utcnow()))
        waits = [w for w in waits if w is not None]
        if waits:
            session.exec(delete(LoginAttempt).where(LoginAttempt.id == attempt.id))
    return attempt.id, max(waits) if waits else None


def wait_minutes(wait):
    """Whole minutes to announce, rounded up so that the user never comes back too early."""
    return max(1, math.ceil(wait.total_seconds() / 60))


def clear_failures(email, kind=AttemptKind.password):
    """A successful sign-in forgives the account's past failures of that kind (not the address's):
    the right password does not forgive wrong codes."""
    db.session.exec(delete(LoginAttempt).where(LoginAttempt.email == normalise_email(email),
                                               LoginAttempt.kind == kind))
