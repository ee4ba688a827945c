"""Headers on every response and the error pages."""
from flask import current_app, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from fsi.web import api_request, error_response, http_error

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)


def set_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if current_app.config["ENV"] == "production":
        # production is served over HTTPS only (cookies are Secure): browsers should never try HTTP
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


def init_app(app):
    app.after_request(set_security_headers)

    def error_page(code):
        def handler(error):
            if api_request():
                return http_error(error) if isinstance(error, HTTPException) else \
                    error_response(code, "internal_server_error", "Internal server error.")
            return render_template("errors/error.html", code=code, error=error), code

        return handler

    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, error_page(code))
    app.register_error_handler(CSRFError, error_page(400))
    app.register_error_handler(OperationalError, database_unavailable)


#: seconds a client is asked to wait before trying again when the database did not answer
RETRY_AFTER = 5


def database_unavailable(error):
    """The database did not answer (restarted, unreachable, a statement cancelled): 503, nothing
    kept. A connection it dropped is discarded with the rolled-back transaction, so a reload works
    as soon as the database answers again (fsi.web ended the failed transaction)."""
    if api_request():
        response = error_response(503, "database_unavailable",
                                  "The database did not answer; nothing was saved. Try again in a moment.")
    else:
        response = current_app.make_response((render_template("errors/error.html", code=503, error=error), 503))
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response
