"""The JSON API's blueprint: every endpoint of /api/v1 (fsi.api.views) is one of its routes."""
from flask import Blueprint, request

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.after_request
def no_html_for_options(response):
    """Flask answers OPTIONS by itself with an empty text/html body: under /api/ it is a bodiless 204
    with the allowed methods (never an HTML page under /api/)."""
    if request.method == "OPTIONS" and response.mimetype == "text/html":
        response.status_code = 204
        response.set_data(b"")
        del response.headers["Content-Type"]
    return response
