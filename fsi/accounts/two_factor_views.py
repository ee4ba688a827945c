"""The second factor's pages: the code after the password, and setting it up from the account page.
A user whose role requires it and who has none reaches nothing else until it is set up."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fsi.accounts import second_factor, services, sessions
from fsi.accounts.throttle import wait_minutes
from fsi.accounts.two_factor_forms import ConfirmSetupForm, PasswordCheckForm, SecondFactorForm
from fsi.web import flash_errors, render_form, safe_next, show_refusal

bp = Blueprint("two_factor", __name__)

#: what a user who must set up a second factor may still open
ENROLMENT_ENDPOINTS = frozenset({"two_factor.settings", "two_factor.start", "two_factor.confirm",
                                 "accounts.logout", "accounts.set_language", "static"})


@bp.before_app_request
def enrolment_first():
    if request.endpoint in ENROLMENT_ENDPOINTS or not current_user.is_authenticated:
        return None
    if second_factor.must_enrol(current_user):
        flash(_("Votre rôle impose la double authentification : configurez-la pour continuer."), "info")
        return redirect(url_for("two_factor.settings"))
    return None


@bp.route("/login/code", methods=["GET", "POST"])
def verify():
    waiting = sessions.pending()
    if waiting is None:
        flash(_("Votre connexion a expiré : saisissez à nouveau votre mot de passe."), "info")
        return redirect(url_for("accounts.login"))
    user, remember, next_url = waiting
    form = SecondFactorForm(days=current_app.config["TWO_FACTOR_REMEMBER_DAYS"])
    if form.validate_on_submit():
        accepted, wait, codes_left = second_factor.verify(user, form.code.data, request.remote_addr)
        if wait is not None:
            form.code.errors.append(_("Trop de codes erronés. Réessayez dans %(minutes)d minute(s).",
                                      minutes=wait_minutes(wait)))
        elif not accepted:
            form.code.errors.append(_("Ce code n'est pas valable."))
        else:
            sessions.open_session(user, remember)
            if codes_left is not None:
                flash(_("Code de secours utilisé : il vous en reste %(count)d.", count=codes_left), "info")
            response = redirect(safe_next(next_url))
            return sessions.trust_this_device(response, user) if form.remember_device.data else response
    return render_form("accounts/second_factor.html", form=form)


@bp.route("/profile/two-factor")
@login_required
def settings():
    user = current_user
    context = dict(required=second_factor.required(user), password_form=PasswordCheckForm())
    if user.has_second_factor:
        context["codes_left"] = second_factor.remaining_codes(user)
    elif user.totp_secret:
        context["qr"], context["secret"] = second_factor.provisioning(user)
        context["form"] = ConfirmSetupForm()
    return render_template("accounts/two_factor.html", **context)


@bp.route("/profile/two-factor/start", methods=["POST"])
@login_required
def start():
    """A new secret to scan (CSRFProtect checks the token of every POST)."""
    second_factor.start_setup(current_user._get_current_object())
    return redirect(url_for("two_factor.settings"))


@bp.route("/profile/two-factor/confirm", methods=["POST"])
@login_required
def confirm():
    user = current_user._get_current_object()
    form = ConfirmSetupForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_setup(user, form.code.data)
        except services.FieldError as error:
            show_refusal(form, error)
        else:
            # the other sessions ended; this one carries the new version
            sessions.open_session(user, remember=sessions.had_remember_cookie())
            return render_template("accounts/recovery_codes.html", codes=codes, first=True)
    if not user.totp_secret or user.has_second_factor:
        return redirect(url_for("two_factor.settings"))
    qr, secret = second_factor.provisioning(user)
    return render_form("accounts/two_factor.html", form=form, qr=qr, secret=secret,
                       required=second_factor.required(user), password_form=PasswordCheckForm())


@bp.route("/profile/two-factor/codes", methods=["POST"])
@login_required
def new_codes():
    return _with_password(lambda user: render_template(
        "accounts/recovery_codes.html", codes=second_factor.renew_recovery_codes(user), first=False))


@bp.route("/profile/two-factor/disable", methods=["POST"])
@login_required
def disable():
    def turn_off(user):
        second_factor.disable(user)
        flash(_("La double authentification est désactivée."), "success")
        return sessions.forget_this_device(redirect(url_for("accounts.profile")))

    return _with_password(turn_off)


def _with_password(act):
    """Ask the password again (throttled) before ``act(user)``; refused, back to the page."""
    user = current_user._get_current_object()
    form = PasswordCheckForm()
    if form.validate_on_submit():
        try:
            services.confirm_password(user, form.password.data, request.remote_addr)
            return act(user)
        except services.FieldError as error:
            show_refusal(form, error)
    flash_errors(form)
    return redirect(url_for("two_factor.settings"))
