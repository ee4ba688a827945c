"""The axes and themes lists, editable by staff on one small page."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fsi.calls import services
from fsi.calls.access import can_manage_calls
from fsi.calls.forms import TaxonomyForm
from fsi.calls.models import Axis, Theme
from fsi.calls.rules import ensure_default_taxonomy
from fsi.calls.views import bp
from fsi.db import db

MODELS = {"axis": Axis, "theme": Theme}


@bp.route("/lists", methods=["GET", "POST"])
@login_required
def taxonomy():
    if not can_manage_calls(current_user):
        abort(403)
    forms = {kind: TaxonomyForm(prefix=kind) for kind in MODELS}
    kind = request.form.get("kind")
    if request.method == "POST" and kind in MODELS and forms[kind].validate_on_submit():
        form = forms[kind]
        services.add_taxonomy_entry(MODELS[kind], form.label_fr.data.strip(), (form.label_en.data or "").strip())
        db.commit()
        flash(_("Le libellé est ajouté."), "success")
        return redirect(url_for("calls.taxonomy"))
    return render_template("calls/taxonomy.html", forms=forms, axes=services.all_axes(),
                           themes=services.all_themes())


@bp.route("/lists/<kind>/<int:row_id>/toggle", methods=["POST"])
@login_required
def taxonomy_toggle(kind, row_id):
    if not can_manage_calls(current_user):
        abort(403)
    row = db.session.get(MODELS.get(kind) or abort(404), row_id) or abort(404)
    row.active = not row.active
    db.commit()
    return redirect(url_for("calls.taxonomy"))


@bp.route("/lists/defaults", methods=["POST"])
@login_required
def taxonomy_defaults():
    if not can_manage_calls(current_user):
        abort(403)
    added = ensure_default_taxonomy()
    db.commit()
    flash(_("%(n)d libellés par défaut ajoutés.", n=added), "success")
    return redirect(url_for("calls.taxonomy"))
