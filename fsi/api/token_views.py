"""The account page's API tokens card (accounts' ``profile_sections`` hook), and its two actions
under /profile/api-tokens (a web page, with CSRF; not under /api/)."""
from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from fsi.accounts import views as account_views
from fsi.api import tokens
from fsi.api.forms import TokenForm
from fsi.web import POST, back_to, flash_errors

web_bp = Blueprint("api_tokens", __name__)


def profile_section(user):
    """The tokens card on the account page; the token just created is shown there, once."""
    html = render_template("api/_tokens_card.html", tokens=tokens.of_user(user), form=TokenForm(formdata=None),
                           new_token=g.get("new_api_token"))
    return Markup(html)  # nosec B704 # our own template, autoescaped as it rendered


@login_required
def create():
    back_to(url_for("accounts.profile"))
    form = TokenForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return redirect(url_for("accounts.profile"))
    _token, g.new_api_token = tokens.create(current_user, form.name.data)
    # the account page itself, with the token to copy now (a flashed message is no place to copy
    # from); 201: something was created (a 200 to a POST is a form shown again, which writes nothing)
    return account_views.profile(), 201


@login_required
def revoke(token_id):
    if tokens.revoke(current_user, token_id):
        flash(_("Le jeton est révoqué : il ne fonctionne plus."), "success")
    return redirect(url_for("accounts.profile"))


web_bp.add_url_rule("/profile/api-tokens", "create", create, **POST)
web_bp.add_url_rule("/profile/api-tokens/<int:token_id>/revoke", "revoke", revoke, **POST)
