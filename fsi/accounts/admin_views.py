"""Administration of users (admins) and organisations (admins; staff read-only)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fsi.accounts import admin_services as ops
from fsi.accounts import second_factor
from fsi.accounts.access import can_administer, can_view_organisations
from fsi.accounts.admin_forms import EditUserForm, InviteUserForm, OrganisationForm, VersionedForm
from fsi.accounts.models import Organisation, Territory, User
from fsi.accounts.services import FieldError
from fsi.db import StaleObject, db
from fsi.web import back_to, get_or_404, render_form, requires, show_refusal

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@requires(can_administer)
def users():
    query = request.args.get("q", "")
    page = request.args.get("page", 1, type=int)
    rows, total, page = ops.search_users(query, page)
    return render_template("admin/users.html", rows=rows, total=total, query=query, page=page,
                           page_size=ops.PAGE_SIZE)


@bp.route("/users/invite", methods=["GET", "POST"])
@requires(can_administer)
def invite_user():
    form = InviteUserForm(organisations=ops.organisations_for_choice())
    if form.validate_on_submit():
        try:
            user = ops.invite_user(current_user, email=form.email.data, full_name=form.full_name.data,
                                   role=form.role.data, organisation_id=form.organisation_id.data)
        except FieldError as error:
            show_refusal(form, error)
        else:
            flash(_("Invitation envoyée à %(email)s.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_form("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires(can_administer)
def edit_user(user_id):
    user = get_or_404(User, user_id)
    form = EditUserForm(obj=user, organisations=ops.organisations_for_choice())
    if request.method == "GET":
        form.role.data = user.role.value
    if form.validate_on_submit():
        try:
            ops.update_user(current_user, user, form.expected_version(), full_name=form.full_name.data,
                            role=form.role.data, organisation_id=form.organisation_id.data)
        except (FieldError, StaleObject) as error:
            show_refusal(form, error)
        else:
            flash(_("Compte de %(name)s enregistré.", name=user.full_name), "success")
            return redirect(url_for("admin.users"))
    return render_form("admin/user_form.html", form=form, user=user, security=second_factor.history(user))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@requires(can_administer)
def set_user_active(user_id):
    user = get_or_404(User, user_id)
    back = back_to(url_for("admin.edit_user", user_id=user.id))
    form = VersionedForm()
    if not form.validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    ops.set_user_active(current_user, user, form.expected_version(), active)
    flash(_("Compte réactivé.") if active else _("Compte désactivé : la personne ne peut plus se connecter."),
          "success")
    return redirect(back)


@bp.route("/users/<int:user_id>/two-factor/reset", methods=["POST"])
@requires(can_administer)
def reset_two_factor(user_id):
    """A lost phone: the user sets up a second factor again at their next sign-in."""
    user = get_or_404(User, user_id)
    if not VersionedForm().validate_on_submit():
        abort(400)
    second_factor.reset(current_user, user)
    flash(_("Double authentification de %(name)s réinitialisée : ses sessions sont fermées.", name=user.full_name),
          "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/invite", methods=["POST"])
@requires(can_administer)
def resend_invitation(user_id):
    user = get_or_404(User, user_id)
    if not VersionedForm().validate_on_submit():
        abort(400)
    ops.send_invitation(user, current_user)
    flash(_("Nouvelle invitation envoyée à %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/organisations")
@requires(can_view_organisations)
def organisations():
    query = request.args.get("q", "")
    return render_template("admin/organisations.html", rows=ops.search_organisations(query), query=query,
                           can_edit=can_administer(current_user))


@bp.route("/organisations/new", methods=["GET", "POST"])
@requires(can_administer)
def create_organisation():
    form = OrganisationForm(territories=ops.territories())
    if form.validate_on_submit():
        try:
            organisation = ops.create_organisation(**_organisation_data(form))
        except FieldError as error:
            show_refusal(form, error)
        else:
            flash(_("Organisme « %(name)s » créé.", name=organisation.name), "success")
            return redirect(url_for("admin.organisations"))
    return render_form("admin/organisation_form.html", form=form, organisation=None)


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@requires(can_view_organisations)
def edit_organisation(organisation_id):
    organisation = get_or_404(Organisation, organisation_id)
    if not can_administer(current_user):
        if request.method != "GET":
            abort(403)
        territory = db.session.get(Territory, organisation.territory_id) if organisation.territory_id else None
        return render_template("admin/organisation.html", organisation=organisation, territory=territory)
    form = OrganisationForm(obj=organisation, territories=ops.territories())
    if request.method == "GET":
        form.kind.data = organisation.kind.value
    if form.validate_on_submit():
        try:
            ops.update_organisation(organisation, form.expected_version(), **_organisation_data(form))
        except (FieldError, StaleObject) as error:
            show_refusal(form, error)
        else:
            flash(_("Organisme « %(name)s » enregistré.", name=organisation.name), "success")
            return redirect(url_for("admin.organisations"))
    return render_form("admin/organisation_form.html", form=form, organisation=organisation)


def _organisation_data(form):
    return dict(name=form.name.data, kind=form.kind.data, siren=form.siren.data,
                department_code=form.department_code.data, territory_id=form.territory_id.data,
                active=form.active.data)
