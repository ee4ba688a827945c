"""The request boundary every domain's views share (Indico's ``RH.process``, pretalx's atomic
requests): load or 404, check a named predicate or 403, one transaction per request, and one
way to answer a refusal.

- ``get_or_404(Model, id, visible_to=predicate)``: absent, or not visible to the user, is 404
  (others' files do not even exist for them).
- ``@requires(predicate)``: ``predicate(user)`` or 403; anonymous visitors go to the login page.
- The transaction: a view never commits. Its writes are committed once, after it returned a
  response below 400 to a POST (or PUT, PATCH, DELETE); anything else rolls back: a GET never
  writes, a form shown again with its errors (``render_form``: 422) keeps nothing, and an
  exception undoes everything.
- Refusals: a view lets ``Refused`` (any domain's rule), ``StaleObject`` (changed meanwhile) and
  ``IntegrityError`` (a concurrent duplicate) go; they become the reasons flashed and a redirect
  to where the user came from (``back_to(url)`` names it), or a JSON error under /api/.
"""
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from fsi.db import SAFE_METHODS, StaleObject, db
from fsi.errors import Refused
from fsi.extensions import login_manager
from fsi.i18n import lazy_gettext as _l
from fsi.i18n import pick
from fsi.limits import CONTROL, INT_MAX, bounded_int

#: what a blueprint's add_url_rule takes for an action (POST) and for a page with its form
POST = {"methods": ["POST"]}
FORM = {"methods": ["GET", "POST"]}
STALE_MESSAGE = _l("Ces données ont été modifiées entre-temps par quelqu'un d'autre : rechargez la page "
                   "et recommencez.")
CONFLICT_MESSAGE = _l("Cette modification entre en conflit avec une autre, enregistrée au même moment : "
                      "rechargez la page.")


class Id(IntegerConverter):
    """``<int:...>`` in a route: beyond what an id column holds is 404, never an overflow."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, whose signer is built once per set of keys: Flask builds it
    twice a request, a twentieth of a kept page."""

    _signer = (None, None)  # (the keys, the signer)

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        built_for, signer = self._signer
        if built_for != keys:
            signer = super().get_signing_serializer(app)
            self._signer = (keys, signer)
        return signer


class App(Flask):
    """Flask with the request boundary: the view's writes commit once, or roll back."""

    session_interface = CookieSessions()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.url_map.converters["int"] = Id

    def handle_user_exception(self, e):
        # whatever failed, the view or what ran before it (loading the user), ends its transaction
        # here, before any error handler: an error page reads the user again, never through a
        # failed transaction, and nothing is kept
        db.rollback()
        return super().handle_user_exception(e)

    def dispatch_request(self):
        response = self.make_response(super().dispatch_request())
        if request.method in SAFE_METHODS and db.wrote():
            db.rollback()
            raise ReadOnlyRequest(f"{request.method} {request.path} wrote to the database: only a POST may")
        if request.method in SAFE_METHODS or response.status_code >= 400:
            db.rollback()
        else:
            db.commit()  # a failure here (a concurrent duplicate) reaches the error handlers
        return response


class ReadOnlyRequest(RuntimeError):
    """A GET tried to write: a bug (a 500, and a failing test), never silently kept."""


# --- Loading and access -------------------------------------------------------------------

def get_or_404(model, ident, visible_to=None):
    """The row, or 404 when it does not exist or ``visible_to(row, user)`` says the current user
    may not see it."""
    ident = bounded_int(ident)  # a posted id may be anything
    row = db.session.get(model, ident) if ident is not None else None
    if row is None or (visible_to is not None and not visible_to(row, current_user)):
        abort(404)
    return row


def requires(predicate):
    """Anonymous visitors go to the login page; signed-in users failing ``predicate(user)`` get 403."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                if api_request():
                    abort(401)
                return login_manager.unauthorized()
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def check(allowed):
    """403 unless ``allowed`` (an object-level predicate's answer)."""
    if not allowed:
        abort(403)


# --- Where to go next ---------------------------------------------------------------------

def safe_next(target, default="home.index"):
    """Only local paths: a ``next`` with a scheme or host would send the user elsewhere."""
    if target and "\\" not in target and not CONTROL.search(target):  # CR, LF, NUL... split headers
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for(default)


def back_to(url):
    """Where this request returns, whether it succeeds or a refusal redirects; returns ``url``."""
    g.back_to = url
    return url


def back_url():
    """Where a refused request goes: the view's ``back_to``, the form's ``next``, the page the
    user came from (on this site), or the home page."""
    if g.get("back_to"):
        return g.back_to
    if request.form.get("next"):
        return safe_next(request.form.get("next"))
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return safe_next(referrer.path + (f"?{referrer.query}" if referrer.query else ""))
    return url_for("home.index")


# --- Forms ----------------------------------------------------------------------------------

def render_form(template, **context):
    """A form page: 200 when first shown, 422 when a submitted form comes back with its errors
    (the boundary then keeps nothing the view may have written)."""
    return render_template(template, **context), 200 if request.method in SAFE_METHODS else 422


def show_refusal(form, error):
    """Put a refusal next to its field (or above the form) and keep what the user typed. What
    the refused operation wrote is rolled back at once, so the page shows what is saved."""
    db.rollback()
    message = str(STALE_MESSAGE) if isinstance(error, StaleObject) else error.message
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors = list(form[field].errors) + [message]
    else:
        form.form_errors.append(message)


def card_form(form, act, done, back):
    """A small form posted from a card of a larger page: when it validates, ``act(form)`` and
    flash ``done`` (a message, or a function of what ``act`` returned); else flash its errors.
    Back to the page either way."""
    if form.validate_on_submit():
        result = act(form)
        flash(done(result) if callable(done) else done, "success")
    else:
        flash_errors(form)
    return redirect(back)


def flash_errors(form):
    """A form posted from a page that is not its own (a card of a larger page): its errors are
    flashed, each with its field's label, and the view redirects back."""
    for name, errors in form.errors.items():
        label = form[name].label.text if name in form else name
        for error in errors:
            flash(f"{label} : {error}", "error")


# --- Refusals ---------------------------------------------------------------------------------

def api_request():
    """Under /api/: every answer is JSON, errors included."""
    return request.path.startswith("/api/")


def wants_json():
    return api_request() or request.is_json


def error_response(status, code, message, details=()):
    """The JSON error: ``{"error": {"code", "message", "details": [...]}}`` with ``status``."""
    response = jsonify(error={"code": code, "message": message, "details": [str(d) for d in details]})
    response.status_code = status
    return response


def http_error(error):
    """An HTTP error (404, 405, 429...) under /api/ in the JSON shape; elsewhere unchanged (the
    error pages of fsi.security)."""
    code = (error.name or "error").lower().replace(" ", "_").replace("'", "")
    response = error_response(error.code or 500, code, error.description or error.name)
    for name, value in (error.get_headers() if error.response is None else ()):
        if name.lower() not in ("content-type", "content-length"):
            response.headers[name] = value  # Allow (405), Retry-After (429)...
    return response


def refusal(reasons, status, code):
    """The refusal's answer: JSON under /api/, else the reasons flashed and a redirect back."""
    if wants_json():
        return error_response(status, code, " ".join(reasons), reasons)
    for reason in reasons:
        flash(reason, "error")
    return redirect(back_url())


def on_refused(error):
    db.rollback()
    reasons = error.reasons
    action = getattr(error, "action", None)
    if action and not wants_json():
        reasons = [_("« %(action)s » impossible : %(reasons)s", action=pick(action), reasons=" ".join(reasons))]
    return refusal(reasons, 422, "refused")


def on_stale(error):
    db.rollback()
    return refusal([str(STALE_MESSAGE)], 409, "stale")


def on_conflict(error):
    db.rollback()
    return refusal([str(CONFLICT_MESSAGE)], 409, "conflict")


def on_http_error(error):
    """Any HTTP error without a page of its own (401, 409, 415, 422, 429...): JSON under /api/."""
    return http_error(error) if api_request() and error.code else error


def init_app(app):
    app.register_error_handler(HTTPException, on_http_error)
    app.register_error_handler(Refused, on_refused)
    app.register_error_handler(StaleObject, on_stale)
    app.register_error_handler(IntegrityError, on_conflict)
