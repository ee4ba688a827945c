"""Sign-in, sign-out, the user's own account and password, one-time links, language."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME

from fsi.accounts import services
from fsi.accounts.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, SetPasswordForm
from fsi.accounts.models import ORGANISATION_KIND_LABELS, ROLE_LABELS, Organisation, User
from fsi.accounts.throttle import wait_minutes
from fsi.db import db
from fsi.extensions import login_manager
from fsi.i18n import pick

bp = Blueprint("accounts", __name__)

login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")


@login_manager.user_loader
def load_user(user_id):
    """``id:session_version``: a password change or a deactivation ends every other session."""
    ident, _sep, version = user_id.partition(":")
    if not ident.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.active or str(user.session_version) != version:
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
        outcome = services.attempt_login(form.email.data, form.password.data, request.remote_addr)
        db.commit()  # failures are recorded even though the sign-in is refused
        if outcome.wait is not None:
            form.password.errors.append(_(
                "Trop de tentatives de connexion infructueuses. Réessayez dans %(minutes)d minute(s).",
                minutes=wait_minutes(outcome.wait)))
        elif outcome.user is None:
            form.password.errors.append(_("Adresse e-mail ou mot de passe incorrect."))
        else:
            login_user(outcome.user, remember=form.remember.data)
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
    organisation = db.session.get(Organisation, current_user.organisation_id) \
        if current_user.organisation_id else None
    return render_template("accounts/profile.html", organisation=organisation)


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except services.FieldError as error:
            form[error.field].errors.append(error.message)
        else:
            db.commit()
            # the session carries the new version; keep the remember cookie if there was one
            login_user(user, remember=current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies)
            flash(_("Votre mot de passe a été modifié. Vos autres sessions ont été fermées."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.commit()
        # the same answer whether or not the account exists
        flash(_("Si un compte actif correspond à cette adresse, un lien pour choisir un nouveau mot de "
                "passe vient d'y être envoyé."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    """Choose a password from a one-time link: a reset, or the invitation of a new user."""
    user = services.token_user(token)
    if user is None:
        return render_template("accounts/link_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(token, form.password.data)
        if user is None:
            return render_template("accounts/link_invalid.html"), 404
        db.commit()
        logout_user()
        flash(_("Votre mot de passe est enregistré. Vous pouvez maintenant vous connecter."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/set_password.html", form=form, user=user)


@bp.route("/language", methods=["POST"])
def set_language():
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next")))


@bp.app_template_global()
def role_label(role):
    return pick(ROLE_LABELS[role])


@bp.app_template_global()
def organisation_kind_label(kind):
    return pick(ORGANISATION_KIND_LABELS[kind])


@bp.app_template_filter()
def siren(value):
    """732829320 → 732 829 320, as printed on French company documents."""
    digits = str(value or "")
    return " ".join(digits[i:i + 3] for i in range(0, len(digits), 3))
