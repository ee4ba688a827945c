"""Calls for projects: everyone signed in reads them; staff create and edit them."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from fsi.calls import services
from fsi.calls.access import can_manage_calls, can_view_call
from fsi.calls.forms import CallForm
from fsi.calls.models import Call, schedule_of, shares_of
from fsi.calls.rules import KINDS, KINDS_BY_CODE, call_kinds
from fsi.calls.signals import call_page_links
from fsi.db import StaleObject
from fsi.errors import Refused
from fsi.hooks import collect
from fsi.i18n import pick
from fsi.web import get_or_404, render_form, requires, show_refusal
from fsi.workflow.definitions import get_workflow

bp = Blueprint("calls", __name__, url_prefix="/calls")


@bp.route("/")
@login_required
def index():
    open_calls, upcoming, closed = services.calls_by_status(include_upcoming=current_user.is_staff)
    return render_template("calls/index.html", open_calls=open_calls, upcoming=upcoming, closed=closed,
                           can_manage=can_manage_calls(current_user))


@bp.route("/<int:call_id>")
@login_required
def show(call_id):
    call = get_or_404(Call, call_id, visible_to=can_view_call)
    return render_template(
        "calls/show.html", call=call, description=services.render_markdown(call.description),
        kinds=call_kinds(call.id, enabled_only=True), kind_info=KINDS_BY_CODE, grid=services.grid(call.id),
        axes=services.call_axes(call.id), themes=services.call_themes(call.id),
        can_manage=can_manage_calls(current_user), links=collect(call_page_links, call, user=current_user),
        circuit=get_workflow(call.circuit))


def _fill_choices(form):
    form.axes.choices = [SelectChoice(a.id, pick(a.label)) for a in services.all_axes()]
    form.themes.choices = [SelectChoice(t.id, pick(t.label)) for t in services.all_themes()]


def _values(form):
    return {
        "title": form.title.data.strip(), "description": form.description.data or "",
        "opens_at": services.paris_to_utc(form.opens_at.data),
        "closes_at": services.paris_to_utc(form.closes_at.data),
        "envelope": form.envelope.data, "required_attachments": form.attachment_labels(),
        "min_project_cost": form.min_project_cost.data,
        "public_funding_max_rate": form.public_funding_max_rate.data,
        "organisation_ceiling": form.organisation_ceiling.data, "ceiling_months": form.ceiling_months.data,
        "agreement_threshold": form.agreement_threshold.data,
        "max_duration_months": form.max_duration_months.data,
        "auto_start_review": form.auto_start_review.data, "auto_complete_review": form.auto_complete_review.data,
        "circuit": form.circuit.data, "min_cost_includes_tax": form.min_cost_includes_tax.data == "1",
        "joint_grant_split": form.joint_grant_split.data,
        "max_extensions": form.max_extensions.data, "progress_reports": form.progress_reports.data,
        "payment_schedule": schedule_of(form.advance_share.data, form.progress_share.data),
    }


@bp.route("/new", methods=["GET", "POST"])
@requires(can_manage_calls)
def create():
    form = CallForm(data=_new_call_defaults() if request.method == "GET" else None)
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            call = services.create_call(_values(form), axis_ids=form.axes.data, theme_ids=form.themes.data,
                                        kinds=form.kinds_values(), criteria=form.criteria_values())
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(_("L'appel à projets est créé."), "success")
            return redirect(url_for("calls.show", call_id=call.id))
    return render_form("calls/edit.html", form=form, call=None, kind_info=KINDS_BY_CODE)


def _new_call_defaults():
    """The FSI's rules, as the column defaults of a Call and the defaults of each kind."""
    blank = Call()
    data = {name: getattr(blank, name) for name in (
        "min_project_cost", "public_funding_max_rate", "organisation_ceiling", "ceiling_months",
        "agreement_threshold", "max_duration_months", "max_extensions", "progress_reports")}
    data.update(_share_fields(blank.payment_schedule))
    data["kinds"] = [{"code": k.code, "rate": k.default_rate, "cap": k.default_cap, "enabled": True} for k in KINDS]
    data["criteria"] = [{}, {}, {}]
    return data


@bp.route("/<int:call_id>/edit", methods=["GET", "POST"])
@requires(can_manage_calls)
def edit(call_id):
    call = get_or_404(Call, call_id)
    form = CallForm(data=_existing_call_data(call) if request.method == "GET" else None)
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            services.update_call(call, form.expected_version(), _values(form), axis_ids=form.axes.data,
                                 theme_ids=form.themes.data, kinds=form.kinds_values(),
                                 criteria=form.criteria_values())
        except (Refused, StaleObject) as error:
            show_refusal(form, error)
        else:
            flash(_("L'appel à projets est enregistré."), "success")
            return redirect(url_for("calls.show", call_id=call.id))
    return render_form("calls/edit.html", form=form, call=call, kind_info=KINDS_BY_CODE)


def _share_fields(schedule):
    shares = shares_of(schedule)
    return {"advance_share": shares["agreement"], "progress_share": shares["progress"]}


def _existing_call_data(call):
    data = {name: getattr(call, name) for name in services.CALL_FIELDS}
    data["min_cost_includes_tax"] = "1" if call.min_cost_includes_tax else "0"
    data["opens_at"] = services.utc_to_paris(call.opens_at)
    data["closes_at"] = services.utc_to_paris(call.closes_at)
    data["required_attachments"] = "\n".join(call.required_attachments or [])
    data["version"] = call.version
    data.update(_share_fields(call.payment_schedule))
    data["axes"] = [a.id for a in services.call_axes(call.id)]
    data["themes"] = [t.id for t in services.call_themes(call.id)]
    data["kinds"] = [{"code": k.code, "rate": k.rate, "cap": k.cap, "enabled": k.enabled}
                     for k in call_kinds(call.id)]
    data["criteria"] = [{"id": c.id, "label": c.label, "description": c.description, "weight": c.weight,
                         "scale_min": c.scale_min, "scale_max": c.scale_max} for c in services.grid(call.id)]
    data["criteria"] += [{}, {}]
    return data
