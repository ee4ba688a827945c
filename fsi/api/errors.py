"""The one error shape of the API: ``{"error": {"code", "message", "details": [...]}}``, built by
fsi.web.error_response (the request boundary's refusals use it too)."""
from flask import abort

from fsi.web import error_response


def api_abort(status, code, message, details=(), headers=None):
    """Stop the request with the API's error: e.g. ``api_abort(404, "not_found", "No such call.")``."""
    response = error_response(status, code, message, details)
    if headers:
        response.headers.update(headers)
    abort(response)
