"""Signing in and out on this browser (the HTTP edge of sign-in): the session, the remember-me
cookie, the CSRF token, the second step awaiting its code, the trusted-device cookie."""
import time

from flask import current_app, g, redirect, request, session, url_for
from flask_login import login_user, logout_user
from flask_login.config import COOKIE_NAME

from fsi.accounts import devices, second_factor, services
from fsi.web import safe_next

#: the session's key for a sign-in whose password was right and whose code is awaited
PENDING = "second_factor"


def _csrf_key():
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def _drop_csrf_token():
    """Flask-WTF keeps the token in the session: without it, the next form gets a new one."""
    session.pop(_csrf_key(), None)
    g.pop(_csrf_key(), None)


def after_password(user, remember, next_url):
    """Where a right password leads: the code, when the user has a second factor and this browser
    is not trusted; else signed in, and to enrolment when their role requires a second factor."""
    if user.has_second_factor and not devices.is_trusted(user, request.cookies.get(devices.COOKIE)):
        _drop_csrf_token()
        session[PENDING] = {"user": user.get_id(), "remember": bool(remember), "next": next_url or "",
                            "since": int(time.time())}
        return redirect(url_for("two_factor.verify"))
    open_session(user, remember)
    if second_factor.must_enrol(user):
        return redirect(url_for("two_factor.settings"))
    return redirect(safe_next(next_url))


def pending():
    """(user, remember, next) of the sign-in awaiting its code, or None: none, older than
    TWO_FACTOR_STEP_MINUTES, or the user's sessions ended meanwhile."""
    waiting = session.get(PENDING)
    if not waiting or time.time() - waiting.get("since", 0) > current_app.config["TWO_FACTOR_STEP_MINUTES"] * 60:
        return None
    user = services.user_from_session(waiting.get("user"))
    return (user, waiting.get("remember", False), waiting.get("next", "")) if user else None


def open_session(user, remember):
    """Signed in on this browser, with a new CSRF token: a token seen before signing in is not
    carried into the session."""
    session.pop(PENDING, None)
    _drop_csrf_token()
    login_user(user, remember=remember)


def had_remember_cookie():
    """Whether this browser chose « Rester connecté » (to keep it when the session is renewed)."""
    return current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies


def close_session():
    session.pop(PENDING, None)
    _drop_csrf_token()
    logout_user()


def trust_this_device(response, user):
    """Set the trusted-device cookie on ``response`` (HttpOnly, SameSite=Lax, Secure in production)."""
    response.set_cookie(devices.COOKIE, devices.trust(user), max_age=int(devices.lifetime().total_seconds()),
                        httponly=True, samesite="Lax", secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


def forget_this_device(response):
    response.delete_cookie(devices.COOKIE, httponly=True, samesite="Lax")
    return response
