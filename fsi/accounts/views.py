"""Sign-in, sign-out, the user's own account and password, one-time links, language."""
import time

from flask import (
    Blueprint,
    after_this_request,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME

from fsi.accounts import second_factor, services, sessions
from fsi.accounts.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, SetPasswordForm
from fsi.accounts.models import Organisation
from fsi.accounts.signals import profile_sections
from fsi.accounts.throttle import wait_minutes
from fsi.db import db
from fsi.hooks import collect
from fsi.web import render_form, safe_next, show_refusal

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        outcome = services.attempt_login(form.email.data, form.password.data, request.remote_addr)
        if outcome.wait is not None:
            form.password.errors.append(_(
                "Trop de tentatives de connexion infructueuses. Réessayez dans %(minutes)d minute(s).",
                minutes=wait_minutes(outcome.wait)))
        elif outcome.user is None:
            form.password.errors.append(_("Adresse de courriel ou mot de passe incorrect."))
        else:
            return sessions.after_password(outcome.user, form.remember.data, form.next.data)
    return render_form("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Ends this session and every copy of it: the user's session version changes, so a session
    or remember-me cookie copied before stops working too (as do the user's other sessions)."""
    if current_user.is_authenticated:
        services.end_sessions(current_user._get_current_object())
    sessions.close_session()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/profile/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    services.sign_out_everywhere(current_user._get_current_object())
    sessions.close_session()
    flash(_("Toutes vos sessions sont fermées et vos appareils de confiance oubliés."), "info")
    return sessions.forget_this_device(redirect(url_for("accounts.login")))


@bp.route("/profile")
@login_required
def profile():
    organisation = db.session.get(Organisation, current_user.organisation_id) \
        if current_user.organisation_id else None
    return render_template("accounts/profile.html", organisation=organisation,
                           two_factor_required=second_factor.required(current_user),
                           extra_sections=collect(profile_sections, current_user._get_current_object()))


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except services.FieldError as error:
            show_refusal(form, error)
        else:
            # the session carries the new version; keep the remember cookie if there was one
            login_user(user, remember=current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies)
            flash(_("Votre mot de passe a été modifié. Vos autres sessions ont été fermées."), "success")
            return redirect(url_for("accounts.profile"))
    return render_form("accounts/change_password.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        _answer_no_sooner_than(current_app.config["PASSWORD_RESET_ANSWER_SECONDS"])
        wait = services.ask_password_reset(form.email.data, request.remote_addr)
        if wait is not None:
            form.email.errors.append(_("Trop de demandes de réinitialisation. Réessayez dans %(minutes)d minute(s).",
                                       minutes=wait_minutes(wait)))
        else:
            # the same answer whether or not the account exists
            flash(_("Si un compte actif correspond à cette adresse, un lien pour choisir un nouveau mot de "
                    "passe vient d'y être envoyé."), "info")
            return redirect(url_for("accounts.login"))
    return render_form("accounts/forgot_password.html", form=form)


def _answer_no_sooner_than(seconds):
    """Hold this request's answer until ``seconds`` after now, after its commit too: an address with
    an account (a token and a mail written) answers in the same time as one without."""
    deadline = time.monotonic() + seconds

    @after_this_request
    def hold(response):
        time.sleep(max(0.0, deadline - time.monotonic()))
        return response


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
        logout_user()
        flash(_("Votre mot de passe est enregistré. Vous pouvez maintenant vous connecter."), "success")
        return redirect(url_for("accounts.login"))
    return render_form("accounts/set_password.html", form=form, user=user)


@bp.route("/language", methods=["POST"])
def set_language():
    """The language of this browser session, and the signed-in user's preference (their mails)."""
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            services.set_language(current_user._get_current_object(), lang)
    return redirect(safe_next(request.form.get("next")))
