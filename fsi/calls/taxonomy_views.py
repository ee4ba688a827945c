"""The axes and themes lists, editable by staff on one small page."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from fsi.calls import services
from fsi.calls.access import can_manage_calls
from fsi.calls.forms import TaxonomyForm
from fsi.calls.models import Axis, Theme
from fsi.calls.rules import ensure_default_taxonomy
from fsi.web import get_or_404, render_form, requires

bp = Blueprint("taxonomy", __name__, url_prefix="/calls/lists")

MODELS = {"axis": Axis, "theme": Theme}


@bp.route("", methods=["GET", "POST"])
@requires(can_manage_calls)
def index():
    forms = {kind: TaxonomyForm(prefix=kind) for kind in MODELS}
    kind = request.form.get("kind")
    if request.method == "POST" and kind not in MODELS:
        abort(400)  # the hidden field says which list: anything else was not sent by this page
    if request.method == "POST" and forms[kind].validate_on_submit():
        form = forms[kind]
        services.add_taxonomy_entry(MODELS[kind], form.label_fr.data.strip(), (form.label_en.data or "").strip())
        flash(_("Le libellé est ajouté."), "success")
        return redirect(url_for("taxonomy.index"))
    return render_form("calls/taxonomy.html", forms=forms, axes=services.all_axes(), themes=services.all_themes())


@bp.route("/<kind>/<int:row_id>/toggle", methods=["POST"])
@requires(can_manage_calls)
def toggle(kind, row_id):
    services.toggle_taxonomy_entry(get_or_404(MODELS.get(kind) or abort(404), row_id))
    return redirect(url_for("taxonomy.index"))


@bp.route("/defaults", methods=["POST"])
@requires(can_manage_calls)
def defaults():
    added = ensure_default_taxonomy()
    flash(_("%(n)d libellés par défaut ajoutés.", n=added), "success")
    return redirect(url_for("taxonomy.index"))
