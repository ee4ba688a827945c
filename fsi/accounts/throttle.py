"""Login throttling: too many failures for one account, or from one address, within the window
and further attempts are refused (without checking the password) until the oldest expire."""
import math
from datetime import timedelta

from flask import current_app
from sqlmodel import delete, select

from fsi.accounts.models import LoginAttempt, normalise_email
from fsi.db import db, utcnow


def _window():
    return timedelta(minutes=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"])


def _wait_for(times, limit, now):
    """With ``times`` (ascending) the failures in the window: how long until fewer than ``limit``."""
    if len(times) < limit:
        return None
    unlocks_at = times[len(times) - limit] + _window()
    return unlocks_at - now if unlocks_at > now else None


def login_wait(email, address):
    """The time to wait before another attempt is allowed, or None when it is allowed now."""
    now = utcnow()
    since = now - _window()
    cfg = current_app.config
    waits = []
    for column, value, limit in (
        (LoginAttempt.email, normalise_email(email), cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
        (LoginAttempt.address, address or "", cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
    ):
        times = db.session.exec(
            select(LoginAttempt.created_at).where(column == value, LoginAttempt.created_at > since)
            .order_by(LoginAttempt.created_at)
        ).all()
        waits.append(_wait_for(times, limit, now))
    waits = [w for w in waits if w is not None]
    return max(waits) if waits else None


def wait_minutes(wait):
    """Whole minutes to announce, rounded up so that the user never comes back too early."""
    return max(1, math.ceil(wait.total_seconds() / 60))


def record_failure(email, address):
    """Remember a failed attempt; attempts older than the window are dropped on the way."""
    db.session.exec(delete(LoginAttempt).where(LoginAttempt.created_at <= utcnow() - _window()))
    db.session.add(LoginAttempt(email=normalise_email(email)[:254], address=(address or "")[:64]))
    db.session.flush()


def clear_failures(email):
    """A successful sign-in forgives the account's past failures (not the address's)."""
    db.session.exec(delete(LoginAttempt).where(LoginAttempt.email == normalise_email(email)))
