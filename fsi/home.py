"""The home page: one per role."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return render_template(f"home/{current_user.role.value}.html")
