"""Event pages: the public list and page, the calendar files (anyone); registering and cancelling
(members of housing bodies); creating, editing, cancelling, inviting, the registrations and the
roll call (staff)."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fsi import markdown
from fsi.calls.services import utc_to_paris
from fsi.db import StaleObject
from fsi.dissemination.events import calendar, mails, queries, registrations, services
from fsi.dissemination.events.access import (
    can_manage_events,
    can_register,
    has_begun,
    is_open_for_registration,
)
from fsi.dissemination.events.forms import ActionForm, AttendanceForm, CancelForm, EventForm
from fsi.dissemination.events.models import EVENT_KIND_LABELS, REGISTRATION_STATUS_LABELS, Event, RegistrationStatus
from fsi.errors import Refused
from fsi.i18n import pick
from fsi.web import back_to, get_or_404, render_form, requires, show_refusal


def _labels():
    return {"kind_labels": EVENT_KIND_LABELS, "status_labels": REGISTRATION_STATUS_LABELS,
            "statuses": RegistrationStatus}


# --- Public -----------------------------------------------------------------------------------

def index():
    upcoming = queries.rows_for(queries.upcoming_events(), current_user)
    past = queries.rows_for(queries.past_events(), current_user)
    return render_template("dissemination/events/index.html", upcoming=upcoming, past=past,
                           manage=can_manage_events(current_user), **_labels())


def show(event_id, slug=None):
    event = get_or_404(Event, event_id)
    if slug != event.slug:
        return redirect(url_for("events.show", event_id=event.id, slug=event.slug), 301)
    row = queries.rows_for([event], current_user)[0]
    mine = row.mine if row.mine is not None and row.mine.status != RegistrationStatus.cancelled else None
    return render_template(
        "dissemination/events/show.html", row=row, event=event, mine=mine,
        description=markdown.render(event.description, heading_offset=1),
        may_register=can_register(current_user) and is_open_for_registration(event) and mine is None,
        may_cancel=mine is not None and not has_begun(event) and event.cancelled_at is None,
        member=can_register(current_user), open=is_open_for_registration(event),
        manage=can_manage_events(current_user), action_form=ActionForm(), **_labels())


def _ics(body, filename):
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def ics(event_id):
    event = get_or_404(Event, event_id)
    return _ics(calendar.calendar([event]), f"{event.slug}.ics")


def feed():
    events = queries.upcoming_events()
    return _ics(calendar.calendar(events, name=_("FSI — Ateliers et clubs de réflexion")), "fsi-evenements.ics")


# --- Members of housing bodies ------------------------------------------------------------------

@requires(can_register)
def register(event_id):
    event = get_or_404(Event, event_id)
    back_to(url_for("events.show", event_id=event.id, slug=event.slug))
    if ActionForm().validate_on_submit():
        registration = registrations.register(event, current_user)
        if registration.status == RegistrationStatus.registered:
            flash(_("Vous êtes inscrit."), "success")
        else:
            flash(_("L'événement est complet : vous êtes sur la liste d'attente. Un courriel vous préviendra si "
                    "une place se libère."), "success")
    return redirect(url_for("events.show", event_id=event.id, slug=event.slug))


@requires(can_register)
def unregister(event_id):
    event = get_or_404(Event, event_id)
    back_to(url_for("events.show", event_id=event.id, slug=event.slug))
    if ActionForm().validate_on_submit():
        registrations.cancel_registration(event, current_user)
        flash(_("Votre inscription est annulée."), "success")
    return redirect(url_for("events.show", event_id=event.id, slug=event.slug))


# --- Staff ------------------------------------------------------------------------------------

def _choose(form, event=None):
    sheet_ids, application_ids = services.linked_ids(event) if event else ([], [])
    themes = queries.theme_choices()
    form.theme.choices = [(None, _("Aucun"))] + [(theme.id, pick(theme.label)) for theme in themes]
    if event and event.theme_id and event.theme_id not in {theme.id for theme in themes}:
        form.theme.choices.append((event.theme_id, _("Thème retiré")))
    form.sheets.choices = queries.sheet_choices(sheet_ids)
    form.projects.choices = queries.project_choices()
    return sheet_ids, application_ids


@requires(can_manage_events)
def new():
    form = EventForm()
    _choose(form)
    if form.validate_on_submit():
        try:
            event = services.create_event(form.values(), current_user, sheet_ids=form.sheets.data,
                                          application_ids=form.projects.data)
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(_("Événement créé."), "success")
            return redirect(url_for("events.manage", event_id=event.id))
    return render_form("dissemination/events/edit.html", form=form, event=None)


@requires(can_manage_events)
def edit(event_id):
    event = get_or_404(Event, event_id)
    if request.method == "POST":
        form = EventForm()
        _choose(form, event)
    else:
        form = EventForm(formdata=None, obj=event, theme=event.theme_id, version=event.version,
                         starts_at=utc_to_paris(event.starts_at), ends_at=utc_to_paris(event.ends_at),
                         kind=event.kind.value)
        form.sheets.data, form.projects.data = _choose(form, event)
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.update_event(event, form.version.data, form.values(), sheet_ids=form.sheets.data,
                                  application_ids=form.projects.data)
        except (Refused, StaleObject) as error:
            show_refusal(form, error)
        else:
            flash(_("Événement enregistré."), "success")
            return redirect(url_for("events.manage", event_id=event.id))
    return render_form("dissemination/events/edit.html", form=form, event=event)


@requires(can_manage_events)
def manage(event_id):
    """The organiser's page: who registered, the waiting list, the roll call, invitations, cancel."""
    event = get_or_404(Event, event_id)
    rows = queries.registrations_of(event)
    registered = [(r, u, o) for r, u, o in rows if r.status == RegistrationStatus.registered]
    form = AttendanceForm()
    form.present.choices = [(r.id, u.full_name) for r, u, _o in registered]
    if request.method == "POST":
        if form.validate_on_submit():
            count = registrations.record_attendance(event, form.present.data)
            flash(_("Présence enregistrée : %(count)d présent(s).", count=count), "success")
            return redirect(url_for("events.manage", event_id=event.id))
        flash(_("La liste de présence n'a pas pu être lue : rechargez la page."), "error")
    else:
        form.present.data = [r.id for r, _u, _o in registered if r.attended]
    return render_template(
        "dissemination/events/manage.html", event=event, rows=rows, registered=registered, form=form,
        row=queries.rows_for([event])[0], begun=has_begun(event), action_form=ActionForm(),
        cancel_form=CancelForm(formdata=None, data={"version": event.version}) if event.cancelled_at is None
        else None, **_labels())


@requires(can_manage_events)
def invite(event_id):
    event = get_or_404(Event, event_id)
    back_to(url_for("events.manage", event_id=event.id))
    if not is_open_for_registration(event):
        raise Refused(_("Les inscriptions à cet événement sont closes : aucune invitation envoyée."))
    if ActionForm().validate_on_submit():
        count = mails.send_invitations(event)
        flash(_("%(count)d invitation(s) mise(s) en file d'envoi.", count=count), "success")
    return redirect(url_for("events.manage", event_id=event.id))


@requires(can_manage_events)
def cancel(event_id):
    event = get_or_404(Event, event_id)
    back_to(url_for("events.manage", event_id=event.id))
    form = CancelForm()
    if form.validate_on_submit():
        services.cancel_event(event, form.version.data, form.reason.data)
        flash(_("Événement annulé ; les inscrits sont prévenus."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("events.manage", event_id=event.id))
