"""One-time links (password reset, invitation): the raw token goes in the email, only its
SHA-256 is stored, so a database leak gives no usable link."""
import hashlib
import secrets

from sqlmodel import select, update

from fsi.accounts.models import AuthToken, TokenPurpose
from fsi.db import db, utcnow


def token_hash(raw):
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue_token(user, purpose: TokenPurpose, lifetime):
    """A new token for ``user``; earlier unused tokens of the same purpose stop working."""
    now = utcnow()
    db.session.exec(
        update(AuthToken)
        .where(AuthToken.user_id == user.id, AuthToken.purpose == purpose, AuthToken.used_at.is_(None))
        .values(used_at=now)
    )
    raw = secrets.token_urlsafe(32)
    db.session.add(AuthToken(user_id=user.id, purpose=purpose, token_hash=token_hash(raw),
                             expires_at=now + lifetime))
    db.session.flush()
    return raw


def find_usable_token(raw, purposes=tuple(TokenPurpose)):
    """The token row if ``raw`` is known, unused and not expired; else None."""
    if not raw:
        return None
    token = db.session.exec(select(AuthToken).where(AuthToken.token_hash == token_hash(raw))).first()
    if token is None or token.purpose not in purposes or token.used_at is not None \
            or token.expires_at <= utcnow():
        return None
    return token


def consume(token):
    """Mark the token used, once: a concurrent second use finds it already used and fails."""
    result = db.session.exec(
        update(AuthToken).where(AuthToken.id == token.id, AuthToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    return result.rowcount == 1
