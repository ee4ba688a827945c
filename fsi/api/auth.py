"""Who calls the API: only ``Authorization: Bearer <token>`` counts under /api/ (a session cookie
is ignored there, so no CSRF question). A valid token makes ``current_user`` its user for the
request, without creating a session."""
from functools import wraps

from flask import g, request
from flask_login import AnonymousUserMixin

from fsi.api import tokens
from fsi.api.errors import api_abort
from fsi.web import api_request

UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Bearer realm="FSI API"'}


def bearer():
    """The bearer's text in the request's Authorization header, or None."""
    scheme, _sep, text = request.headers.get("Authorization", "").partition(" ")
    return text.strip() if scheme.lower() == "bearer" and text.strip() else None


def current_token():
    """The request's valid token, or None (looked up once per request)."""
    if "api_token" not in g:
        found = tokens.authenticate(bearer())
        g.api_token = found[0] if found else None
        g.api_user = found[1] if found else None
    return g.api_token


#: pages under /api/ that people read in their browser (the site's chrome, their session): no data
BROWSER_PAGES = frozenset({"api.docs"})


def load_api_user():
    """Before every request under /api/: ``current_user`` is the token's user, or anonymous
    (flask_login reads ``g._login_user`` first, so the session is not consulted)."""
    if not api_request() or request.endpoint in BROWSER_PAGES:
        return
    token = current_token()
    g._login_user = g.api_user if token is not None else AnonymousUserMixin()
    if token is not None:
        tokens.touch(token)


def token_required(view):
    """401 (with ``WWW-Authenticate: Bearer``) unless the request carries a valid token."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_token() is None:
            message = ("Send a valid API token: Authorization: Bearer <token>." if bearer() is None
                       else "The API token is unknown or revoked.")
            api_abort(401, "unauthorized", message, headers=UNAUTHORIZED_HEADERS)
        return view(*args, **kwargs)

    return wrapper


def token_optional(view):
    """Public endpoints: they work without a token; a token sent must be valid (a 401 tells the
    caller its token is unknown or revoked rather than quietly serving it as anonymous)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if bearer() is not None and current_token() is None:
            api_abort(401, "unauthorized", "The API token is unknown or revoked.", headers=UNAUTHORIZED_HEADERS)
        return view(*args, **kwargs)

    return wrapper
