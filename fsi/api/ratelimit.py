"""The rate limit of /api/ (Flask-Limiter): per token, or per client address for a request
without one; in memory by default, shared through Redis when ``RATELIMIT_STORAGE_URI`` says so
(``redis://127.0.0.1:6379/0``). ``API_RATE_LIMIT`` is the limit ("300 per minute")."""
from flask import current_app, request
from flask_limiter import Limiter

from fsi.api.auth import bearer
from fsi.api.blueprint import bp
from fsi.api.tokens import token_hash
from fsi.web import api_request

DEFAULTS = {"RATELIMIT_STORAGE_URI": "memory://", "API_RATE_LIMIT": "300 per minute",
            "RATELIMIT_HEADERS_ENABLED": True}


def caller():
    """The limit's key: the token as sent (its hash: the limit is counted before anything reads the
    database, a kept page is served without it), else the client's address."""
    text = bearer()
    return f"token:{token_hash(text)}" if text else address()


def address():
    return f"address:{request.remote_addr or '-'}"


def refused(response):
    return response.status_code == 401


def api_limit():
    return current_app.config["API_RATE_LIMIT"]


limiter = Limiter(key_func=caller, default_limits=[])
limiter.shared_limit(api_limit, scope="api", key_func=caller)(bp)  # one allowance for every route of /api/v1
# a text that is no valid token counts against its address too: made-up tokens never escape the limit
limiter.shared_limit(api_limit, scope="api-refused", key_func=address, deduct_when=refused)(bp)


def retry_after_only_when_refused(response):
    """Flask-Limiter sends Retry-After with every answer; a client should read it only on a 429."""
    if response.status_code != 429 and api_request():
        response.headers.pop("Retry-After", None)
    return response


def limit_api_requests():
    """Flask-Limiter's check, under /api/ only: the site's pages are not limited, and skip it."""
    if api_request():
        limiter._check_request_limit()


def init_app(app):
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.after_request(retry_after_only_when_refused)  # before the limiter's: runs after it
    limiter.init_app(app)
    # its check, which Flask-Limiter hooks on every request, is the first of the request's hooks: a
    # caller over the limit is refused before anything, a kept page (fsi.cache.serve_kept_page) included
    hooks = app.before_request_funcs.setdefault(None, [])
    if limiter._check_request_limit in hooks:  # not hooked when RATELIMIT_ENABLED is false
        hooks.remove(limiter._check_request_limit)
        hooks.insert(0, limit_api_requests)
