"""The national circuit's pages (staff): the calendar of the CGLLS's comité des aides, sending a
file on (to the federation, to the CGLLS) and recording the national decision."""
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from fsi.applications.models import Application
from fsi.db import StaleObject, db
from fsi.errors import Refused
from fsi.formatting import day
from fsi.i18n import pick, today
from fsi.review import national
from fsi.review.access import can_assess
from fsi.review.eligibility import opinion_of
from fsi.review.forms import EmptyForm, NationalDecisionForm, NationalSessionForm, TransmissionForm
from fsi.review.models import NationalSession
from fsi.web import back_to, card_form, get_or_404, render_form, requires, show_refusal
from fsi.workflow.registry import ACTION_PAGES, definition_of
from fsi.workflow.service import available_actions
from fsi.workflow.ui import without_guards

# --- The calendar ---------------------------------------------------------------------------------

def _saved(form, session, message):
    """Adds or edits a calendar entry from a valid form; a refusal is shown on the form."""
    if not form.validate_on_submit():
        return False
    try:
        national.save_national_session(session, form.meets_on.data, form.label.data, form.notes.data)
    except Refused as error:
        show_refusal(form, error)
        return False
    flash(message, "success")
    return True


@requires(can_assess)
def national_sessions():
    form = NationalSessionForm()
    if _saved(form, None, _("Séance ajoutée au calendrier.")):
        return redirect(url_for("review.national_sessions"))
    return render_form("review/national_sessions.html", form=form, sessions=national.national_sessions(),
                       empty_form=EmptyForm(), today=today())


@requires(can_assess)
def edit_national_session(session_id):
    session = get_or_404(NationalSession, session_id)
    form = NationalSessionForm(obj=session)
    if _saved(form, session, _("Séance modifiée.")):
        return redirect(url_for("review.national_sessions"))
    return render_form("review/national_session_form.html", form=form, session=session)


@requires(can_assess)
def delete_national_session(session_id):
    session = get_or_404(NationalSession, session_id)
    back = back_to(url_for("review.national_sessions"))
    return card_form(EmptyForm(), lambda form: national.delete_national_session(session),
                     _("Séance retirée du calendrier."), back)


# --- A step of the national circuit ----------------------------------------------------------------

def _steps(application, triggers):
    """The user's actions among ``triggers`` on the application now, as this page sees them: what
    the page records itself does not block them."""
    return [without_guards(action, ACTION_PAGES[("application", action.trigger)].completes)
            for action in available_actions(application, current_user) if action.trigger in triggers]


@requires(can_assess)
def transmit(object_id):
    application = get_or_404(Application, object_id)
    trigger = national.next_transmission(application)
    action = next(iter(_steps(application, [trigger])), None) if trigger else None
    sessions = national.national_sessions(upcoming_only=True)
    form = TransmissionForm(data={"expected_version": application.version, "sent_on": today()})
    form.national_session_id.choices = [SelectChoice(s.id, f"{day(s.meets_on)} — {s.label}") for s in sessions]
    if action is not None and action.enabled and form.validate_on_submit():
        try:
            national.transmit(application, trigger, form.sent_on.data, db.session.get(
                NationalSession, form.national_session_id.data), current_user, comment=form.comment.data,
                expected_version=form.expected_version.data)
        except (Refused, StaleObject) as error:
            show_refusal(form, error)
        else:
            flash(_("Dossier %(reference)s transmis : %(step)s.", reference=application.reference,
                    step=pick(action.label)), "success")
            return redirect(url_for("applications.show", application_id=application.id))
    return render_form("review/transmit.html", application=application, action=action, form=form,
                       sessions=sessions, opinion=opinion_of(application.id),
                       transmissions=national.transmissions_of(application.id))


@requires(can_assess)
def national_decision(object_id):
    application = get_or_404(Application, object_id)
    workflow = definition_of(application)
    actions = [action for action in _steps(application, national.NATIONAL_DECISIONS) if action.enabled]
    form = NationalDecisionForm(data={"expected_version": application.version, "decided_on": today()})
    form.trigger.choices = [SelectChoice(a.trigger, pick(a.label)) for a in actions]
    if actions and form.validate_on_submit():
        trigger = form.trigger.data
        try:
            if trigger == "record_national_grant" and form.amount.data is None:
                raise Refused(_("Indiquez le montant accordé par la CGLLS."), field="amount")
            if trigger != "record_national_grant" and not (form.comment.data or "").strip():
                raise Refused(_("Un commentaire est obligatoire pour un refus ou un ajournement."), field="comment")
            national.record_national_decision(
                application, trigger, form.decided_on.data, form.notification.data, current_user,
                amount=form.amount.data, comment=form.comment.data, expected_version=form.expected_version.data)
        except (Refused, StaleObject) as error:
            show_refusal(form, error)
        else:
            flash(_("Décision nationale enregistrée pour %(reference)s : %(step)s.", reference=application.reference,
                    step=pick(workflow.transition(trigger).label)), "success")
            return redirect(url_for("applications.show", application_id=application.id))
    return render_form("review/national_decision.html", application=application, actions=actions, form=form,
                       transmissions=national.transmissions_of(application.id),
                       decisions=national.decisions_of(application.id))
