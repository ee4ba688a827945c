"""The organisation records: the list with each one's totals, and one organisation's record (its
ceiling, its grants and payments year by year, its contacts, applications and projects), where
staff enter and remove the grants it obtained outside FSI."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fsi.accounts.models import ROLE_LABELS, Organisation, Territory
from fsi.db import db
from fsi.i18n import lazy_gettext as _l
from fsi.tracking import organisations
from fsi.tracking.access import can_track
from fsi.tracking.charts import bar_chart
from fsi.tracking.forms import DeleteOutsideGrantForm, OutsideGrantForm
from fsi.tracking.models import OutsideGrant
from fsi.web import back_to, card_form, get_or_404, render_form, requires


@requires(can_track)
def index():
    return render_template("tracking/organisations.html", rows=organisations.organisation_rows())


def _year_charts(years):
    """The year-by-year charts that have something to draw (the table gives every figure)."""
    granted = bar_chart(_l("Subventions FSI accordées par année"),
                        _l("Montant des subventions du FSI décidées chaque année (année de la décision)."),
                        [(str(row.year), row.granted) for row in years], _l("Accordé"), label_header=_l("Année"))
    paid = bar_chart(_l("Versements par année"),
                     _l("Montant versé par le FSI chaque année (année du versement)."),
                     [(str(row.year), row.paid) for row in years], _l("Versé"), label_header=_l("Année"))
    return [chart for chart in (granted, paid) if any(bar.value for bar in chart.bars)]


def _record(organisation, form):
    """What the record page shows."""
    years = organisations.per_year(organisation)
    return {
        "organisation": organisation,
        "territory": db.session.get(Territory, organisation.territory_id) if organisation.territory_id else None,
        "contacts": organisations.contacts_of(organisation),
        "role_labels": ROLE_LABELS,
        "ceiling": organisations.ceiling_of(organisation),
        "outside_grants": organisations.outside_grants_of(organisation),
        "years": years,
        "charts": _year_charts(years),
        "carried": organisations.applications_of(organisation),
        "form": form,
        "delete_form": DeleteOutsideGrantForm(formdata=None),
    }


@requires(can_track)
def record(organisation_id):
    organisation = get_or_404(Organisation, organisation_id)
    return render_template("tracking/organisation.html", **_record(organisation, OutsideGrantForm(formdata=None)))


@requires(can_track)
def add_outside_grant(organisation_id):
    organisation = get_or_404(Organisation, organisation_id)
    back_to(url_for("tracking.organisation", organisation_id=organisation.id))
    form = OutsideGrantForm()
    if form.validate_on_submit():
        organisations.add_outside_grant(organisation, current_user, funder=form.funder.data, label=form.label.data,
                                        amount=form.amount.data, granted_on=form.granted_on.data,
                                        note=form.note.data)
        flash(_("Subvention hors FSI enregistrée : elle compte dans le plafond de l'organisme."), "success")
        return redirect(url_for("tracking.organisation", organisation_id=organisation.id, _anchor="outside-grants"))
    return render_form("tracking/organisation.html", **_record(organisation, form))


@requires(can_track)
def delete_outside_grant(grant_id):
    grant = get_or_404(OutsideGrant, grant_id)
    back = back_to(url_for("tracking.organisation", organisation_id=grant.organisation_id,
                           _anchor="outside-grants"))
    return card_form(DeleteOutsideGrantForm(), lambda _form: organisations.delete_outside_grant(grant),
                     _("Subvention hors FSI supprimée."), back)
