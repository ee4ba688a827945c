"""Committee sessions: scheduling, agenda, attendance, the chair's session mode, live following."""
from zoneinfo import ZoneInfo

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.calls.models import Call
from fsi.calls.services import call_titles
from fsi.db import db
from fsi.errors import Refused
from fsi.review import decisions
from fsi.review import sessions as ops
from fsi.review.access import can_assess, can_follow_session
from fsi.review.envelope import envelope_of
from fsi.review.forms import AgendaForm, AttendanceForm, EmptyForm, SessionForm
from fsi.review.letters import release, release_all
from fsi.review.models import AgendaItem, CommitteeSession
from fsi.review.models.sessions import DECISIONS
from fsi.review.ranking import consolidation_for, opinions_of
from fsi.review.scoring import criteria_of, submitted_reviews
from fsi.web import back_to, card_form, get_or_404, render_form, requires, show_refusal
from fsi.workflow.definitions import get_workflow
from fsi.workflow.forms import action_form, form_data

PARIS = ZoneInfo("Europe/Paris")


@login_required
def session_list():
    sessions = ops.sessions_for(current_user)
    return render_template("review/session_list.html", sessions=sessions,
                           calls=call_titles({s.call_id for s in sessions}), can_prepare=can_assess(current_user))


def _member_choices(form):
    form.chair_id.choices = form.member_ids.choices = [SelectChoice(u.id, u.full_name)
                                                       for u in ops.member_candidates()]


@requires(can_assess)
def new_session(call_id):
    call = get_or_404(Call, call_id)
    form = SessionForm()
    _member_choices(form)
    if form.validate_on_submit():
        try:
            session = ops.create_session(call, form.title.data, form.starts_at.data.replace(tzinfo=PARIS),
                                         form.place.data or "", form.quorum.data, form.chair_id.data,
                                         form.member_ids.data)
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(_("Séance programmée."), "success")
            return redirect(url_for("review.session_detail", session_id=session.id))
    return render_form("review/session_form.html", form=form, call=call, editing=False)


@requires(can_assess)
def edit_session(session_id):
    session = get_or_404(CommitteeSession, session_id)
    starts_at = session.starts_at.astimezone(PARIS).replace(tzinfo=None)
    form = SessionForm(data={"title": session.title, "starts_at": starts_at,
                             "place": session.place, "quorum": session.quorum, "chair_id": session.chair_id,
                             "member_ids": [m.user_id for m in ops.members_of(session)]})
    _member_choices(form)
    if form.validate_on_submit():
        try:
            ops.update_session(session, form.title.data, form.starts_at.data.replace(tzinfo=PARIS),
                               form.place.data or "", form.quorum.data, form.chair_id.data, form.member_ids.data)
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(_("Séance modifiée."), "success")
            return redirect(url_for("review.session_detail", session_id=session.id))
    return render_form("review/session_form.html", form=form, call=db.session.get(Call, session.call_id),
                       session=session, editing=True)


def session_context(session):
    call = db.session.get(Call, session.call_id)
    agenda = ops.agenda_of(session)
    members = ops.member_users(session)
    agenda_form = AgendaForm(formdata=None)
    agenda_form.application_id.choices = [SelectChoice(a.id, f"{a.reference} — {a.title}")
                                          for a in ops.agenda_candidates(session)]
    attendance = AttendanceForm(formdata=None, data={"present_ids": [m.user_id for m, _u in members if m.present]})
    attendance.present_ids.choices = [SelectChoice(u.id, u.full_name) for _m, u in members]
    return dict(session=session, call=call, agenda=agenda, members=members,
                conflicts=ops.member_conflicts(session, agenda),
                names={user.id: user.full_name for _m, user in members},
                agenda_form=agenda_form, attendance_form=attendance, empty_form=EmptyForm(),
                envelope=envelope_of(call, decisions.proposed_in_session(session)),
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


def decision_forms(items):
    """{item id: [(transition, form)]}: the committee's decisions, the workflow's own action forms."""
    workflow = get_workflow("application")
    return {view.item.id: [(workflow.transition(trigger),
                            action_form(workflow.transition(trigger), prefix=f"{trigger}-{view.item.id}", formdata=None,
                                        data={"expected_version": view.application.version}))
                           for trigger in DECISIONS]
            for view in items if view.decidable}


@requires(can_assess)
def session_run(session_id):
    """Session mode for the chair: agenda with figures, opinions and reviews, the envelope."""
    session = get_or_404(CommitteeSession, session_id)
    context = session_context(session)
    applications = [a for _i, a in context["agenda"]]
    items = decisions.item_views(session, context["agenda"], context["conflicts"])
    context.update(
        items=items, decision_forms=decision_forms(items), criteria=criteria_of(session.call_id),
        figures=consolidation_for(context["call"], applications),
        reviews=submitted_reviews([a.id for a in applications]), opinions=opinions_of(applications))
    return render_template("review/session_run.html", **context)


@requires(can_assess)
def set_current(session_id):
    session = _staff_session(session_id, "review.session_run")
    item = db.session.get(AgendaItem, request.form.get("item_id", type=int) or 0)
    if EmptyForm().validate_on_submit() and (item is None or item.session_id == session.id):
        ops.set_current_item(session, item)
    return redirect(url_for("review.session_run", session_id=session.id) + (f"#item-{item.id}" if item else ""))


@requires(can_assess)
def decide(item_id, trigger):
    item = get_or_404(AgendaItem, item_id)
    if trigger not in DECISIONS:
        abort(404)
    application = get_or_404(Application, item.application_id)
    back = back_to(url_for("review.session_run", session_id=item.session_id) + f"#item-{item.id}")

    def act(form):
        comment, data = form_data(form)
        decisions.decide(item, application, trigger, current_user, comment=comment, data=data,
                         expected_version=form.expected_version.data)

    form = action_form(get_workflow("application").transition(trigger), prefix=f"{trigger}-{item.id}")
    return card_form(form, act, _("Décision enregistrée pour %(reference)s.", reference=application.reference), back)


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
