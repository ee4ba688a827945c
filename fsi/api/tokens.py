"""Personal API tokens: created (the text shown once), found from a request's bearer, revoked.
Only the SHA-256 of the text is stored, so a database leak gives no usable token."""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import bindparam
from sqlmodel import or_, select, update

from fsi.accounts.models import User
from fsi.api.models import ApiToken
from fsi.cache import GENERATION_COLUMN, changes_access, note_generation
from fsi.db import db, utcnow
from fsi.errors import Refused
from fsi.i18n import lazy_gettext as _l

PREFIX = "fsi_"
#: how often the last use is written at most (a GET must not write through the request's session)
TOUCH_EVERY = timedelta(minutes=1)


def token_hash(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def create(user, name):
    """A new token for ``user``: (the row, the token's text, to show once)."""
    name = (name or "").strip()
    if not name:
        raise Refused([str(_l("Donnez un nom au jeton."))])
    text = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name[:80], token_hash=token_hash(text), prefix=text[:8])
    db.session.add(token)
    db.session.flush()
    return token, text


def of_user(user):
    """The user's tokens still in use, newest first."""
    return db.session.exec(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                           .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())).all()


def revoke(user, token_id):
    """The user's token stops working at once; False when it is not theirs (or already revoked)."""
    result = db.session.exec(update(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id,
                                                    ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow()))
    changes_access(db.session)  # the API's kept pages are served without checking the token again
    return result.rowcount == 1


#: built once: every API request runs it; the data's generation comes along (fsi.cache)
_TOKEN_AND_USER = (select(ApiToken, User, GENERATION_COLUMN).join(User, User.id == ApiToken.user_id)
                   .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None)))


def authenticate(text):
    """(token, user) for a bearer's text, or None: unknown, revoked, or its user inactive."""
    if not text or not text.startswith(PREFIX) or len(text) > 200:
        return None
    found = db.session.execute(_TOKEN_AND_USER, {"token_hash": token_hash(text)}).first()
    if found is None:
        return None
    token, user, generation = found
    note_generation(generation)
    return (token, user) if user.active else None


def touch(token):
    """Note the token's use, at most once every TOUCH_EVERY, in a transaction of its own (the
    request's may be a GET, which never writes, or roll back)."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    with db.separate_transaction() as session:
        session.exec(update(ApiToken).where(ApiToken.id == token.id, or_(
            ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOUCH_EVERY)).values(last_used_at=now))
