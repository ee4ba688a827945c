"""Trusted devices: "se souvenir de cet appareil" skips the second factor on one browser for
TWO_FACTOR_REMEMBER_DAYS. The cookie holds a random token; only its SHA-256 is kept, with the
user and the expiry, so the server can revoke it (second factor reset, « Fermer toutes mes sessions »,
a new password). Functions here flush, never commit.
"""
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete
from sqlmodel import select

from fsi.accounts.models import TrustedDevice
from fsi.accounts.tokens import token_hash
from fsi.db import db, utcnow

COOKIE = "fsi_device"


def lifetime():
    return timedelta(days=current_app.config["TWO_FACTOR_REMEMBER_DAYS"])


def trust(user):
    """A new trusted device for ``user``; returns the raw token for the cookie. The user's
    expired devices go."""
    now = utcnow()
    db.session.exec(delete(TrustedDevice).where(TrustedDevice.user_id == user.id, TrustedDevice.expires_at <= now))
    raw = secrets.token_urlsafe(32)
    db.session.add(TrustedDevice(user_id=user.id, token_hash=token_hash(raw), expires_at=now + lifetime()))
    db.session.flush()
    return raw


def is_trusted(user, raw):
    """Whether the cookie's token is one of ``user``'s devices, not expired."""
    if not raw:
        return False
    return db.session.exec(select(TrustedDevice.id).where(
        TrustedDevice.user_id == user.id, TrustedDevice.token_hash == token_hash(raw),
        TrustedDevice.expires_at > utcnow())).first() is not None


def forget_all(user):
    db.session.exec(delete(TrustedDevice).where(TrustedDevice.user_id == user.id))
