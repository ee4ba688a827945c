"""The home page: one per role, with what that role comes to FSI for."""
from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user

from fsi.accounts.models import Organisation, Role
from fsi.db import db

bp = Blueprint("home", __name__)


@bp.app_template_global()
def has_endpoint(endpoint):
    """Lets a page link to another domain's page only when that domain is installed."""
    return endpoint in current_app.view_functions


def _context(user):
    if user.role == Role.admin:
        from fsi.accounts.admin_services import counts

        return {"counts": counts()}
    if user.organisation_id:
        return {"organisation": db.session.get(Organisation, user.organisation_id)}
    return {}


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return render_template(f"home/{current_user.role.value}.html", **_context(current_user))
