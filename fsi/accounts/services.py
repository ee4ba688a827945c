"""Account rules: authentication, passwords, one-time links. Views, the CLI and tests all call these.

Functions here flush, never commit: the caller (view, command) commits once.
"""
import csv
import functools
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam
from sqlmodel import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from fsi.accounts import devices, throttle, tokens
from fsi.accounts.models import (
    AccountEvent,
    AccountEventKind,
    AttemptKind,
    Territory,
    TokenPurpose,
    User,
    normalise_email,
)
from fsi.cache import GENERATION_COLUMN, note_generation
from fsi.db import db, utcnow
from fsi.errors import Refused
from fsi.i18n import lazy_gettext as _l
from fsi.mail.render import absolute_url, queue_template_mail

LOGIN_MESSAGE = _l("Connectez-vous pour accéder à cette page.")

#: Long enough to resist guessing, no composition rules (NIST SP 800-63B).
PASSWORD_MIN_LENGTH = 10


class FieldError(Refused):
    """A rule broken by submitted data, reported next to ``field`` in the form."""

    def __init__(self, field, message):
        super().__init__(message, field=field)


def hash_password(password):
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(user, password):
    return bool(user.password_hash) and check_password_hash(user.password_hash, password or "")


def user_by_email(email):
    return db.session.exec(select(User).where(User.email == normalise_email(email))).first()


@functools.cache
def _decoy_hash(method):
    return generate_password_hash("decoy", method=method)


def authenticate(email, password):
    """The active user with these credentials, or None."""
    user = user_by_email(email)
    if user is None or not user.password_hash:
        # hash anyway: an unknown address must take as long to refuse as a wrong password
        check_password_hash(_decoy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password or "")
        return None
    if not verify_password(user, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


@dataclass
class LoginOutcome:
    user: User | None = None
    #: set when throttled: how long before trying again
    wait: timedelta | None = None


def attempt_login(email, password, address):
    """Throttling first (the attempt is recorded in a transaction of its own, so a refused sign-in
    stays counted whatever the request does), then the credentials."""
    _attempt, wait = throttle.begin_attempt(email, address)
    if wait is not None:
        return LoginOutcome(wait=wait)
    user = authenticate(email, password)
    if user is not None:
        throttle.clear_failures(email)
    return LoginOutcome(user=user)


#: built once: every signed-in request runs it (a third cheaper than ``Session.get``'s machinery
#: on a fresh session, where the identity map cannot answer anyway); the data's generation comes
#: along (fsi.cache)
_USER_BY_ID = select(User, GENERATION_COLUMN).where(User.id == bindparam("user_id"))


def user_from_session(user_id):
    """The user a session or remember-me cookie names (``id:session_version``), or None when the
    account is inactive or the version changed since: a logout, a password change or a
    deactivation ends every session and remember-me cookie issued before."""
    ident, _sep, version = (user_id or "").partition(":")
    if not ident.isdigit():
        return None
    found = db.session.execute(_USER_BY_ID, {"user_id": int(ident)}).first()
    if found is None:
        return None
    user, generation = found
    note_generation(generation)
    if not user.active or str(user.session_version) != version:
        return None
    return user


def end_sessions(user):
    """Every session and remember-me cookie of the user stops working, copies included (one
    UPDATE: two logouts at once both count)."""
    db.session.exec(update(User).where(User.id == user.id)
                    .values(session_version=User.session_version + 1)
                    .execution_options(synchronize_session=False))
    db.session.refresh(user, ["session_version"])


def sign_out_everywhere(user):
    """Every session ends and every trusted device is forgotten: the code is asked again."""
    end_sessions(user)
    devices.forget_all(user)
    record_event(user, AccountEventKind.signed_out_all)


def record_event(user, kind, actor=None, by_command=False):
    """An entry of the account's security history (the admin's user page): done by ``actor``, by
    the user themself, or from the command line (no actor)."""
    actor_id = None if by_command else (actor or user).id
    db.session.add(AccountEvent(user_id=user.id, actor_id=actor_id, kind=kind))
    db.session.flush()


def confirm_password(user, password, address):
    """The current password, asked again before a change of sign-in security; throttled like a
    sign-in. Raises FieldError("password", ...) when wrong or throttled."""
    _attempt, wait = throttle.begin_attempt(user.email, address)
    if wait is not None:
        raise FieldError("password", _(
            "Trop de tentatives de connexion infructueuses. Réessayez dans %(minutes)d minute(s).",
            minutes=throttle.wait_minutes(wait)))
    if not verify_password(user, password):
        raise FieldError("password", _("Le mot de passe est incorrect."))
    throttle.clear_failures(user.email)


def set_language(user, language):
    """The user's preferred language: the pages by default, and the mails they receive."""
    user.language = language
    db.session.add(user)
    db.session.flush()


def set_password(user, password):
    """New password; bumping session_version signs the user out everywhere else (sessions and
    remember-me cookies carry the old version, see ``User.get_id``)."""
    user.password_hash = hash_password(password)
    user.session_version += 1
    db.session.add(user)
    devices.forget_all(user)
    db.session.flush()


def change_password(user, current, new):
    """Password change by the user: the current password is required."""
    if not verify_password(user, current):
        raise FieldError("current_password", _("Le mot de passe actuel est incorrect."))
    set_password(user, new)
    queue_template_mail(user, _l("Votre mot de passe FSI a été modifié"),
                        "mail/accounts/password_changed.txt", user=user)


def request_password_reset(email):
    """Email a reset link if an active account has this address. Says nothing either way, so
    the page cannot be used to find out who has an account."""
    user = user_by_email(email)
    if user is None or not user.active:
        return
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    raw = tokens.issue_token(user, TokenPurpose.reset, timedelta(hours=hours))
    queue_template_mail(user, _l("Réinitialisation de votre mot de passe FSI"),
                        "mail/accounts/reset_password.txt", user=user, hours=hours,
                        link=absolute_url("accounts.reset_password", token=raw))


def ask_password_reset(email, address):
    """"Mot de passe oublié", rate limited per address typed and per client address whether or
    not an account has it: returns None when the request went through, else the time to wait."""
    _attempt, wait = throttle.begin_attempt(email, address, AttemptKind.reset)
    if wait is None:
        request_password_reset(email)
    return wait


def token_user(raw):
    """The user a usable reset or invitation link belongs to, or None."""
    token = tokens.find_usable_token(raw)
    if token is None:
        return None
    user = db.session.get(User, token.user_id)
    return user if user is not None and user.active else None


def reset_password(raw, password):
    """Use a one-time link to choose a password; returns the user, or None when the link is
    unknown, expired or already used."""
    token = tokens.find_usable_token(raw)
    user = db.session.get(User, token.user_id) if token else None
    if user is None or not user.active or not tokens.consume(token):
        return None
    set_password(user, password)
    return user


#: The region's departments and main EPCI (a copy of shared/reference/territories.csv).
TERRITORIES_CSV = Path(__file__).resolve().parent / "data" / "territories.csv"

TERRITORY_COLUMNS = ("department_code", "department", "region", "epci_kind", "epci")


def setup_territories():
    """Setup step of ``flask fsi init-db``: the region's reference territories."""
    return [f"Territoires : {load_territories()} territoire(s) ajouté(s)."]


def load_territories(path=None):
    """Add the territories of the CSV not known yet (by EPCI name); returns how many were added."""
    known = set(db.session.exec(select(Territory.epci)).all())
    added = 0
    with open(path or TERRITORIES_CSV, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(TERRITORY_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError("colonnes manquantes : " + ", ".join(sorted(missing)))
        for row in reader:
            if row["epci"] in known:
                continue
            db.session.add(Territory(**{k: row[k].strip() for k in TERRITORY_COLUMNS}))
            known.add(row["epci"])
            added += 1
    db.session.flush()
    return added
