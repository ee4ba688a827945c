from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlmodel import select

from fsi.accounts import services
from fsi.accounts.forms import LoginForm
from fsi.accounts.models import User
from fsi.db import db
from fsi.extensions import login_manager

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(user_id):
    ident, _sep, version = user_id.partition(":")
    if not ident.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or str(user.session_version) != version:
        return None
    return user


def safe_next(target, default="home.index"):
    """Only local paths: a ``next`` with a scheme or host would send the user elsewhere."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") \
                and "\\" not in target:
            return target
    return url_for(default)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Adresse e-mail ou mot de passe incorrect."))
        else:
            login_user(user, remember=form.remember.data)
            db.commit()
            return redirect(safe_next(form.next.data))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/profile")
@login_required
def profile():
    return render_template("accounts/profile.html")


@bp.route("/language", methods=["POST"])
def set_language():
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next")))


@bp.app_template_global()
def role_label(role):
    from fsi.accounts.models import ROLE_LABELS
    from fsi.i18n import pick

    return pick(ROLE_LABELS[role])
