"""The second factor: a TOTP code from an authenticator app (RFC 6238), or a recovery code.

Setting up keeps a new secret on the user until a first code confirms it; from then on the
code is asked after the password, unless the browser is a trusted device (fsi.accounts.devices).
Functions here flush, never commit.
"""
import secrets

import pyotp
import segno
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, update
from sqlmodel import select

from fsi.accounts import devices, throttle
from fsi.accounts.models import AccountEvent, AccountEventKind, AttemptKind, RecoveryCode, User
from fsi.accounts.services import FieldError, record_event
from fsi.accounts.tokens import token_hash
from fsi.db import db, utcnow
from fsi.i18n import lazy_gettext as _l

EVENT_LABELS = {
    AccountEventKind.two_factor_enabled: _l("Double authentification activée"),
    AccountEventKind.two_factor_disabled: _l("Double authentification désactivée"),
    AccountEventKind.two_factor_reset: _l("Double authentification réinitialisée"),
    AccountEventKind.codes_renewed: _l("Nouveaux codes de secours"),
    AccountEventKind.signed_out_all: _l("Déconnexion de tous les appareils"),
}
RECOVERY_CODES = 10
#: no 0/o, 1/l/i: a code read from paper is typed right
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def required(user):
    """Whether the user's role must sign in with a second factor (TWO_FACTOR_REQUIRED_ROLES)."""
    return user.role.value in current_app.config["TWO_FACTOR_REQUIRED_ROLES"]


def must_enrol(user):
    return required(user) and not user.has_second_factor


def history(user):
    """(event, actor's name) pairs, latest first, in one statement."""
    return db.session.exec(select(AccountEvent, User.full_name)
                           .outerjoin(User, AccountEvent.actor_id == User.id)
                           .where(AccountEvent.user_id == user.id)
                           .order_by(AccountEvent.created_at.desc(), AccountEvent.id.desc())).all()


# --- Setting up ----------------------------------------------------------------------------

def start_setup(user):
    """A new secret for the user to scan; the second factor is not asked until it is confirmed."""
    if user.has_second_factor:
        raise FieldError("code", _("La double authentification est déjà activée."))
    user.totp_secret = pyotp.random_base32()
    db.session.add(user)
    db.session.flush()


def provisioning(user):
    """What the setup page shows: the QR code (an SVG data URI, allowed by the CSP's img-src) and
    the secret in groups of four, for typing it in by hand."""
    uri = pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email,
                                                         issuer_name=current_app.config["TWO_FACTOR_ISSUER"])
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
    secret = " ".join(user.totp_secret[i:i + 4] for i in range(0, len(user.totp_secret), 4))
    return qr, secret


def confirm_setup(user, code):
    """The first code proves the app holds the secret: the second factor is on. Returns the
    recovery codes, to show once. Other sessions end (they began without the second factor)."""
    if not user.totp_secret or user.has_second_factor or not _accept_totp(user, code):
        raise FieldError("code", _("Ce code n'est pas valable. Saisissez le code à 6 chiffres affiché par "
                                   "l'application."))
    user.totp_enabled_at = utcnow()
    user.session_version += 1
    db.session.add(user)
    record_event(user, AccountEventKind.two_factor_enabled)
    return _new_recovery_codes(user)


def renew_recovery_codes(user):
    """New recovery codes replace the old ones; returns them, to show once."""
    record_event(user, AccountEventKind.codes_renewed)
    return _new_recovery_codes(user)


def remaining_codes(user):
    return db.session.exec(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).one()


def _new_recovery_codes(user):
    db.session.exec(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    codes = [f"{code[:5]}-{code[5:]}" for code in codes]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=token_hash(_plain(code))) for code in codes)
    db.session.flush()
    return codes


def _plain(code):
    return "".join(char for char in (code or "").lower() if char.isalnum())


# --- Turning it off --------------------------------------------------------------------------

def disable(user):
    """The user turns the second factor off (only when their role does not require it)."""
    if required(user):
        raise FieldError("password", _("Votre rôle impose la double authentification."))
    _clear(user)
    record_event(user, AccountEventKind.two_factor_disabled)


def reset(actor, user):
    """An admin (``actor``; None for ``flask fsi reset-two-factor``) resets a user's second factor
    (a lost phone): secret, recovery codes and trusted devices go, every session of the user ends;
    recorded with who did it."""
    _clear(user)
    user.session_version += 1
    record_event(user, AccountEventKind.two_factor_reset, actor=actor, by_command=actor is None)


def _clear(user):
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    db.session.add(user)
    db.session.exec(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    devices.forget_all(user)
    db.session.flush()


# --- Signing in --------------------------------------------------------------------------------

def verify(user, code, address):
    """The second step of a sign-in, throttled like the password (the attempt is written before
    the code is checked). Returns (accepted, wait, recovery codes left or None)."""
    _attempt, wait = throttle.begin_attempt(user.email, address, AttemptKind.second_factor)
    if wait is not None:
        return False, wait, None
    plain = _plain(code)
    if plain.isdigit():
        accepted, left = _accept_totp(user, plain), None
    else:
        accepted = _use_recovery_code(user, plain)
        left = remaining_codes(user) if accepted else None
    if accepted:
        throttle.clear_failures(user.email, AttemptKind.second_factor)
        user.last_login_at = utcnow()
        db.session.add(user)
    return accepted, None, left


def _accept_totp(user, code):
    """The code of the current 30-second step, or of the one before or after (clocks drift); each
    step's code is accepted once, even by two requests at the same moment (compare-and-swap)."""
    code = _plain(code)
    if not user.totp_secret or len(code) != 6 or not code.isdigit():
        return False
    totp, now = pyotp.TOTP(user.totp_secret), utcnow()
    step = next((totp.timecode(now) + shift for shift in (0, -1, 1)
                 if secrets.compare_digest(totp.generate_otp(totp.timecode(now) + shift), code)), None)
    if step is None:
        return False
    result = db.session.exec(update(User).where(
        User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    db.session.refresh(user, ["totp_last_step"])
    return True


def _use_recovery_code(user, plain):
    result = db.session.exec(update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == token_hash(plain), RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()))
    return result.rowcount == 1
