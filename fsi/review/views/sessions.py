"""Committee sessions: scheduling, agenda, attendance, the chair's session mode, live following."""
from zoneinfo import ZoneInfo

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.calls.models import Call
from fsi.calls.services import all_calls, call_titles
from fsi.db import StaleObject, db
from fsi.errors import Refused
from fsi.limits import bounded_int
from fsi.review import decisions
from fsi.review import sessions as ops
from fsi.review.access import can_assess, can_follow_session
from fsi.review.envelope import envelope_of
from fsi.review.forms import AgendaForm, AttendanceForm, EmptyForm, SessionForm
from fsi.review.letters import release, release_all
from fsi.review.models import AgendaItem, CommitteeSession
from fsi.review.models.sessions import DECISIONS, SessionStatus
from fsi.review.ranking import consolidation_for, opinions_of
from fsi.review.scoring import criteria_of, set_aside_reviews, submitted_reviews
from fsi.web import back_to, card_form, get_or_404, render_form, requires, show_refusal
from fsi.workflow.forms import action_form, form_data
from fsi.workflow.registry import definition_of

PARIS = ZoneInfo("Europe/Paris")


@login_required
def session_list():
    sessions = ops.sessions_for(current_user)
    return render_template("review/session_list.html", sessions=sessions,
                           calls=call_titles({s.call_id for s in sessions}), can_prepare=can_assess(current_user))


def _session_form(form, calls):
    """The form's choices: the calls, the chair and the members (who cannot be picked, and why)."""
    candidates = ops.member_candidates()
    form.call_id.choices = [SelectChoice(call.id, call.title) for call in calls]
    form.chair_id.choices = [SelectChoice(c.id, f"{c.name} ({c.detail})") for c in candidates if not c.unavailable]
    form.member_ids.choices = [SelectChoice(c.id, c.name) for c in candidates if not c.unavailable]
    return candidates


def _session_values(form):
    return dict(title=form.title.data, starts_at=form.starts_at.data.replace(tzinfo=PARIS),
                place=form.place.data or "", quorum=form.quorum.data, chair_id=form.chair_id.data,
                member_ids=form.member_ids.data)


@requires(can_assess)
def new_session(call_id=None):
    """Plan a session: from a call's pages (its call chosen) or from « Séances » (choose it)."""
    call = get_or_404(Call, call_id) if call_id is not None else None
    form = SessionForm(data={"call_id": call.id} if call else None)
    candidates = _session_form(form, [call] if call else all_calls())
    if form.validate_on_submit():
        try:
            session = ops.create_session(get_or_404(Call, form.call_id.data), **_session_values(form))
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(_("Séance programmée."), "success")
            return redirect(url_for("review.session_detail", session_id=session.id))
    return render_form("review/session_form.html", form=form, call=call, editing=False, candidates=candidates)


@requires(can_assess)
def edit_session(session_id):
    session = get_or_404(CommitteeSession, session_id)
    call = db.session.get(Call, session.call_id)
    form = SessionForm(data={"call_id": call.id, "title": session.title,
                             "starts_at": session.starts_at.astimezone(PARIS).replace(tzinfo=None),
                             "place": session.place, "quorum": session.quorum, "chair_id": session.chair_id,
                             "member_ids": [m.user_id for m in ops.members_of(session)]})
    candidates = _session_form(form, [call])
    if form.validate_on_submit():
        try:
            ops.update_session(session, **_session_values(form))
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(_("Séance modifiée."), "success")
            return redirect(url_for("review.session_detail", session_id=session.id))
    return render_form("review/session_form.html", form=form, call=call, session=session, editing=True,
                       candidates=candidates)


def session_context(session):
    call = db.session.get(Call, session.call_id)
    agenda = ops.agenda_of(session)
    members = ops.member_users(session)
    agenda_form = AgendaForm(formdata=None)
    agenda_form.application_id.choices = [SelectChoice(a.id, f"{a.reference} — {a.title}")
                                          for a in ops.agenda_candidates(session)]
    attendance = AttendanceForm(formdata=None, data={"present_ids": [m.user_id for m, _u in members if m.present]})
    attendance.present_ids.choices = [SelectChoice(u.id, u.full_name) for _m, u in members]
    planned = session.status == SessionStatus.planned
    return dict(session=session, call=call, agenda=agenda, members=members,
                awaiting_start=planned and not session.has_started(),
                attendance_open=planned and session.has_started(),
                conflicts=ops.member_conflicts(session, agenda),
                names={user.id: user.full_name for _m, user in members},
                agenda_form=agenda_form, attendance_form=attendance, empty_form=EmptyForm(),
                envelope=envelope_of(call, session),
                chair=db.session.get(User, session.chair_id) if session.chair_id else None)


@requires(can_assess)
def session_detail(session_id):
    return render_template("review/session_detail.html",
                           **session_context(get_or_404(CommitteeSession, session_id)))


def _staff_session(session_id, page="review.session_detail"):
    """The session a staff action works on; the action returns to ``page``."""
    session = get_or_404(CommitteeSession, session_id)
    back_to(url_for(page, session_id=session.id))
    return session


@requires(can_assess)
def add_agenda_item(session_id):
    session = _staff_session(session_id)
    form = AgendaForm()
    form.application_id.choices = [SelectChoice(a.id, a.reference) for a in ops.agenda_candidates(session)]
    return card_form(form, lambda form: ops.add_to_agenda(session, get_or_404(Application, form.application_id.data),
                                                          current_user),
                     _("Dossier inscrit à l'ordre du jour."), url_for("review.session_detail", session_id=session.id))


@requires(can_assess)
def record_attendance(session_id):
    page = "review.session_run" if request.form.get("back") == "run" else "review.session_detail"
    session = _staff_session(session_id, page)
    form = AttendanceForm()
    form.present_ids.choices = [SelectChoice(u.id, u.full_name) for _m, u in ops.member_users(session)]
    return card_form(form, lambda form: ops.record_attendance(session, set(form.present_ids.data or [])),
                     _("Présences enregistrées."), url_for(page, session_id=session.id))


def decision_forms(items, submitted=None):
    """{item id: [(transition, form)]}: the committee's decisions, the workflow's own action forms;
    ``submitted`` ({(item id, trigger): form}) puts back a refused form, with its errors."""
    submitted = submitted or {}
    forms = {}
    for view in (view for view in items if view.decidable):
        workflow = definition_of(view.application)
        forms[view.item.id] = [(workflow.transition(trigger), submitted.get((view.item.id, trigger)) or action_form(
            workflow.transition(trigger), prefix=f"{trigger}-{view.item.id}", formdata=None,
            data={"expected_version": view.application.version}))
            for trigger in decisions.decision_triggers(view.application)]
    return forms


def run_context(session, submitted=None):
    context = session_context(session)
    applications = [a for _i, a in context["agenda"]]
    items = decisions.item_views(session, context["agenda"], context["conflicts"])
    context.update(
        items=items, decision_forms=decision_forms(items, submitted), criteria=criteria_of(session.call_id),
        figures=consolidation_for(context["call"], applications),
        reviews=submitted_reviews([a.id for a in applications]), opinions=opinions_of(applications),
        set_aside=set_aside_reviews([a.id for a in applications]))
    return context


@requires(can_assess)
def session_run(session_id):
    """Session mode for the chair: agenda with figures, opinions and reviews, the envelope."""
    return render_template("review/session_run.html", **run_context(get_or_404(CommitteeSession, session_id)))


@requires(can_assess)
def set_current(session_id):
    session = _staff_session(session_id, "review.session_run")
    item = db.session.get(AgendaItem, bounded_int(request.form.get("item_id")) or 0)
    if EmptyForm().validate_on_submit() and (item is None or item.session_id == session.id):
        ops.set_current_item(session, item)
    return redirect(url_for("review.session_run", session_id=session.id) + (f"#item-{item.id}" if item else ""))


@requires(can_assess)
def decide(item_id, trigger):
    """A decision on an item; refused, the session page comes back with the message next to the
    item, the typed amount kept and the focus on it."""
    item = get_or_404(AgendaItem, item_id)
    application = get_or_404(Application, item.application_id)
    if trigger not in DECISIONS:
        abort(404)
    transition = definition_of(application).transition(trigger) or abort(404)
    session = db.session.get(CommitteeSession, item.session_id)
    if reason := decisions.why_not_decidable(session, item, application):
        raise Refused(reason)  # the page has no form to show it in: flashed, back to the session
    form = action_form(transition, prefix=f"{trigger}-{item.id}")
    if form.validate_on_submit():
        comment, data = form_data(form)
        try:
            decisions.decide(item, application, trigger, current_user, comment=comment, data=data,
                             expected_version=form.expected_version.data)
        except (Refused, StaleObject) as error:
            show_refusal(form, error)
        else:
            flash(_("Décision enregistrée pour %(reference)s.", reference=application.reference), "success")
            return redirect(url_for("review.session_run", session_id=item.session_id) + f"#item-{item.id}")
    return render_form("review/session_run.html", **run_context(session, {(item.id, trigger): form}))


@requires(can_assess)
def bring_forward(session_id):
    session = _staff_session(session_id, "review.session_run")
    return card_form(EmptyForm(), lambda form: ops.bring_forward(session, current_user),
                     _("La séance est avancée : elle se tient maintenant (date enregistrée)."),
                     url_for("review.session_run", session_id=session.id))


@requires(can_assess)
def close_session(session_id):
    session = _staff_session(session_id, "review.session_run")
    if EmptyForm().validate_on_submit():
        decisions.close_session(session)
        flash(_("Séance close ; le procès-verbal est figé."), "success")
    return redirect(url_for("review.session_run", session_id=session.id))


@requires(can_assess)
def release_letters(session_id):
    session = _staff_session(session_id, "review.session_run")
    if EmptyForm().validate_on_submit():
        flash(_("%(count)s lettre(s) de décision envoyée(s).", count=release_all(session)), "success")
    return redirect(url_for("review.session_run", session_id=session.id))


@requires(can_assess)
def release_letter(item_id):
    item = get_or_404(AgendaItem, item_id)
    if EmptyForm().validate_on_submit() and release(item, get_or_404(Application, item.application_id)):
        flash(_("Lettre de décision envoyée."), "success")
    return redirect(url_for("review.session_run", session_id=item.session_id) + f"#item-{item.id}")


@login_required
def session_live(session_id):
    session = get_or_404(CommitteeSession, session_id, visible_to=can_follow_session)
    return render_template("review/session_live.html", session=session,
                           current=decisions.current_item_payload(session, current_user))


@login_required
def current_item_json(session_id):
    session = get_or_404(CommitteeSession, session_id, visible_to=can_follow_session)
    return jsonify(decisions.current_item_payload(session, current_user))
